"""The public disclosure (HB45-PUB-1): amounts paid in a year and the number of people, by fund,
programme, township and institution; never a name or a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Sum
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from upskill.catalog.models import PROGRAM_CHOICES

from ..models import (
    Account,
    FundSource,
    LedgerEntry,
)


# The line's calculator record names its programme for classes and enterprise records alike; a
# township's fee line (GA23-FEE-1) names the rule. The township is the one the training was held
# in, reached through the enrolment (a township's fee line keeps its trainee's enrolment).
class Dimension(models.TextChoices):
    """What the disclosure adds up by (its sections, its spreadsheet's first column)."""

    FUND = "fund", gettext_lazy("Fund")
    PROGRAM = "program", gettext_lazy("Programme")
    TOWNSHIP = "township", gettext_lazy("Township")
    INSTITUTION = "institution", gettext_lazy("Institution")


DIMENSIONS = {
    Dimension.FUND: "fund__source",
    Dimension.PROGRAM: "claim_line__record__program",
    Dimension.TOWNSHIP: "claim_line__enrolment__training_class__township__name",
    Dimension.INSTITUTION: "claim_line__claim__claimant__name",
}


def _dimension_labels(name: str) -> dict:

    if name == Dimension.FUND:
        return dict(FundSource.choices)
    if name == Dimension.PROGRAM:
        return {**dict(PROGRAM_CHOICES), "GA23-FEE-1": _("Township management fees (GA23-FEE-1)")}
    return {}


@dataclass(frozen=True)
class Aggregate:
    key: str
    amount: Decimal
    people: int


# Years a disclosure can be asked for. Outside them the year lookup cannot even be written as
# a date range in local time (year 1 shifted to UTC is year 0; 10000 has no date), which answered
# 500; now it is a message.
DISCLOSURE_YEARS = range(2000, 2101)


def disclosure_year_check(year: int) -> int:
    """``year`` if a disclosure can be asked for it, else ``ValidationError`` with a message."""

    if year not in DISCLOSURE_YEARS:
        raise ValidationError(
            _(
                "There is no disclosure for the year %(year)s: "
                "choose a year from %(first)s to %(last)s."
            ),
            params={"year": year, "first": DISCLOSURE_YEARS[0], "last": DISCLOSURE_YEARS[-1]},
        )
    return year


def disclosure(*, year: int) -> dict[str, list[Aggregate]]:
    """Fund use of a year: amounts actually paid out (payments and advances, net of reversals)
    and head-counts, by fund, programme, township and institution. Aggregates only: no name, no
    number of any person. Public by design (HB45-PUB-1)."""
    disclosure_year_check(year)
    paid = LedgerEntry.objects.filter(account=Account.DISBURSED, at__year=year)
    result: dict[str, list[Aggregate]] = {}
    for name, path in DIMENSIONS.items():
        labels = _dimension_labels(name)
        rows = (
            paid.values(path)
            .annotate(amount=Sum("amount"), people=Count("claim_line__person", distinct=True))
            .order_by(path)
        )
        result[name] = [
            Aggregate(
                str(labels.get(row[path], row[path] or "—")),
                (row["amount"] or Decimal(0)).quantize(Decimal("0.01")),
                row["people"],
            )
            for row in rows
        ]
    return result


def disclosure_total(*, year: int) -> Aggregate:
    disclosure_year_check(year)
    paid = LedgerEntry.objects.filter(account=Account.DISBURSED, at__year=year)
    row = paid.aggregate(amount=Sum("amount"), people=Count("claim_line__person", distinct=True))
    return Aggregate(
        str(year), (row["amount"] or Decimal(0)).quantize(Decimal("0.01")), row["people"]
    )


def disclosure_years() -> list[int]:
    return sorted({d.year for d in LedgerEntry.objects.dates("at", "year")}, reverse=True)


def bar_chart_svg(rows: list[Aggregate], *, width: int = 640, bar: int = 22) -> str:
    """A horizontal bar chart drawn on the server (no script, no CDN)."""

    top = max((r.amount for r in rows), default=Decimal(0)) or Decimal(1)
    label_w, gap = 220, 6
    height = max(1, len(rows)) * (bar + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" viewBox="0 0 {width} {height}">'
    ]
    for i, row in enumerate(rows):
        y = gap + i * (bar + gap)
        w = int((width - label_w - 100) * (row.amount / top)) if row.amount > 0 else 0
        parts.append(
            f'<text x="0" y="{y + bar - 6}" font-size="13">{escape(row.key[:18])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="#1095c1"/>'
            f'<text x="{label_w + w + 4}" y="{y + bar - 6}" font-size="13">{row.amount:,.2f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
