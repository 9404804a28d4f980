"""The progress summary (issue 18: aggregates kept up to date incrementally, never by a recount
a clerk waits for): the services that change the facts keep it in their transaction, so after
any sequence of them it equals a full recount (``upskill reports rebuild-summary``), and the
dashboards read from it show exactly what counting the records shows."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from upskill.core.scoping import SYSTEM
from upskill.reports import selectors, services
from upskill.reports.models import ProgressSummary, TargetLine
from upskill.reports.tests.factories import gongan_targets, records
from upskill.training.models import TrainingClass

pytestmark = pytest.mark.django_db

MEASURES = ("started", "completed", "certified", "employed")
FIGURES = ("listed", "started", "completed", "certified", "employed", "paid", "paid_records")
ACTORS = (
    ("gongan", "reviewer"),
    ("province", "statistician"),
    ("township:421022101", "clerk"),
    ("township:421022102", "clerk"),
    ("inst1", "clerk"),
    ("inst3", "clerk"),
    ("wuhan", "reviewer"),
)


def _fields(row: ProgressSummary) -> tuple:
    keys = (row.training_class_id, row.day, row.class_end, row.programme, row.township_id)
    return (*keys, *(getattr(row, name) for name in FIGURES))


def _kept() -> list[tuple]:
    """The summary as the services left it (without the time each row was counted)."""
    return sorted(_fields(row) for row in ProgressSummary.objects.all())


def _recounted() -> list[tuple]:
    """The summary a full recount writes, read without keeping it."""
    ids = list(TrainingClass.objects.values_list("pk", flat=True))
    return sorted(_fields(row) for row in services._summary_rows(ids))


def _board(board) -> dict:
    """Everything a dashboard shows but the time it was computed."""
    shown = {
        dimension: [
            (
                row.key,
                row.label,
                row.target,
                *(getattr(row, m) for m in MEASURES),
                Decimal(row.paid),
            )
            for row in rows
        ]
        for dimension, rows in board.rows.items()
    }
    totals = board.totals
    shown["totals"] = (totals.target, totals.started, totals.completed, totals.certified)
    shown["totals"] += (totals.employed, Decimal(totals.paid))
    shown["rank"] = (board.own_rank, board.townships_ranked)
    return shown


def _same_as_the_records(make_user, *, years, as_of_dates=(None,)):
    """Every actor's dashboard read from the summary equals the one counted from the
    records, for each line, year and as-of date (None: today); and so does every list behind
    one of its bars (as of today)."""
    for who in ACTORS:
        actor = make_user(*who)
        for year in years:
            for as_of in as_of_dates:
                for line in TargetLine.values:
                    kept = selectors.dashboard(actor=actor, year=year, as_of=as_of, line=line)
                    counted = selectors.dashboard(
                        actor=actor, year=year, as_of=as_of, line=line, from_records=True
                    )
                    assert _board(kept) == _board(counted), (who, year, as_of, line)
            counted = selectors.dashboard(actor=actor, year=year, from_records=True)
            bars = [("", "")] + [
                (dimension, row.key) for dimension, rows in counted.rows.items() for row in rows
            ]
            for measure in selectors.MEASURES:
                for dimension, key in bars:
                    arguments = dict(
                        actor=actor, year=year, measure=measure, dimension=dimension, key=key
                    )
                    expected = list(selectors.records_behind(**arguments))
                    paged = selectors.records_behind_paged(**arguments)
                    assert paged.count() == len(expected), (who, measure, dimension, key)
                    # read in pages of two, as the page reads them in pages of 25
                    found = [e for at in range(0, len(expected), 2) for e in paged[at : at + 2]]
                    assert found == expected, (who, measure, dimension, key)


def _pay(batch, actor) -> None:
    """The bank answers: every payment of the batch paid."""
    from upskill.subsidies import services as subsidies

    content, _name = subsidies.batch_export(actor=actor, batch=batch, fmt="csv")
    references = [row[0] for row in list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]]
    answer = io.BytesIO(
        ("Reference,Status\n" + "".join(f"{ref},paid\n" for ref in references)).encode()
    )
    answer.name = "result.csv"
    subsidies.batch_results_import(actor=actor, batch=batch, upload=answer)


def test_issue_18_the_services_keep_the_summary_equal_to_a_recount(world, make_user, make_person):
    """After each step of a class's life through the services (enrolled, started, a trainee
    withdrawn, finished, examined and certified, the holder employed, the subsidy paid) the
    summary equals a full recount and the dashboards equal the records' counts."""
    from upskill.employment import services as employment
    from upskill.employment.models import Referral
    from upskill.subsidies.tests.factories import organiser_batch
    from upskill.training import services as training
    from upskill.training.tests.factories import enrol, make_class

    gongan_targets(world)
    assert _kept() == _recounted() == []
    # a finished class of May, a running one started in June, an approved one not started
    records(world, make_person, n=3)
    running = make_class(
        world,
        entry="electrician",
        organisation="inst3",
        township_code="421022102",
        status="running",
        start=date(2023, 6, 5),
        end=date(2023, 6, 16),
    )
    leaving = enrol(running, make_person, n=3)
    approved = make_class(
        world,
        entry="domestic",
        township_code="421022101",
        status="approved",
        start=date(2023, 12, 18),
        end=date(2024, 1, 12),  # ends the next year: started in December, counted in January
    )
    enrol(approved, make_person, n=2)
    assert _kept() == _recounted()
    training.enrolment_withdraw(actor=SYSTEM, enrolment=leaving[0], reason="外出务工")
    assert _kept() == _recounted()
    assert (
        ProgressSummary.objects.filter(training_class=running).get(day=running.start_date).started
        == 2
    )
    # finished, examined (one failed) and certified: the certificate hook counts them
    payment = organiser_batch(world, make_person)
    assert ProgressSummary.objects.filter(certified__gt=0).exists()
    assert _kept() == _recounted()
    # the HR service centre's follow-up: employed
    referral = Referral.objects.order_by("pk").first()
    near = employment.vacancy_create(
        actor=make_user("hrsc", "counsellor"), employer="公安县荆江大酒店", title="厨师"
    )
    employment.follow_up_record(
        actor=make_user("hrsc", "counsellor"),
        referral=referral,
        kind="employed",
        on=date(2023, 6, 10),
        vacancy=near,
        employed_from=date(2023, 6, 12),
    )
    assert ProgressSummary.objects.filter(employed__gt=0).exists()
    assert _kept() == _recounted()
    # the bank's answer: paid
    _pay(payment, SYSTEM)
    assert ProgressSummary.objects.filter(paid__gt=0).exists()
    assert _kept() == _recounted()
    # started and finished through the services
    training.class_transition(actor=SYSTEM, training_class=approved, action="start", reason="补录")
    assert _kept() == _recounted()
    # certificates are issued today: this year's dashboard counts them
    _same_as_the_records(
        make_user,
        years=(2023, 2024, timezone.localdate().year),
        as_of_dates=(date(2023, 6, 10), None),
    )


def test_issue_18_rebuild_summary_recounts_everything(world, make_user, make_person):
    """``upskill reports rebuild-summary`` writes what the services keep (installation, a bulk
    load): a summary emptied by hand is whole again, and the figures with it."""
    gongan_targets(world)
    records(world, make_person, n=3)
    records(world, make_person, township="421022102", organisation="inst3", n=2, finish=False)
    kept = _kept()
    assert kept
    reviewer = make_user("gongan", "reviewer")
    before = _board(selectors.dashboard(actor=reviewer, year=2023, as_of=date(2023, 12, 31)))
    ProgressSummary.objects.all().delete()
    assert selectors.dashboard(actor=reviewer, year=2023).totals.completed == 0
    out = io.StringIO()
    call_command("reports", "rebuild-summary", stdout=out)
    assert "progress summary rebuilt: 4 rows" in out.getvalue()
    assert _kept() == kept
    after = _board(selectors.dashboard(actor=reviewer, year=2023, as_of=date(2023, 12, 31)))
    assert after == before


def test_issue_18_computed_at_is_when_the_newest_row_was_counted(world, make_user, make_person):
    gongan_targets(world)
    records(world, make_person, n=1)
    newest = ProgressSummary.objects.order_by("-updated_at").first().updated_at
    board = selectors.dashboard(
        actor=make_user("gongan", "reviewer"), year=2023, as_of=date(2023, 12, 31)
    )
    assert board.computed_at == newest


def test_issue_18_the_records_behind_a_bar_read_only_the_page(
    world, make_user, make_person, client
):
    """The list behind a bar takes its count from the summary and reads only the classes of its
    page: the same queries for a page whatever the year holds, and at most 20 in all."""
    gongan_targets(world)
    for township in ("421022101", "421022102"):
        records(world, make_person, township=township, n=3)
    client.force_login(make_user("gongan", "reviewer"))
    url = "/reports/records/?year=2023&as_of=2023-12-31&measure=completed"
    client.get(url)  # the user's permissions are read once per log-in
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.context["page"].paginator.count == 6
    for township in ("421022103", "421022104"):
        records(world, make_person, township=township, n=3)
    with CaptureQueriesContext(connection) as more:
        response = client.get(url + "&page=2")
    assert response.context["page"].paginator.count == 12
    assert len(more.captured_queries) == len(few.captured_queries) <= 20
