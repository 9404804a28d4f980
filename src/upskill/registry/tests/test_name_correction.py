"""The registered name is the name on the ID card, and an allowance account must be held in it
(security item 4): an organiser who could rename a trainee could then record an account in any
holder's name. Only the bureau corrects a name."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from upskill.core.scoping import SYSTEM
from upskill.registry import services


def test_an_institution_clerk_cannot_rename_a_trainee(make_person, make_user):
    person = make_person(name="张伟")
    services.affiliation_ensure(
        person=person,
        organisation=make_user("inst1", "clerk").organisation,
        kind="trainee",
        basis="registration",
    )
    clerk = make_user("inst1", "clerk")
    with pytest.raises(PermissionDenied):
        services.person_update(actor=clerk, person=person, name="李四")
    person.refresh_from_db()
    assert person.name == "张伟"
    # the rest of the record stays the organiser's to keep up to date
    services.person_update(actor=clerk, person=person, name="张伟", address="斗湖堤镇")
    person.refresh_from_db()
    assert person.address == "斗湖堤镇"


def test_the_bureau_corrects_a_name(make_person, make_user):
    person = make_person(name="张伟")
    services.person_update(actor=make_user("gongan", "admin"), person=person, name="张玮")
    person.refresh_from_db()
    assert person.name == "张玮"
    assert services.may_correct_name(actor=SYSTEM)


def test_the_edit_page_offers_the_name_only_to_the_bureau(client, make_person, make_user):
    person = make_person(name="张伟")
    clerk = make_user("township:421022101", "clerk")
    client.force_login(clerk)
    response = client.get(f"/registry/persons/{person.pk}/edit/")
    assert response.status_code == 200
    assert response.context["form"].fields["name"].disabled
    client.force_login(make_user("gongan", "admin"))
    response = client.get(f"/registry/persons/{person.pk}/edit/")
    assert not response.context["form"].fields["name"].disabled
