"""The townships' year-end evaluation (GA23-EVAL-1): completion of the township's share of the
poverty-alleviated and specialty-skill (特色技能) targets, combined with the county's weights
(parameters), ties by the poverty item then the township code, the bottom three flagged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from upskill.catalog.models import CatalogEntry
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region
from upskill.policy_admin.services import parameter_version_add
from upskill.reports import selectors, services
from upskill.reports.tests.factories import records
from upskill.training.tests.factories import catalog_entries

pytestmark = pytest.mark.django_db


def _weights(poverty: str, specialty: str) -> None:
    for name, value in (
        ("evaluation.township_poverty_weight", poverty),
        ("evaluation.township_specialty_weight", specialty),
    ):
        parameter_version_add(
            actor=SYSTEM,
            parameter=name,
            region_code="421022",
            valid_from=date(2023, 1, 1),
            valid_until=date(2023, 12, 31),
            value=value,
            document="公安县人社局考评办法",
            rule="GA23-EVAL-1",
        )


def _targets(townships):
    county = Region.objects.get(code="421022")
    for line in ("poverty", "specialty"):
        target = services.target_set(
            actor=SYSTEM, region=county, line=line, year_from=2023, quantity=10 * len(townships)
        )
        services.target_split_save(
            actor=SYSTEM, target=target, shares={t: 10 for t in townships}, confirm=True
        )


def test_ga23_eval_1_ranked_ties_and_bottom_three(world, make_user, make_person):
    townships = list(Region.objects.filter(parent__code="421022", level="township"))
    _targets(townships)
    _weights("0.5", "0.5")
    entries = catalog_entries()
    CatalogEntry.objects.filter(pk=entries["electrician"].pk).update(is_specialty=True)
    records(world, make_person, entry="domestic", township="421022101", n=2)
    records(world, make_person, entry="electrician", township="421022101", n=1)
    records(world, make_person, entry="domestic", township="421022102", n=1)
    records(world, make_person, entry="electrician", township="421022102", n=2)
    records(world, make_person, entry="electrician", township="421022103", n=1)
    result = selectors.township_evaluation(
        actor=make_user("gongan", "reviewer"), year=2023, as_of=date(2023, 12, 31)
    )
    assert result.weighted
    by_code = {row.township.code: row for row in result.rows}
    first, second = by_code["421022101"], by_code["421022102"]
    # 0.5 × 20 % + 0.5 × 10 % = 0.5 × 10 % + 0.5 × 20 %: the poverty item breaks the tie
    assert first.score == second.score == Decimal("15.00")
    assert (first.rank, second.rank) == (1, 2)
    assert by_code["421022103"].rank == 3 and by_code["421022103"].score == Decimal("5.00")
    flagged = [row for row in result.rows if row.flagged]
    assert len(flagged) == 3
    assert [row.rank for row in flagged] == [len(townships) - 2, len(townships) - 1, len(townships)]
    # zero scores tie: ranked by township code
    zeros = [row.township.code for row in result.rows if row.score == 0]
    assert zeros == sorted(zeros)
    # a township centre sees its own row with its rank
    own = selectors.township_evaluation(
        actor=make_user("township:421022102", "clerk"), year=2023, as_of=date(2023, 12, 31)
    )
    assert [(row.township.code, row.rank) for row in own.rows] == [("421022102", 2)]
    # an enterprise has no township to evaluate
    assert selectors.township_evaluation(actor=make_user("ent1", "hr_clerk"), year=2023).rows == []


def test_ga23_eval_1_without_weights_the_page_says_so(world, make_user, client):
    client.force_login(make_user("gongan", "reviewer"))
    page = client.get("/reports/evaluation/?year=2023")
    assert page.status_code == 200
    assert b"no-weights" in page.content
    assert not page.context["evaluation"].weighted
