"""The designated institutions' performance evaluation (GA23 六(三)): completion of the share,
pass rate, employment conversion, spot checks, inspected classes, sanctions and objections
upheld, each counted from the records, combined with the county's weights (parameters),
ranked; an institution sees its own row; the page and its Excel export."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from upskill.assessment.tests.factories import examined_class
from upskill.core.scoping import SYSTEM
from upskill.employment.models import Referral
from upskill.employment.services import follow_up_record
from upskill.policy_admin.services import parameter_version_add
from upskill.reports import selectors, services
from upskill.reports.tests.factories import finished, gongan_targets, records
from upskill.supervision import services as supervision
from upskill.supervision.tests.factories import inspect

pytestmark = pytest.mark.django_db

WEIGHTS = {
    "evaluation.institution_completion_weight": "0.3",
    "evaluation.institution_pass_weight": "0.2",
    "evaluation.institution_employment_weight": "0.2",
    "evaluation.institution_spot_check_weight": "0.15",
    "evaluation.institution_compliance_weight": "0.15",
    "evaluation.institution_sanction_points": "5",
    "evaluation.institution_objection_points": "2",
}
AS_OF = date(2023, 12, 31)


def _weights(**override) -> None:
    for name, value in {**WEIGHTS, **override}.items():
        parameter_version_add(
            actor=SYSTEM,
            parameter=name,
            region_code="421022",
            valid_from=date(2023, 1, 1),
            valid_until=date(2023, 12, 31),
            value=value,
            document="公安县定点培训机构绩效考核办法",
            rule="GA23-SPT-1",
        )


def _spot_check(world, inspector, organisation: str, failures: int):
    spot_check = supervision.spot_check_draw(
        actor=inspector,
        organisation=world[organisation],
        subject="trainees",
        method="phone",
        size=5,
        on=date(2023, 6, 1),
        seed="fixed",
    )
    for index, item in enumerate(spot_check.items.all()):
        supervision.spot_check_item_record(
            actor=inspector,
            item=item,
            result="failed" if index < failures else "verified",
            note="本人称未参加培训" if index < failures else "",
        )
    return supervision.spot_check_close(actor=inspector, spot_check=spot_check)


def _data(world, make_person, make_user):
    """inst1: a class of three, inspected three times, two passed, one of them employed;
    inst2: a class of five, not examined, one of five failed its spot check (20 % > 10 %: an
    order to rectify)."""
    employment = gongan_targets(world)["employment"]
    services.target_split_save(
        actor=SYSTEM, target=employment, shares={world["inst1"]: 10, world["inst2"]: 10}
    )
    session = examined_class(world, make_person, scores=((80, 75), (30, 40), (70, 70)))
    training_class = session.training_class
    for kind in ("opening", "during", "closing"):
        inspect(training_class, kind)
    finished(training_class)
    referral = Referral.objects.filter(certificate__attempt__session=session).first()
    follow_up_record(
        actor=SYSTEM,
        referral=referral,
        kind="employed",
        on=date(2023, 6, 20),
        employer="湖北公安凯达纺织有限公司",
        employed_from=date(2023, 6, 20),
    )
    records(world, make_person, organisation="inst2", n=5)
    outcome = _spot_check(world, make_user("gongan", "inspector"), "inst2", failures=1)
    assert outcome.sanction is not None


def test_institutions_ranked_on_every_item_counted_from_the_records(world, make_person, make_user):
    _weights()
    _data(world, make_person, make_user)
    result = selectors.institution_evaluation(
        actor=make_user("gongan", "reviewer"), year=2023, as_of=AS_OF
    )
    assert result.weighted and result.county.code == "421022"
    rows = {row.organisation.pk: row for row in result.rows}
    first, second = rows[world["inst1"].pk], rows[world["inst2"].pk]
    assert (first.completed, first.share, first.rates["completion"]) == (3, 10, Decimal("30.0"))
    assert (first.passed, first.examined, first.rates["pass_rate"]) == (2, 3, Decimal("66.7"))
    assert (first.employed, first.certified, first.rates["employment"]) == (1, 2, Decimal("50.0"))
    assert first.rates["spot_checks"] == Decimal(100)  # no spot check: nothing failed
    assert (first.compliant_classes, first.classes, first.rates["compliance"]) == (
        1,
        1,
        Decimal("100.0"),
    )
    # 0.3 × 30 + 0.2 × 66.7 + 0.2 × 50 + 0.15 × 100 + 0.15 × 100
    assert first.score == Decimal("62.34")
    assert (second.completed, second.failed, second.sampled, second.sanctions) == (5, 1, 5, 1)
    assert second.rates["pass_rate"] is None and second.rates["compliance"] == Decimal("0.0")
    # 0.3 × 50 + 0.15 × (100 − 20) − 5 points for the order to rectify (GA23-SPT-1)
    assert second.score == Decimal("22.00")
    assert (first.rank, second.rank) == (1, 2)
    assert [row.rank for row in result.rows] == list(range(1, len(result.rows) + 1))
    # an institution sees its own row with its rank among the county's
    own = selectors.institution_evaluation(
        actor=make_user("inst2", "clerk"), year=2023, as_of=AS_OF
    )
    assert [(row.organisation.pk, row.rank) for row in own.rows] == [(world["inst2"].pk, 2)]
    # a township centre and an enterprise have no institution to evaluate
    for key, role in (("township:421022101", "clerk"), ("ent1", "hr_clerk")):
        assert selectors.institution_evaluation(actor=make_user(key, role), year=2023).rows == []


def test_an_objection_upheld_deducts_its_points(world, make_person, make_user):
    from upskill.subsidies import services as subsidies
    from upskill.subsidies.tests.factories import noticed_claim

    _weights()
    claim = noticed_claim(world, make_person)
    before = {
        row.organisation.pk: row
        for row in selectors.institution_evaluation(actor=SYSTEM, year=2023, as_of=AS_OF).rows
    }[world["inst1"].pk]
    objection = subsidies.objection_lodge(
        actor=SYSTEM, claim=claim, lodged_by="村民", text="冒名参训", today=date(2023, 6, 3)
    )
    subsidies.objection_resolve(
        actor=make_user("gongan", "reviewer"),
        objection=objection,
        uphold=True,
        resolution="核实冒名",
        line=claim.lines.first(),
    )
    after = {
        row.organisation.pk: row
        for row in selectors.institution_evaluation(actor=SYSTEM, year=2023, as_of=AS_OF).rows
    }[world["inst1"].pk]
    assert (before.objections, after.objections) == (0, 1)
    assert after.score == before.score - 2  # HB45-PUB-1: two points each


def test_the_page_explains_the_items_and_the_export_reads_back(
    world, make_person, make_user, client
):
    _weights()
    _data(world, make_person, make_user)
    client.force_login(make_user("gongan", "reviewer"))
    page = client.get("/reports/institutions/?year=2023&as_of=2023-12-31")
    assert page.status_code == 200
    text = page.content.decode()
    rules = ("GA23-TGT-1", "GA23-CRT-1", "GA23-EMP-1", "GA23-SPT-1", "GA23-INS-1", "HB45-PUB-1")
    assert all(rule in text for rule in rules)
    assert "no-weights" not in text
    assert f'data-testid="institution-{world["inst1"].pk}"' in text
    export = client.get("/reports/institutions.xlsx?year=2023&as_of=2023-12-31")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = list(sheet.values)
    assert "GA23-SPT-1" in values[0][8] and "0.15" in values[0][8]
    by_name = {row[1]: row for row in values[1:]}
    inst1 = by_name[world["inst1"].name]
    assert inst1[0] == 1 and inst1[2] == "3 / 10" and Decimal(str(inst1[-1])) == Decimal("62.34")


def test_without_weights_the_page_says_so(world, make_user, client):
    client.force_login(make_user("gongan", "reviewer"))
    page = client.get("/reports/institutions/?year=2023")
    assert page.status_code == 200
    assert b"no-weights" in page.content
    assert not page.context["evaluation"].weighted
