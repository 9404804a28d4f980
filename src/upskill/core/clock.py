"""The one clock of the rules that depend on the time of day: a class does not start before
its start date, attendance is not marked before a lesson's check-in window opens, a late start
needs a reason (issue 15.6). Code that applies such a rule asks :func:`now` or :func:`today`,
never ``timezone.now()``, so tests (the ``clock`` fixture of the root ``conftest.py``) and the
demo (which replays 2023 as it happened) set the time with :func:`frozen` or :func:`set_to`.

The moment set is process-wide (a module variable, not a context variable): a browser test's
live server answers in another thread and must read the same time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.utils import timezone

_lock = threading.Lock()
_fixed: datetime | None = None


def _aware(moment: datetime | date) -> datetime:
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(9, 0))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def now() -> datetime:
    """The time now: the moment set, else the real time (aware)."""
    fixed = _fixed
    return fixed if fixed is not None else timezone.now()


def today() -> date:
    """Today's date in the site's time zone (Asia/Shanghai)."""
    return timezone.localdate(now())


def set_to(moment: datetime | date | None) -> None:
    """Stop the clock at ``moment`` (a date is taken at 09:00 local time); ``None`` lets it run
    with the real time again."""
    global _fixed
    with _lock:
        _fixed = None if moment is None else _aware(moment)


def advance(delta: timedelta) -> datetime:
    """Move a stopped clock on by ``delta`` (from the real time if it runs)."""
    set_to(now() + delta)
    return now()


@contextmanager
def frozen(moment: datetime | date) -> Iterator[None]:
    """The clock stands at ``moment`` inside the block, and is as before after it."""
    before = _fixed
    set_to(moment)
    try:
        yield
    finally:
        set_to(before)
