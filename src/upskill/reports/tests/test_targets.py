"""Targets and their split (GA23-TGT-1, HB45-TGT-1): a split is kept as a draft showing its
difference and confirmed only when it adds up; what counts against a target is the 人次 of a
finished, not withdrawn record of the line's programmes; started and certified beside."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Organisation, Region
from upskill.reports import selectors, services
from upskill.reports.models import SplitStatus
from upskill.reports.tests.factories import gongan_targets, records

pytestmark = pytest.mark.django_db


def test_ga23_tgt_1_split_is_a_draft_until_it_adds_up(world, make_user):
    targets = gongan_targets(world)
    employment = targets["employment"]
    admin = make_user("gongan", "admin")
    townships = {r.code: r for r in Region.objects.filter(parent__code="421022")}
    shares = {townships["421022101"]: 3_000, townships["421022102"]: 2_000}
    services.target_split_save(actor=admin, target=employment, shares=shares)
    employment.refresh_from_db()
    assert employment.split_status == SplitStatus.DRAFT
    view = selectors.target_view(actor=admin, target=employment)
    assert view.shares_total == 5_000
    assert view.difference == -3_000
    with pytest.raises(ValidationError, match="difference -3000"):
        services.target_split_save(actor=admin, target=employment, shares=shares, confirm=True)
    institutions = list(Organisation.objects.filter(kind="institution", region__code="421022"))
    shares[townships["421022103"]] = 1_000
    shares[institutions[0]] = 1_500
    shares[institutions[1]] = 500
    services.target_split_save(actor=admin, target=employment, shares=shares, confirm=True)
    employment.refresh_from_db()
    assert employment.split_status == SplitStatus.CONFIRMED
    assert selectors.target_view(actor=admin, target=employment).difference == 0
    # a changed target puts its confirmed split back to draft
    services.target_set(
        actor=admin,
        region=employment.region,
        line="employment",
        year_from=2023,
        quantity=8_100,
        parent=targets["total"],
    )
    employment.refresh_from_db()
    assert employment.split_status == SplitStatus.DRAFT


def test_ga23_tgt_1_only_the_setting_bureau_splits(world, make_user):
    employment = gongan_targets(world)["employment"]
    with pytest.raises(PermissionDenied):
        services.target_split_save(
            actor=make_user("gongan", "reviewer"), target=employment, shares={}
        )
    with pytest.raises(PermissionDenied):
        services.target_split_save(
            actor=make_user("township:421022101", "clerk"), target=employment, shares={}
        )
    outside = Region.objects.get(code="421022101")
    with pytest.raises(ValidationError):
        # a Wuhan region holds no share of a Gong'an target
        services.target_split_save(
            actor=SYSTEM,
            target=employment,
            shares={Region.objects.filter(code__startswith="4201", level="county").first(): 5},
        )
    assert selectors.target_may_change(actor=make_user("gongan", "admin"), target=employment)
    assert outside.code.startswith("421022")


def test_hb45_tgt_1_the_province_splits_across_cities(world, make_user):
    province = Region.objects.get(code="420000")
    policy_admin = make_user("province", "policy_admin")
    three_years = services.target_set(
        actor=policy_admin,
        region=province,
        line="total",
        year_from=2019,
        year_to=2021,
        quantity=1_800_000,
    )
    first = services.target_set(
        actor=policy_admin,
        region=province,
        line="total",
        year_from=2019,
        quantity=580_000,
        parent=three_years,
    )
    assert str(first).startswith(province.name)
    cities = selectors.split_holders(target=first).regions
    assert cities and all(city.level == "city" for city in cities)
    assert not selectors.split_holders(target=first).organisations
    services.target_split_save(actor=policy_admin, target=first, shares={cities[0]: 100_000})
    assert list(selectors.splits_in_draft(actor=policy_admin)) == [first]
    with pytest.raises(ValidationError):
        services.target_set(
            actor=policy_admin,
            region=province,
            line="total",
            year_from=2019,
            quantity=2_000_000,
            parent=three_years,
        )
    # a county bureau sets no target of the province
    with pytest.raises(PermissionDenied):
        services.target_set(
            actor=make_user("gongan", "admin"),
            region=province,
            line="apprentice",
            year_from=2019,
            year_to=2021,
            quantity=30_000,
        )


def test_ga23_tgt_1_counts_finished_records_of_the_line(world, make_user, make_person):
    targets = gongan_targets(world)
    admin = make_user("gongan", "admin")
    # cook = employment programme: counts towards total and employment
    records(world, make_person, n=3)
    # domestic = poverty programme, in another township
    records(world, make_person, entry="domestic", township="421022102", n=2)
    # electrician = pre_job: enterprise line; running, so started but not counted
    records(world, make_person, entry="electrician", n=4, finish=False)
    # a withdrawn record does not count
    _cls, enrolments = records(world, make_person, n=1)
    enrolments[0].__class__.objects.filter(pk=enrolments[0].pk).update(status="withdrawn")
    # a class of 2022 does not count in 2023
    records(world, make_person, n=5, start=date(2022, 5, 2), end=date(2022, 5, 13))
    total = selectors.target_view(actor=admin, target=targets["total"])
    assert (total.counted, total.started) == (5, 9)
    employment = selectors.target_view(actor=admin, target=targets["employment"])
    assert (employment.counted, employment.started) == (5, 5)
    enterprise = selectors.target_view(actor=admin, target=targets["enterprise"])
    assert (enterprise.counted, enterprise.started) == (0, 4)
    # the split shows each township's count beside its share
    services.target_split_save(
        actor=admin,
        target=targets["employment"],
        shares={
            Region.objects.get(code="421022101"): 4_000,
            Region.objects.get(code="421022102"): 2_000,
        },
    )
    rows = {
        str(row.holder): (row.share, row.counted)
        for row in selectors.target_view(actor=admin, target=targets["employment"]).rows
    }
    assert sorted(rows.values()) == [(2_000, 2), (4_000, 3)]
    # the township centre sees its own share only
    clerk = make_user("township:421022102", "clerk")
    own = selectors.target_view(actor=clerk, target=targets["employment"])
    assert [(row.share, row.counted) for row in own.rows] == [(2_000, 2)]


def test_ga23_tgt_1_split_page_and_queue(world, make_user, client):
    from upskill.core.queues import queue_for

    employment = gongan_targets(world)["employment"]
    admin = make_user("gongan", "admin")
    client.force_login(admin)
    page = client.get(f"/reports/targets/{employment.pk}/")
    assert page.status_code == 200
    assert b"split-form" in page.content
    township = Region.objects.get(code="421022101")
    response = client.post(
        f"/reports/targets/{employment.pk}/", {f"region_{township.pk}": "100", "draft": "1"}
    )
    assert response.status_code == 302
    waiting = {w.key: w.count for w in queue_for(admin)}
    assert waiting["reports.splits_in_draft"] == 1
    listed = client.get("/reports/targets/?split=draft")
    assert listed.context["views"][0].target == employment
    assert len(listed.context["views"]) == 1
    refused = client.post(
        f"/reports/targets/{employment.pk}/", {f"region_{township.pk}": "100", "confirm": "1"}
    )
    assert refused.status_code == 200
    assert "-7900" in refused.content.decode()  # the difference, shown on the form
