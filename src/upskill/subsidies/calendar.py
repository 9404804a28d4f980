"""Working days (HB45-PUB-1: public notice periods are counted in working days).

A day is a working day if it is Monday to Friday, unless the bureau's calendar
(:class:`~.models.CalendarDay`) says it is a public holiday; a weekend day is a working day only
when the calendar marks it a make-up working day (调休上班). The calendar is seeded from the
``chinese-calendar`` library, which follows the State Council's yearly holiday notices.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from .models import CalendarDay, DayKind


def _exceptions(start: date, end: date) -> dict[date, str]:
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind"))


def is_working_day(day: date, exceptions: dict[date, str] | None = None) -> bool:
    if exceptions is None:
        exceptions = _exceptions(day, day)
    kind = exceptions.get(day)
    if kind == DayKind.HOLIDAY:
        return False
    if kind == DayKind.WORKDAY:
        return True
    return day.weekday() < 5


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day counted from ``start`` inclusive (n ≥ 1)."""
    exceptions = _exceptions(start, start + timedelta(days=n * 3 + 30))
    day, counted = start, 0
    while True:
        if is_working_day(day, exceptions):
            counted += 1
            if counted >= n:
                return day
        day += timedelta(days=1)


def next_working_day(after: date) -> date:
    return add_working_days(after + timedelta(days=1), 1)


def library_days(year: int) -> list[tuple[date, str, str]]:
    """The official exceptions of a year as the ``chinese-calendar`` library knows them:
    (date, kind, holiday name)."""
    days = []
    day = date(year, 1, 1)
    while day.year == year:
        try:
            workday = chinese_calendar.is_workday(day)
            _on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:  # a year the library does not cover yet
            return []
        if day.weekday() < 5 and not workday:
            days.append((day, DayKind.HOLIDAY, name or ""))
        elif day.weekday() >= 5 and workday:
            days.append((day, DayKind.WORKDAY, name or ""))
        day += timedelta(days=1)
    return days
