"""The cross-organisation access test's vocabulary. Each app lists its models in
``<app>/tests/scope_cases.py`` as ``SCOPE_CASES``; ``core/tests/test_scoping.py`` runs every case
on pages, API and admin, so a new model joins the same test by adding a case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Route:
    """One more request on a case's object (core/tests/test_endpoint_scoping.py): every outsider
    gets 404, the owner (the case's, or `owner` when the route needs another role) gets in."""

    method: str
    url: Callable[[Any], str]
    owner: tuple[str, str] | None = None
    # a valid body, so an API outsider reaches the scope; a function of the object when the body
    # names another object of the owner's scope (a batch of the same call)
    data: dict[str, Any] | Callable[[Any], dict[str, Any]] | None = None

    def body(self, obj: Any) -> dict[str, Any]:
        return (self.data(obj) if callable(self.data) else self.data) or {}


@dataclass(frozen=True)
class ScopeCase:
    name: str
    # make(world, make_user) -> the object, owned by / within the scope of `owner`
    make: Callable[..., Any]
    owner: tuple[str, str]  # (org key, role) of a user who may see and act on it
    # (org key, role) of users of other organisations, for whom the object does not exist: 404
    outsiders: tuple[tuple[str, str], ...]
    page_url: Callable[[Any], str] | None = None
    api_url: Callable[[Any], str] | None = None
    admin: bool = True  # checked with ADMIN_OUTSIDER, a staff user of another city
    # (org key, role) inside the scope but without the permission for `perm_url`: 403
    without_perm: tuple[str, str] | None = None
    perm_url: Callable[[Any], str] | None = None
    perm_method: str = "get"
    routes: tuple[Route, ...] = ()  # further requests on the same object


# A staff user (Wuhan bureau administrator) who must see nothing of Gong'an in the admin.
ADMIN_OUTSIDER = ("wuhan", "admin")
