"""The navigation each role sees. Apps add their entries in ``AppConfig.ready``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str | None = None
    kinds: frozenset[str] = field(default_factory=frozenset)  # empty: every kind
    staff_only: bool = False
    order: int = 100

    def allowed(self, user) -> bool:
        if self.staff_only and not user.is_staff:
            return False
        if self.perm and not user.has_perm(self.perm):
            return False
        if self.kinds and not user.is_superuser:
            organisation = getattr(user, "organisation", None)
            return organisation is not None and organisation.kind in self.kinds
        return True


_items: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _items:
            _items.append(item)
    _items.sort(key=lambda item: item.order)


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    entries = []
    for item in _items:
        if item.allowed(user):
            try:
                entries.append({"label": item.label, "url": reverse(item.url_name)})
            except NoReverseMatch:
                continue
    return entries
