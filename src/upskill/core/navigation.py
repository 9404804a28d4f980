"""The navigation each role sees. Apps add their entries in ``AppConfig.ready``.

The side menu groups the entries by area (培训, 监督, 考核, 补贴与资金, 人员, 目录与政策,
系统). An entry names its area, or takes the area of its app (the namespace of its URL name,
``AREA_OF_APP``), so that apps need not change to be grouped."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from .scoping import person_of

# The areas in the order of the menu; the first entry (home) stands above them.
TRAINING, SUPERVISION, ASSESSMENT, FUNDS, PEOPLE, CATALOGUES, SYSTEM = (
    "training",
    "supervision",
    "assessment",
    "funds",
    "people",
    "catalogues",
    "system",
)
AREAS: dict[str, object] = {
    TRAINING: pgettext_lazy("menu area", "Training"),
    SUPERVISION: pgettext_lazy("menu area", "Supervision"),
    ASSESSMENT: pgettext_lazy("menu area", "Assessment"),
    FUNDS: pgettext_lazy("menu area", "Subsidies and funds"),
    PEOPLE: pgettext_lazy("menu area", "People"),
    CATALOGUES: pgettext_lazy("menu area", "Catalogues and policy"),
    SYSTEM: pgettext_lazy("menu area", "System"),
}
AREA_OF_APP: dict[str, str] = {
    "training": TRAINING,
    "supervision": SUPERVISION,
    "assessment": ASSESSMENT,
    "subsidies": FUNDS,
    "registry": PEOPLE,
    "employment": PEOPLE,
    "enterprise": PEOPLE,
    "catalog": CATALOGUES,
    "policy_admin": CATALOGUES,
    "core": SYSTEM,
    "organisations": SYSTEM,
    "admin": SYSTEM,
}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str | None = None
    kinds: frozenset[str] = field(default_factory=frozenset)  # empty: every kind
    staff_only: bool = False
    order: int = 100
    area: str = ""  # empty: the area of the app (AREA_OF_APP), none for a top-level entry

    def allowed(self, user) -> bool:
        if self.staff_only and not user.is_staff:
            return False
        if self.perm and not user.has_perm(self.perm):
            return False
        if self.kinds and not user.is_superuser:
            organisation = getattr(user, "organisation", None)
            return organisation is not None and organisation.kind in self.kinds
        return True

    @property
    def area_code(self) -> str:
        if self.area:
            return self.area
        namespace, _colon, _name = self.url_name.rpartition(":")
        return AREA_OF_APP.get(namespace, "")


_items: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _items:
            _items.append(item)
    _items.sort(key=lambda item: item.order)


def items_for(user) -> list[dict]:
    """The entries the user may open, in menu order: label, url, url_name, area. A learner
    (a person's own account) has no menu: their pages are the portal under /me/."""
    if not user.is_authenticated or person_of(user) is not None:
        return []
    entries = []
    for item in _items:
        if item.allowed(user):
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            entries.append(
                {
                    "label": item.label,
                    "url": url,
                    "url_name": item.url_name,
                    "slug": menu_slug(item.url_name),
                    "area": item.area_code,
                }
            )
    return entries


def menu_slug(url_name: str) -> str:
    """The id of a menu entry's badge (``training:class_list`` → ``training-class_list``)."""
    return url_name.replace(":", "-")


def current_url(entries: list[dict], path: str) -> str:
    """The entry the page belongs to: the longest entry URL that the path starts with (the home
    page only for itself)."""
    best = ""
    for entry in entries:
        url = entry["url"]
        if (path == url or (url != "/" and path.startswith(url))) and len(url) > len(best):
            best = url
    return best


def menu_for(user, path: str = "", badges: dict[str, int] | None = None) -> dict:
    """The side menu: the top entries (home), then one group per area with entries, in the
    order of ``AREAS``; the entry of the current page marked ``current``, each entry's badge
    (the work waiting behind it, ``core.queues.badges``) when given; and the breadcrumbs of
    the page (home › area › entry, the entry a link when the page is one of its objects)."""
    entries = items_for(user)
    current = current_url(entries, path)
    for entry in entries:
        entry["current"] = entry["url"] == current
        entry["badge"] = (badges or {}).get(entry["url_name"], 0)
    top = [entry for entry in entries if not entry["area"]]
    groups = [
        {"code": code, "label": label, "items": items}
        for code, label in AREAS.items()
        if (items := [entry for entry in entries if entry["area"] == code])
    ]
    crumbs: list[dict] = []
    page = next((entry for entry in entries if entry["current"]), None)
    if page is not None and page["area"]:
        home = next((entry for entry in top), None)
        if home is not None:
            crumbs.append({"label": home["label"], "url": home["url"], "current": False})
        crumbs.append({"label": AREAS[page["area"]], "url": "", "current": False})
        crumbs.append({"label": page["label"], "url": page["url"], "current": path == page["url"]})
    return {"top": top, "groups": groups, "items": entries, "crumbs": crumbs}
