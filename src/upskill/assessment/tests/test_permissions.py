"""What an actor may do in the assessment app, answered once per object (the pages' buttons):
the organiser's examiners score an open session; the bureau verifies a certificate recorded from
elsewhere, never one the product issued (HB61-CRT-1)."""

from __future__ import annotations

from datetime import date

from upskill.assessment import selectors, services
from upskill.assessment.models import CertificateKind

from .factories import certificate_of, examined_class


def test_the_organiser_scores_an_open_session_until_it_is_closed(world, make_person, make_user):
    session = examined_class(world, make_person, close=False)
    teacher, outsider = make_user("inst1", "teacher"), make_user("inst2", "teacher")
    assert selectors.session_permissions(actor=teacher, obj=session).score
    assert not selectors.session_permissions(actor=outsider, obj=session).score
    assert not selectors.exam_class_permissions(actor=outsider, obj=session.training_class).schedule
    services.session_close(actor=teacher, session=session)
    session.refresh_from_db()
    assert not selectors.session_permissions(actor=teacher, obj=session).score


def test_the_bureau_verifies_recorded_certificates_only(client, world, make_person, make_user):
    reviewer = make_user("gongan", "reviewer")
    session = examined_class(world, make_person)
    issued = certificate_of(session)
    recorded = services.certificate_record(
        actor=reviewer,
        person=make_person(),
        kind=CertificateKind.SPECIAL_ABILITY,
        serial="Z9",
        occupation_name="农村电商",
        issuing_body="公安县职业技能鉴定所",
        issue_date=date(2023, 2, 5),
    )
    assert selectors.certificate_permissions(actor=reviewer, obj=recorded).verify
    assert not selectors.certificate_permissions(actor=reviewer, obj=issued).verify
    clerk = make_user("inst1", "clerk")
    assert not selectors.certificate_permissions(actor=clerk, obj=recorded).verify
    # the API gives the same answer as the page's button
    client.force_login(reviewer)
    assert client.get(f"/api/certificates/{recorded.pk}").json()["permissions"] == {"verify": True}
    assert client.get(f"/api/certificates/{issued.pk}").json()["permissions"] == {"verify": False}
