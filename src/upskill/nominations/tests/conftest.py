"""Fixtures of the Wuhan enrolment path: the world of WH20 with the federation's clerk, the two
member enterprises' HR clerks, the institution's clerk and the city bureau's reviewer, an open
call, a batch and a scheduled application of 江城精密."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from upskill.core.scoping import SYSTEM
from upskill.nominations import services
from upskill.organisations.services import role_for, user_create

from . import factories


@pytest.fixture
def wh(world, make_user):
    built = factories.build(world, make_user)
    built.users = {
        "association": make_user("federation", "clerk"),
        "hr1": make_user("wh_ent1", "hr_clerk"),
        "hr2": make_user("wh_ent2", "hr_clerk"),
        "bureau": make_user("wuhan", "reviewer"),
        "institution": user_create(
            actor=SYSTEM,
            organisation=built.institution,
            role=role_for(built.institution.kind, "clerk"),
            username="mingwa_clerk",
            password="Test#Pass2023",
            check_password=False,
        ),
    }
    for key in ("wh_ent1", "wh_ent2"):
        services.membership_add(
            actor=built.users["association"], enterprise=world[key], joined_on=date(2019, 1, 1)
        )
    built.call = services.call_create(
        actor=built.users["association"],
        title="2020线上职业技能等级培训",
        document="武企联【2020】14号",
        year=2020,
        deadline=date(2020, 7, 20),
        advanced_exam_fee=Decimal("320"),
    )
    return built


def apply(wh, user_key: str = "hr1", on: date = date(2020, 7, 10)):
    return services.application_submit(
        actor=wh.users[user_key],
        call=wh.call,
        industry="机械制造",
        hr_lead="王经理",
        hr_lead_phone="13800138000",
        occupations_wanted="安全评价师、钳工",
        eligible_employees=5,
        dispatched_included=1,
        received_on=on,
    )


@pytest.fixture
def scheduled(wh):
    """江城精密's application, scheduled into the institution's first batch."""
    application = apply(wh)
    batch = services.batch_create(
        actor=wh.users["association"],
        call=wh.call,
        name="第一批",
        institution=wh.institution,
        platform=wh.platform,
        start_date=factories.START,
        end_date=factories.END,
    )
    return services.application_schedule(
        actor=wh.users["association"], application=application, batch=batch
    )


@pytest.fixture
def make_learner(make_person):
    """A learner's account (no organisation), linked to ``person`` (a new person if none)."""
    import itertools

    from upskill.registry.services import person_account_create

    counter = itertools.count(1)

    def make(person=None):
        return person_account_create(
            actor=SYSTEM,
            person=person or make_person(),
            username=f"wh_learner_{next(counter)}",
            password="Test#Pass2023",
            check_password=False,
        )

    return make
