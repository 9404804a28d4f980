"""HB45-QA-1: real-name management and a lifelong electronic training archive per worker — one
person per resident ID number, whichever organiser enrols them, and one archive that gathers
every training, its attendance, assessment and certificate, shown masked."""

from __future__ import annotations

from datetime import date

from upskill.core.scoping import SYSTEM
from upskill.registry.models import Person

from .factories import certificate_of, examined_class


def test_hb45_qa_1_one_real_name_record_and_one_archive_across_organisers(
    world, make_person, make_user, client
):
    from upskill.training import services
    from upskill.training.tests.factories import make_class

    session = examined_class(world, make_person, scores=((85, 90),))
    person = session.attempts.get().enrolment.person
    later = make_class(
        world,
        entry="electrician",
        organisation="inst2",
        status="approved",
        start=date(2023, 9, 4),
        end=date(2023, 9, 15),
    )
    # Another organiser enrols the same worker by ID number: no second person is made.
    services.enrolment_create(
        actor=SYSTEM, training_class=later, id_number=person.id_number, name=person.name
    )
    assert Person.objects.filter(pk=person.pk).get().enrolments.count() == 2
    assert Person.objects.count() == 1

    client.force_login(make_user("gongan", "reviewer"))
    body = client.get(f"/assessment/archive/{person.pk}/").content.decode()
    trainings = body[body.index('data-testid="section-trainings"') :]
    trainings = trainings[: trainings.index("</section>")]
    assert session.training_class.name in trainings and later.name in trainings
    assert world["inst1"].name in trainings and world["inst2"].name in trainings
    certificates = body[body.index('data-testid="section-certificates"') :]
    assert certificate_of(session).serial in certificates[: certificates.index("</section>")]
    assessments = body[body.index('data-testid="section-assessments"') :]
    assert "85" in assessments[: assessments.index("</section>")]
    # real name: the archive names the person and shows the ID number masked, never in full
    assert person.name in body and person.id_number_masked in body
    assert person.id_number not in body
