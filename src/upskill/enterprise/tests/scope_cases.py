"""Cross-organisation cases of the enterprise app (docs/roles.md): an enterprise's contracts and
program records are its own, its county bureau's (and the city's and province's) and, for a
member, its association's — nobody else's."""

from datetime import date
from decimal import Decimal

from upskill.core.testing import ScopeCase

_OUTSIDERS = (
    ("ent2", "hr_clerk"),
    ("inst1", "clerk"),
    ("township:421022101", "clerk"),
    ("wuhan", "reviewer"),
    ("federation", "clerk"),
    ("wh_ent1", "hr_clerk"),
)


def _employee(make_user, make_person):
    hr = make_user("ent1", "hr_clerk")
    return hr, make_person(actor=hr, township_code=None)


def _contract(make_user, make_person, **_):
    from upskill.enterprise.services import contract_record

    hr, person = _employee(make_user, make_person)
    return contract_record(
        actor=hr,
        person=person,
        signed=date(2021, 2, 1),
        years=Decimal(2),
        consecutive_insured_months=3,
        insured_as_of=date(2021, 5, 1),
    )


def _record(make_user, make_person, **_):
    from upskill.enterprise.services import record_add

    hr, person = _employee(make_user, make_person)
    return record_add(
        actor=hr,
        kind="competition",
        person=person,
        on=date(2021, 10, 15),
        competition="公安县纺织工技能竞赛",
        competition_level="county",
        finalist=True,
    )


SCOPE_CASES = [
    ScopeCase(
        name="EmploymentContract",
        make=_contract,
        owner=("ent1", "hr_clerk"),
        outsiders=_OUTSIDERS,
        page_url=lambda c: f"/enterprise/contracts/{c.pk}/",
        api_url=lambda c: f"/api/employment-contracts/{c.pk}",
        without_perm=("gongan", "reviewer"),
        perm_url=lambda c: f"/enterprise/contracts/{c.pk}/",
        perm_method="post",
    ),
    ScopeCase(
        name="EnterpriseRecord",
        make=_record,
        owner=("ent1", "hr_clerk"),
        outsiders=_OUTSIDERS,
        page_url=lambda r: f"/enterprise/records/{r.pk}/",
        api_url=lambda r: f"/api/enterprise-records/{r.pk}",
    ),
]
