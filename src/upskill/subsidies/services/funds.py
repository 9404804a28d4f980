"""Funds (their budgets, HB45-PUB-1) and the working-day calendar (CalendarDay: the exceptions to
Monday-Friday, seeded from chinese-calendar).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from upskill.core.actor import user_of
from upskill.core.scoping import Actor, get_visible_or_404, require_perm
from upskill.organisations.models import Region

from .. import calendar, ledger
from ..models import (
    CalendarDay,
    DayKind,
    Fund,
)
from ._common import CHANGE_CALENDAR, CHANGE_FUND, _bureau


@transaction.atomic
def fund_set(*, actor: Actor, source: str, region: Region, year: int, budget: Decimal) -> Fund:
    """A fund source's budget for a year and a county (HB45-PUB-1)."""
    require_perm(actor, CHANGE_FUND)
    _bureau(actor)
    prefix = getattr(getattr(actor, "organisation", None), "jurisdiction_prefix", None)
    if prefix and not region.code.startswith(prefix):
        raise PermissionDenied
    if not isinstance(budget, Decimal) or budget < 0:
        raise ValidationError({"budget": _("The budget is an amount of at least 0.")})
    fund, _created = Fund.objects.update_or_create(
        source=source, region=region, year=year, defaults={"budget": budget}
    )
    if fund.budget < ledger.committed(fund):
        raise ValidationError(
            {"budget": _("The budget cannot be lower than what is already charged to it.")}
        )
    return fund


def calendar_seed(*, actor: Actor, years: Iterable[int]) -> int:
    """Load the official holidays and make-up working days from the ``chinese-calendar``
    library; days the bureau has edited are kept. The product does this itself (``actor`` is
    the system: at migration, in the demo); no permission is asked."""
    days = [row for year in years for row in calendar.library_days(year)]
    wanted = [day for day, _kind, _name in days]
    have = set(CalendarDay.objects.filter(date__in=wanted).values_list("date", flat=True))
    missing = [
        CalendarDay(date=day, kind=kind, name=name, from_library=True)
        for day, kind, name in days
        if day not in have
    ]
    # with their history rows, in one insert each (it also runs after every test flush)
    bulk_create_with_history(missing, CalendarDay)
    return len(missing)


def calendar_day_set(*, actor: Actor, day: date, kind: str, name: str = "") -> CalendarDay:
    """The bureau adds a holiday or a make-up working day (or changes one)."""
    require_perm(actor, CHANGE_CALENDAR)
    if kind not in DayKind.values:
        raise ValidationError({"kind": _("Choose holiday or make-up working day.")})
    obj, _created = CalendarDay.objects.update_or_create(
        date=day,
        defaults={
            "kind": kind,
            "name": name.strip(),
            "from_library": False,
            "changed_by": user_of(actor),
        },
    )
    return obj


def calendar_day_remove(*, actor: Actor, day: CalendarDay) -> None:
    require_perm(actor, CHANGE_CALENDAR)
    day = get_visible_or_404(CalendarDay, actor, pk=day.pk)
    day.delete()
