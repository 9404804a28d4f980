"""Stage 9: the Wuhan enterprise records its claims are assembled from (WH20, HB61)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from upskill.enterprise import services as enterprise
from upskill.enterprise.models import EmploymentContract
from upskill.organisations.models import Organisation, User
from upskill.registry.models import AffiliationKind, Person


def enterprise_records(o: dict[str, Organisation]) -> int:
    """Wuhan enterprise records of 2020–2021 for its claims (HB61-PJ-1, HB61-CMP-1, HB45-APP-1,
    HB45-TEC-1, HB61-WFT-1): labour contracts of 江城精密's employees, a city competition
    finalist, an apprenticeship year, a new technician and work-for-training months, recorded
    by its HR clerk (wh_ent1_hr) through the services. Made once."""
    employer = o["wh_ent1"]
    if EmploymentContract.objects.filter(enterprise=employer).exists():
        return 0
    hr = User.objects.get(username="wh_ent1_hr")
    employees = list(
        Person.objects.filter(
            affiliations__organisation=employer, affiliations__kind=AffiliationKind.EMPLOYEE
        ).order_by("pk")[:6]
    )
    for index, person in enumerate(employees):
        enterprise.contract_record(
            actor=hr,
            person=person,
            signed=date(2020, 3 + index, 1),
            years=Decimal("0.5") if index == 5 else Decimal(3),
            consecutive_insured_months=6 + index,
            insured_as_of=date(2021, 3, 31),
            unemployment_insured_months=10 + 3 * index,
        )
    if len(employees) >= 4:
        enterprise.record_add(
            actor=hr,
            kind="competition",
            person=employees[0],
            on=date(2021, 10, 20),
            competition="武汉市数控车工职业技能竞赛",
            competition_level="city",
            finalist=True,
        )
        enterprise.record_add(actor=hr, kind="apprentice", person=employees[1], on=date(2021, 1, 1))
        enterprise.record_add(
            actor=hr,
            kind="technician",
            person=employees[2],
            on=date(2021, 6, 30),
            title="technician",
        )
        enterprise.record_add(
            actor=hr,
            kind="work_for_training",
            person=employees[3],
            on=date(2020, 6, 30),
            period_start=date(2020, 3, 1),
            months=4,
        )
    return len(employees)
