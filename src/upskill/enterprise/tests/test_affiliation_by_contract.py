"""An enterprise takes a person on only by declaring their labour contract, one at a time or
imported, and then sees the masked record only (security wave, item 2)."""

from __future__ import annotations

from datetime import date

import pytest

from upskill.core.models import AccessLog
from upskill.core.scoping import visible
from upskill.enterprise import services
from upskill.enterprise.models import EmploymentContract, EnterpriseRecord
from upskill.organisations.models import Region
from upskill.registry.models import Affiliation, Person

from .test_imports import _xlsx


@pytest.fixture(autouse=True)
def _english_pages(settings):
    settings.LANGUAGE_CODE = "en"  # the pages' language without Accept-Language


CONTRACT = {
    "signed": "2021-02-01",
    "years": "2",
    "consecutive_insured_months": "3",
    "insured_as_of": "2021-05-01",
    "unemployment_insured_months": "13",
}


def _wuhan_person(make_person, name: str = "刘强"):
    return make_person(township_code=None, county=Region.objects.get(code="420112"), name=name)


def test_a_declared_contract_is_the_basis_and_shows_the_masked_record_only(client, hr, make_person):
    person = _wuhan_person(make_person)
    client.force_login(hr)
    assert client.get(f"/registry/persons/{person.pk}/").status_code == 404
    # the number alone, or with a wrong name, takes nobody on
    response = client.post(
        "/enterprise/contracts/add/", {**CONTRACT, "id_number": person.id_number, "name": "刘明"}
    )
    assert response.status_code == 200
    assert "The name differs" in response.content.decode()
    assert not Affiliation.objects.filter(person=person).exists()
    assert not EmploymentContract.objects.exists()

    response = client.post(
        "/enterprise/contracts/add/", {**CONTRACT, "id_number": person.id_number, "name": "刘强"}
    )
    assert response.status_code == 302
    (affiliation,) = Affiliation.objects.filter(person=person)
    assert (affiliation.organisation, affiliation.kind, affiliation.basis) == (
        hr.organisation,
        "employee",
        "contract",
    )
    assert affiliation.since == date(2021, 2, 1)
    (logged,) = AccessLog.objects.filter(action="link")
    assert (logged.user, logged.object_id) == (hr, str(affiliation.pk))
    assert person.id_number_masked in logged.description and person.id_number not in str(
        logged.description
    )
    page = client.get(f"/registry/persons/{person.pk}/").content.decode()
    assert person.id_number_masked in page and person.id_number not in page
    assert client.post(f"/registry/persons/{person.pk}/reveal/").status_code == 403


def test_an_imported_contract_list_affiliates_by_contract_and_logs_each(hr, make_person, world):
    wang = _wuhan_person(make_person, name="王强")
    li = _wuhan_person(make_person, name="李敏")
    rows = [
        ("王强", wang.id_number, "2020-03-02", 3, None, 6, "2020-09-30", 6),
        ("李敏", li.id_number, "2020-03-02", 3, None, 7, "2020-10-08", 0),
    ]
    services.contracts_import_run(actor=hr, upload=_xlsx(rows))
    assert set(
        Affiliation.objects.filter(organisation=hr.organisation).values_list("person", "basis")
    ) == {(wang.pk, "contract"), (li.pk, "contract")}
    assert AccessLog.objects.filter(action="link", user=hr).count() == 2
    assert visible(Person, hr).filter(pk__in=[wang.pk, li.pk]).count() == 2


def test_a_program_record_is_only_for_an_own_employee(client, hr, make_person):
    stranger = _wuhan_person(make_person)
    client.force_login(hr)
    response = client.post(
        "/enterprise/records/add/",
        {"kind": "apprentice", "id_number": stranger.id_number, "on": "2021-04-01"},
    )
    assert response.status_code == 200
    assert "record their labour contract first" in response.content.decode()
    assert not EnterpriseRecord.objects.exists()
    assert not Affiliation.objects.filter(person=stranger).exists()
