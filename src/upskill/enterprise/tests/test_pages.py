"""The enterprise's page: its HR clerk records contracts and program records; the bureau and
the association read them (docs/roles.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from upskill.enterprise import services
from upskill.enterprise.models import EmploymentContract, EnterpriseRecord


def test_hr_clerk_records_a_contract_and_a_record(client, hr, employee):
    client.force_login(hr)
    assert client.get("/enterprise/").status_code == 200

    response = client.post(
        "/enterprise/contracts/add/",
        {
            "id_number": employee.id_number,
            "name": employee.name,
            "signed": "2021-02-01",
            "years": "2",
            "consecutive_insured_months": "3",
            "insured_as_of": "2021-05-01",
            "unemployment_insured_months": "13",
        },
    )
    assert response.status_code == 302
    contract = EmploymentContract.objects.get()
    assert (contract.person, contract.years) == (employee, Decimal(2))

    response = client.post(
        "/enterprise/records/add/",
        {"kind": "apprentice", "id_number": employee.id_number, "on": "2021-04-01"},
    )
    assert response.status_code == 302
    assert EnterpriseRecord.objects.get().date == date(2021, 12, 31)

    page = client.get("/enterprise/").content.decode()
    assert employee.name in page
    assert employee.id_number not in page  # masked (registry's accessor)
    assert employee.id_number_masked in page

    response = client.post(
        f"/enterprise/contracts/{contract.pk}/",
        {
            "years": "2",
            "ended": "2022-01-31",
            "consecutive_insured_months": "12",
            "insured_as_of": "2022-01-31",
            "unemployment_insured_months": "24",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.ended == date(2022, 1, 31)


def test_a_bad_record_shows_its_reason(client, hr, employee):
    client.force_login(hr)
    response = client.post(
        "/enterprise/records/add/",
        {"kind": "competition", "id_number": employee.id_number, "on": "2021-04-01"},
    )
    assert response.status_code == 200
    assert "HB61-CMP-1" in response.content.decode()
    assert not EnterpriseRecord.objects.exists()


def test_bureau_and_association_read_the_members_records(client, make_user, hr, employee):
    services.contract_record(
        actor=hr,
        person=employee,
        signed=date(2021, 2, 1),
        years=Decimal(2),
        consecutive_insured_months=3,
        insured_as_of=date(2021, 5, 1),
    )
    for org, role in (("wuhan", "reviewer"), ("federation", "clerk")):
        client.force_login(make_user(org, role))
        page = client.get("/enterprise/")
        assert page.status_code == 200
        assert employee.name in page.content.decode()
        assert 'data-testid="add-contract"' not in page.content.decode()
    client.force_login(make_user("wh_ent2", "hr_clerk"))
    assert employee.name not in client.get("/enterprise/").content.decode()


def test_enterprise_assembles_a_competition_claim_on_the_claims_page(client, hr, employee):
    services.record_add(
        actor=hr,
        kind="competition",
        person=employee,
        on=date(2021, 10, 15),
        competition="武汉市第二届数控车工技能大赛",
        competition_level="city",
        finalist=True,
    )
    client.force_login(hr)
    page = client.get("/subsidies/claims/").content.decode()
    assert 'data-testid="assemble-enterprise"' in page

    response = client.post(
        "/subsidies/claims/assemble/enterprise/", {"program": "competition", "year": "2021"}
    )

    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "HB61-CMP-1" in detail
    assert "1000.00" in detail or "1,000.00" in detail
