"""The one place where "who may see what" is decided.

Every domain model's manager is built from :class:`ScopedQuerySet` and says, in
``scope_for(organisation)``, which of its rows an organisation may see (docs/roles.md). Pages, htmx
fragments, the JSON API, exports and the admin all fetch through :func:`visible` /
:func:`get_visible_or_404`, so a rule written once holds everywhere:

* outside the organisation's scope an object does not exist for the user: **404**;
* inside it, without the permission for the action: **403** (:func:`require_perm`).

An *actor* is a logged-in user or a partner system's API token; both carry an organisation,
``is_superuser`` and ``has_perm``.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


class Actor(Protocol):
    is_superuser: bool

    # an ``organisations.Organisation`` (core sits below organisations and does not import it)
    @property
    def organisation(self) -> models.Model | None: ...

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


class _System:
    """The product itself acting (demo seeding, background jobs, migrations): sees and may do
    everything, and is recorded in the audit trail as "system"."""

    is_superuser = True
    is_authenticated = False
    is_api_token = False
    organisation = None
    organisation_id = None

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return True

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to narrow itself to what an organisation may see."""

    def scope_for(self, organisation: models.Model | None) -> models.QuerySet:
        raise NotImplementedError(f"{self.model.__name__} must define its scope (docs/roles.md)")

    def visible_to(self, actor: Actor | None) -> models.QuerySet:
        if actor is SYSTEM or (getattr(actor, "is_superuser", False) and actor.is_authenticated):
            return self.all()
        if actor is None or not getattr(actor, "is_authenticated", False):
            return self.none()
        organisation = getattr(actor, "organisation", None)
        if organisation is None or not organisation.is_active:
            return self.none()
        return self.scope_for(organisation)


def _queryset(model_or_qs: type[M] | models.QuerySet) -> ScopedQuerySet:
    qs = (
        model_or_qs
        if isinstance(model_or_qs, models.QuerySet)
        else model_or_qs._default_manager.all()
    )
    if not isinstance(qs, ScopedQuerySet):
        raise TypeError(f"{qs.model.__name__} has no scope: its manager must use ScopedQuerySet")
    return qs


def visible(model_or_qs: type[M] | models.QuerySet, actor: Actor | None) -> models.QuerySet:
    """Rows of ``model_or_qs`` the actor's organisation may see."""
    return _queryset(model_or_qs).visible_to(actor)


def require_perm(actor: Actor | None, perm: str) -> None:
    """403 unless the actor's role grants ``perm`` (``app_label.codename``)."""
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied(perm)


def get_visible_or_404(
    model_or_qs: type[M] | models.QuerySet,
    actor: Actor | None,
    *,
    perm: str | None = None,
    **lookup,
) -> M:
    """The object if the actor may see it (else 404) and, when ``perm`` is given, may act on it
    (else 403). Scope is checked first so a 403 never confirms that a hidden object exists."""
    try:
        obj = visible(model_or_qs, actor).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if perm:
        require_perm(actor, perm)
    return obj


def scoped_models() -> list[type[models.Model]]:
    """Every concrete model of the project's apps, for the test that each one has a scope."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("upskill.") and not model.__name__.startswith("Historical")
    ]
