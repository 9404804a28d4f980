"""Work queues: what waits for the signed-in user (its home page, and the badges of the side
menu). Core holds the registry; each app registers its entries in ``AppConfig.ready`` from its
own ``queues.py``, counting with its own scoped selectors, the same as the lists the entries
link to, so a count and its list agree.

An entry is shown only to a user who may open its list (the entry's permission and
organisation kinds, as a menu entry); its count is the number of rows waiting in that list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .models import AccessAction, AccessLog
from .scoping import visible


@dataclass(frozen=True)
class QueueEntry:
    """One kind of work waiting: ``count(user)`` rows of the list at ``url_name`` (with
    ``query`` appended, e.g. ``status=submitted``). ``menu`` is the URL name of the menu entry
    whose badge adds this count (by default the list's own)."""

    key: str
    label: str
    url_name: str
    count: Callable[..., int]
    perm: str | None = None
    kinds: frozenset[str] = field(default_factory=frozenset)  # empty: every kind
    query: str = ""
    menu: str = ""
    order: int = 100

    def allowed(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if self.perm and not user.has_perm(self.perm):
            return False
        if self.kinds:
            organisation = getattr(user, "organisation", None)
            return organisation is not None and organisation.kind in self.kinds
        return True


_entries: dict[str, QueueEntry] = {}


def register(*entries: QueueEntry) -> None:
    """Add entries (an entry registered again under its key replaces the first)."""
    for entry in entries:
        _entries[entry.key] = entry


def entries() -> list[QueueEntry]:
    return sorted(_entries.values(), key=lambda entry: (entry.order, entry.key))


@dataclass(frozen=True)
class Waiting:
    key: str
    label: str
    url: str
    count: int
    menu: str


def queue_for(user) -> list[Waiting]:
    """Every entry the user may open, with its count (zero included: the home page says that
    nothing waits), in order."""
    waiting = []
    for entry in entries():
        if not entry.allowed(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        if entry.query:
            url = f"{url}?{entry.query}"
        waiting.append(
            Waiting(
                key=entry.key,
                label=entry.label,
                url=url,
                count=int(entry.count(user)),
                menu=entry.menu or entry.url_name,
            )
        )
    return waiting


def badges(waiting: list[Waiting]) -> dict[str, int]:
    """Menu URL name → the work waiting behind that menu entry (entries with nothing left
    out). Two entries linking to the same filtered list (the clerk's classes to finish and the
    teacher's classes to mark, both for an institution's administrator) count once."""
    totals: dict[str, int] = {}
    seen: set[str] = set()
    for item in waiting:
        if item.count and item.url not in seen:
            seen.add(item.url)
            totals[item.menu] = totals.get(item.menu, 0) + item.count
    return totals


def access_log_recent(user, days: int = 7) -> int:
    """Reveals and exports of the last ``days`` days in the user's scope (the auditor's look
    at who saw what)."""
    since = timezone.now() - timedelta(days=days)
    return (
        visible(AccessLog, user)
        .filter(at__gte=since, action__in=(AccessAction.REVEAL, AccessAction.EXPORT))
        .count()
    )
