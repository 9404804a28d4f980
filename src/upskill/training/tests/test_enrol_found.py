"""From the registry's find-by-number page the only way on is to enrol the person in one of
the organisation's approved classes (security wave, item 2); existing affiliations get the
basis they rest on (registry migration 0004)."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

from django.apps import apps

from upskill.core.models import AccessLog
from upskill.core.scoping import visible
from upskill.registry.models import Affiliation, Person
from upskill.training.models import Enrolment


def test_the_find_page_offers_enrolment_and_enrolling_takes_the_person_on(
    client, settings, make_user, make_person, make_class
):
    settings.LANGUAGE_CODE = "en"
    training_class = make_class(status="approved", organisation="inst2")
    make_class(status="draft", organisation="inst2")  # not offered: not approved
    make_class(status="approved", organisation="inst1")  # not offered: another institution's
    person = make_person(name="刘强")
    clerk = make_user("inst2", "clerk")
    client.force_login(clerk)
    page = client.post("/registry/persons/find/", {"id_number": person.id_number})
    text = page.content.decode()
    assert "Registered: 刘*." in text and 'data-testid="enrol-offer"' in text
    assert text.count("<option ") == 1 and f'value="{training_class.pk}"' in text
    assert not visible(Person, clerk).filter(pk=person.pk).exists()  # no reveal before that

    response = client.post(
        "/training/enrol/",
        {"training_class": training_class.pk, "id_number": person.id_number, "name": "刘强"},
    )
    assert response.status_code == 302
    assert Enrolment.objects.filter(training_class=training_class, person=person).exists()
    (affiliation,) = Affiliation.objects.filter(person=person, organisation=clerk.organisation)
    assert (affiliation.kind, affiliation.basis) == ("trainee", "enrolment")
    assert AccessLog.objects.filter(action="link", object_id=str(affiliation.pk)).exists()
    assert visible(Person, clerk).filter(pk=person.pk).exists()


def test_another_institutions_class_cannot_be_chosen(client, make_user, make_person, make_class):
    other = make_class(status="approved", organisation="inst1")
    person = make_person()
    client.force_login(make_user("inst2", "clerk"))
    response = client.post(
        "/training/enrol/",
        {"training_class": other.pk, "id_number": person.id_number, "name": person.name},
    )
    assert response.status_code in (403, 404)
    assert not Enrolment.objects.exists()


def test_existing_affiliations_get_the_basis_they_rest_on(
    world, make_user, make_person, make_class
):
    from upskill.enterprise.models import EmploymentContract

    backfill = importlib.import_module(
        "upskill.registry.migrations.0004_affiliation_basis_backfill"
    ).backfill
    training_class = make_class(status="approved")
    enrolled, contracted, registered, referred, bare = (make_person() for _n in range(5))
    Enrolment.objects.create(training_class=training_class, person=enrolled)
    EmploymentContract.objects.create(
        enterprise=world["ent1"],
        person=contracted,
        signed=date(2021, 1, 4),
        years=Decimal(3),
        consecutive_insured_months=6,
        insured_as_of=date(2021, 6, 30),
    )
    Person.objects.filter(pk=registered.pk).update(registered_by=world["inst2"])
    rows = {
        enrolled: (training_class.organisation, "trainee"),
        contracted: (world["ent1"], "employee"),
        registered: (world["inst2"], "trainee"),
        referred: (world["hrsc"], "referral"),
        bare: (world["inst3"], "trainee"),
    }
    for person, (organisation, kind) in rows.items():
        Affiliation.objects.create(
            person=person, organisation=organisation, kind=kind, basis="link", since=date.today()
        )
    backfill(apps, None)
    assert dict(Affiliation.objects.values_list("person", "basis")) == {
        enrolled.pk: "enrolment",
        contracted.pk: "contract",
        registered.pk: "registration",
        referred.pk: "referral",
        bare.pk: "link",
    }
    # the bare one stays on record but puts the person in nobody's scope
    assert not visible(Person, make_user("inst3", "clerk")).filter(pk=bare.pk).exists()
    assert visible(Person, make_user("inst2", "clerk")).filter(pk=registered.pk).exists()
