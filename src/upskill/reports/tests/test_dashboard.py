"""The progress dashboards (GA23-TGT-1): started, completed (the 人次 counted against the
target), certified, employed and paid per programme, region, institution and month, each actor
in its scope, computed from the records with a fixed number of GROUP BY queries; a click on a
bar opens the records behind it."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from upskill.organisations.models import Region
from upskill.reports import selectors, services
from upskill.reports.tests.factories import gongan_targets, records

pytestmark = pytest.mark.django_db


def _rows(board, dimension):
    return {row.key: row for row in board.rows[dimension]}


def test_ga23_tgt_1_dashboard_per_scope(world, make_user, make_person):
    targets = gongan_targets(world)
    services.target_split_save(
        actor=make_user("gongan", "admin"),
        target=targets["total"],
        shares={
            Region.objects.get(code="421022101"): 6_000,
            Region.objects.get(code="421022102"): 4_000,
        },
    )
    records(world, make_person, n=3)  # inst1, 斗湖堤镇, May
    records(
        world,
        make_person,
        organisation="inst3",
        entry="domestic",
        township="421022102",
        n=2,
        start=date(2023, 6, 5),
        end=date(2023, 6, 16),
    )
    records(world, make_person, entry="electrician", n=4, finish=False)  # started only
    as_of = date(2023, 12, 31)
    county = selectors.dashboard(actor=make_user("gongan", "reviewer"), year=2023, as_of=as_of)
    assert (county.totals.started, county.totals.completed, county.totals.target) == (9, 5, 10_000)
    regions = _rows(county, "region")
    assert (regions["421022101"].completed, regions["421022101"].started) == (3, 7)
    assert regions["421022101"].target == 6_000
    assert regions["421022102"].completed == 2
    programmes = _rows(county, "programme")
    assert programmes["employment"].completed == 3
    assert programmes["poverty"].completed == 2
    assert programmes["pre_job"].started == 4
    months = _rows(county, "month")
    assert months["5"].completed == 3 and months["6"].completed == 2
    assert months["5"].started == 7
    assert county.computed_at is not None
    # the province sees Gong'an inside its city (荆州 4210)
    province = selectors.dashboard(
        actor=make_user("province", "statistician"), year=2023, as_of=as_of
    )
    assert _rows(province, "region")["4210"].completed == 5
    # a township centre sees its own township, and its rank
    township = selectors.dashboard(
        actor=make_user("township:421022102", "clerk"), year=2023, as_of=as_of
    )
    assert township.totals.completed == 2
    assert list(_rows(township, "region")) == ["421022102"]
    assert township.own_rank is not None and township.townships_ranked > 2
    # an institution its own classes
    inst = selectors.dashboard(actor=make_user("inst3", "clerk"), year=2023, as_of=as_of)
    assert inst.totals.completed == 2
    # Wuhan nothing of Gong'an
    wuhan = selectors.dashboard(actor=make_user("wuhan", "reviewer"), year=2023, as_of=as_of)
    assert wuhan.totals.completed == 0
    # as of a date before June: the June class is not completed yet
    early = selectors.dashboard(
        actor=make_user("gongan", "reviewer"), year=2023, as_of=date(2023, 5, 31)
    )
    assert early.totals.completed == 3


def test_ga23_tgt_1_dashboard_queries_do_not_grow_with_townships(world, make_user, make_person):
    gongan_targets(world)
    reviewer = make_user("gongan", "reviewer")
    records(world, make_person, n=1)
    with CaptureQueriesContext(connection) as few:
        selectors.dashboard(actor=reviewer, year=2023, as_of=date(2023, 12, 31))
    for township in ("421022102", "421022103", "421022104"):
        records(world, make_person, n=1, township=township)
    with CaptureQueriesContext(connection) as more:
        board = selectors.dashboard(actor=reviewer, year=2023, as_of=date(2023, 12, 31))
    assert len(board.rows["region"]) == 4
    assert len(more.captured_queries) == len(few.captured_queries)


def test_ga23_tgt_1_a_bar_opens_its_records(world, make_user, make_person, client):
    gongan_targets(world)
    records(world, make_person, n=3)
    records(world, make_person, township="421022102", n=2)
    client.force_login(make_user("gongan", "reviewer"))
    page = client.get("/reports/?year=2023&as_of=2023-12-31")
    assert page.status_code == 200
    assert b"computed-at" in page.content
    assert b"echarts.min.js" in page.content
    listed = client.get(
        "/reports/records/?year=2023&as_of=2023-12-31&dimension=region&key=421022102"
        "&measure=completed"
    )
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == 2
    # a township clerk without the bureau's scope sees only its own records behind a bar
    client.force_login(make_user("township:421022101", "clerk"))
    listed = client.get(
        "/reports/records/?year=2023&as_of=2023-12-31&dimension=region&key=421022102"
        "&measure=completed"
    )
    assert listed.context["page"].paginator.count == 0
    # an enterprise has no dashboard
    client.force_login(make_user("ent1", "hr_clerk"))
    assert client.get("/reports/").status_code == 403


def test_ga23_tgt_1_flat_statistics_export_one_row_per_record(
    world, make_user, make_person, client
):
    import io

    from openpyxl import load_workbook

    from upskill.core.models import AccessLog

    records(world, make_person, n=3)
    records(world, make_person, township="421022102", n=2)
    client.force_login(make_user("township:421022102", "clerk"))
    response = client.get("/reports/statistics.xlsx?year=2023&as_of=2023-12-31")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 2  # the header and the township's own two records
    assert rows[1][1] == Region.objects.get(code="421022102").name
    assert AccessLog.objects.filter(action="export", row_count=2).exists()
