"""The demo's targets (GA23-TGT-1, HB45-TGT-1) and evaluation weights (GA23-EVAL-1)."""

from __future__ import annotations

import pytest

from upskill.demo.seed import logins, targets
from upskill.organisations.models import User
from upskill.reports import selectors
from upskill.reports.models import SplitStatus, Target

pytestmark = pytest.mark.django_db


def test_the_demo_sets_the_gongan_plan_and_the_hubei_targets(world):
    logins(world)
    assert targets(world) == 1
    gongan = {t.line: t for t in Target.objects.filter(region__code="421022")}
    assert {line: t.quantity for line, t in gongan.items()} == {
        "total": 10_000,
        "employment": 8_000,
        "poverty": 6_000,
        "enterprise": 2_000,
        "specialty": 1_200,
    }
    employment = gongan["employment"]
    assert employment.split_status == SplitStatus.CONFIRMED
    assert (
        sum(employment.shares.filter(region__isnull=False).values_list("quantity", flat=True))
        == 6_000
    )
    assert (
        sum(employment.shares.filter(organisation__isnull=False).values_list("quantity", flat=True))
        == 2_000
    )
    hubei = Target.objects.filter(region__code="420000")
    assert sorted(hubei.values_list("quantity", flat=True)) == [30_000, 580_000, 1_800_000]
    province = User.objects.get(username="hb_policy")
    assert [t.quantity for t in selectors.splits_in_draft(actor=province)] == [580_000]
    evaluation = selectors.township_evaluation(
        actor=User.objects.get(username="ga_admin"), year=2023
    )
    assert evaluation.weighted and len(evaluation.rows) > 3
    assert targets(world) == 0  # idempotent
