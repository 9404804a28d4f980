"""Enterprise claims assembled from the records the enterprise holds: labour contracts for
pre-job training (HB61-PJ-1/2), competition entries (HB61-CMP-1), apprenticeship years
(HB45-APP-1). The amounts are the engine's; nobody types one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from upskill.enterprise import services
from upskill.enterprise.models import EmploymentContract, RecordKind
from upskill.subsidies.models import ClaimLine
from upskill.subsidies.services import claim_assemble, claim_assemble_enterprise
from upskill.subsidies.tests.factories import finished_class


def _pre_job_class(world, persons):
    """A 2021 pre-job class (电工, 24 hours) of the Wuhan enterprise, in 东西湖区."""
    return finished_class(
        world,
        persons,
        entry="electrician",
        organisation="wh_ent1",
        start=date(2021, 3, 1),
        township="420112001",
    )


def _contract(hr, person, *, years: str, signed=date(2021, 2, 1), ended=None):
    return services.contract_record(
        actor=hr,
        person=person,
        signed=signed,
        years=Decimal(years),
        ended=ended,
        consecutive_insured_months=4,
        insured_as_of=date(2021, 6, 1),
        unemployment_insured_months=14,
    )


def _rules(line) -> set[str]:
    explanation = line.explanation
    return {r["rule"] for r in explanation.get("reasons", [])} | {
        i["rule"] for i in explanation.get("items", [])
    }


def test_pre_job_line_is_priced_from_the_labour_contract(world, wuhan_township, hr, employee):
    _contract(hr, employee, years="2")
    training_class = _pre_job_class(world, [employee])

    claim = claim_assemble(actor=hr, training_class=training_class)

    line = claim.lines.get()
    assert line.status == "accepted"
    assert line.total == Decimal("500.00")
    assert [(i.rule, i.amount) for i in line.items.all()] == [("HB61-PJ-2", Decimal("500.00"))]
    assert line.record["contract_signed"] == "2021-02-01"
    assert Decimal(line.record["contract_years"]) == 2
    assert line.record["training_started"] == "2021-03-01"
    assert line.record["consecutive_insured_months"] == 4
    assert line.record["still_employed"] is True
    assert line.record["region"] == "420112"


def test_pre_job_line_with_a_half_year_contract_is_refused(world, wuhan_township, hr, employee):
    _contract(hr, employee, years="0.5")
    training_class = _pre_job_class(world, [employee])

    line = claim_assemble(actor=hr, training_class=training_class).lines.get()

    assert line.status != "accepted"
    assert line.total == Decimal("0")
    assert "HB61-PJ-1" in _rules(line)
    assert not line.items.exists()


def test_pre_job_line_without_a_contract_names_the_missing_field(
    world, wuhan_township, hr, employee
):
    training_class = _pre_job_class(world, [employee])

    line = claim_assemble(actor=hr, training_class=training_class).lines.get()

    assert line.status != "accepted"
    assert "HB61-PJ-1" in _rules(line)
    assert "contract_signed" not in line.record


def test_pre_job_line_of_an_employee_who_left_is_refused(world, wuhan_township, hr, employee):
    _contract(hr, employee, years="2", ended=date(2021, 4, 30))
    training_class = _pre_job_class(world, [employee])

    line = claim_assemble(actor=hr, training_class=training_class).lines.get()

    assert line.record["still_employed"] is False
    assert line.status != "accepted"
    assert "HB61-PJ-1" in _rules(line)


def test_competition_claim_for_a_city_finalist(world, hr, employee):
    services.record_add(
        actor=hr,
        kind=RecordKind.COMPETITION,
        person=employee,
        on=date(2021, 10, 15),
        competition="武汉市第二届数控车工技能大赛",
        competition_level="city",
        finalist=True,
    )

    claim = claim_assemble_enterprise(actor=hr, program="competition", year=2021)

    assert claim.training_class is None
    assert claim.claimant == world["wh_ent1"]
    assert claim.county.code == "420112"
    line = claim.lines.get()
    assert line.total == Decimal("1000.00")
    assert [(i.rule, i.payee, i.amount) for i in line.items.all()] == [
        ("HB61-CMP-1", "enterprise", Decimal("1000.00"))
    ]
    assert line.items.get().payee_organisation == world["wh_ent1"]
    # a record is claimed once
    with pytest.raises(ValidationError):
        claim_assemble_enterprise(actor=hr, program="competition", year=2021)


def test_competition_entry_that_did_not_reach_the_final_is_refused(world, hr, employee):
    services.record_add(
        actor=hr,
        kind=RecordKind.COMPETITION,
        person=employee,
        on=date(2021, 10, 15),
        competition="武汉市第二届数控车工技能大赛",
        competition_level="city",
        finalist=False,
    )

    line = claim_assemble_enterprise(actor=hr, program="competition", year=2021).lines.get()

    assert line.total == Decimal("0")
    assert "HB61-CMP-1" in _rules(line)


def test_apprenticeship_year_claim(world, hr, employee):
    entry = services.record_add(
        actor=hr, kind=RecordKind.APPRENTICE, person=employee, on=date(2020, 6, 1)
    )
    assert entry.date == date(2020, 12, 31)
    with pytest.raises(ValidationError):
        services.record_add(
            actor=hr, kind=RecordKind.APPRENTICE, person=employee, on=date(2020, 3, 1)
        )

    line = claim_assemble_enterprise(actor=hr, program="new_apprentice", year=2020).lines.get()

    assert line.total == Decimal("4000.00")
    assert [i.rule for i in line.items.all()] == ["HB45-APP-1"]


def test_new_technician_and_work_for_training_claims(world, hr, employee):
    services.record_add(
        actor=hr,
        kind=RecordKind.TECHNICIAN,
        person=employee,
        on=date(2020, 9, 1),
        title="technician",
    )
    services.record_add(
        actor=hr,
        kind=RecordKind.WORK_FOR_TRAINING,
        person=employee,
        on=date(2020, 6, 30),
        period_start=date(2020, 3, 1),
        months=4,
    )

    technician = claim_assemble_enterprise(actor=hr, program="new_technician", year=2020)
    work = claim_assemble_enterprise(actor=hr, program="work_for_training", year=2020)

    assert [i.rule for i in technician.lines.get().items.all()] == ["HB45-TEC-1"]
    assert technician.lines.get().total > 0
    line = work.lines.get()
    assert [i.rule for i in line.items.all()] == ["HB61-WFT-1"]
    assert line.record["months"] == 4


def test_work_for_training_months_are_counted_over_the_persons_earlier_claims(world, hr, employee):
    """HB61-WFT-1 (changed 2026-12-02): 6 months per person in all. A placement of 4 months is
    claimed; a later one of 4 pays the 2 left, the history carrying the months paid."""
    for on, start in (
        (date(2020, 6, 30), date(2020, 3, 1)),
        (date(2020, 11, 30), date(2020, 8, 1)),
    ):
        services.record_add(
            actor=hr,
            kind=RecordKind.WORK_FOR_TRAINING,
            person=employee,
            on=on,
            period_start=start,
            months=4,
        )
        claim = claim_assemble_enterprise(actor=hr, program="work_for_training", year=2020)
        line = claim.lines.get()
    first = ClaimLine.objects.exclude(pk=line.pk).get(person=employee)

    assert first.total == Decimal("2000.00")
    assert line.status == "accepted"
    assert line.total == Decimal("1000.00")
    assert f"L{first.pk}" in line.items.get().message
    assert "4 already paid" in line.items.get().message


def test_records_are_checked(world, hr, employee):
    with pytest.raises(ValidationError) as caught:
        services.record_add(
            actor=hr, kind=RecordKind.COMPETITION, person=employee, on=date(2021, 1, 5)
        )
    assert set(caught.value.error_dict) == {"competition", "competition_level"}
    with pytest.raises(ValidationError) as caught:
        services.record_add(
            actor=hr, kind=RecordKind.WORK_FOR_TRAINING, person=employee, on=date(2020, 5, 1)
        )
    assert set(caught.value.error_dict) == {"months", "period_start"}
    with pytest.raises(ValidationError):
        _contract(hr, employee, years="0")


def test_contract_update_and_history(world, hr, employee):
    contract = _contract(hr, employee, years="2")
    services.contract_update(
        actor=hr, contract=contract, ended=date(2022, 1, 31), consecutive_insured_months=11
    )
    contract.refresh_from_db()
    assert not contract.still_employed
    assert contract.history.count() == 2
    with pytest.raises(ValidationError):
        services.contract_update(actor=hr, contract=contract, ended=date(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.contract_update(actor=hr, contract=contract, signed=date(2020, 1, 1))


def test_only_the_enterprise_records_and_claims(world, make_user, employee):
    reviewer = make_user("wuhan", "reviewer")
    other_hr = make_user("wh_ent2", "hr_clerk")
    with pytest.raises(PermissionDenied):
        _contract(reviewer, employee, years="2")
    with pytest.raises(PermissionDenied):
        claim_assemble_enterprise(actor=reviewer, program="competition", year=2021)
    with pytest.raises(ValidationError):
        claim_assemble_enterprise(actor=other_hr, program="pre_job", year=2021)
    assert not EmploymentContract.objects.exists()
