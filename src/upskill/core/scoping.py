"""The one place where "who may see what" is decided.

Every domain model's manager is built from :class:`ScopedQuerySet` and says which of its rows
each kind of actor may see (docs/roles.md): ``scope_for(organisation)`` for the staff of an
organisation and the partner tokens acting for it, ``scope_for_person(person)`` for a learner (a
user with no organisation whose account is a registry person's: the online path). Pages, htmx
fragments, the JSON API, exports and the admin all fetch through :func:`visible` /
:func:`get_visible_or_404`, so a rule written once holds everywhere:

* outside the organisation's scope an object does not exist for the user: **404**;
* inside it, without the permission for the action: **403** (:func:`require_perm`).

An *actor* is a logged-in user or a partner system's API token; both carry ``is_superuser`` and
``has_perm``, a staff user and a token an organisation, a learner a ``person`` and no organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

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
    """A queryset that knows how to narrow itself to what an actor may see: an organisation's
    staff and tokens (``scope_for``), a learner (``scope_for_person``)."""

    def scope_for(self, organisation: models.Model) -> models.QuerySet:
        raise NotImplementedError(f"{self.model.__name__} must define its scope (docs/roles.md)")

    def scope_for_person(self, person: models.Model) -> models.QuerySet:
        """Nothing."""
        # A learner sees only the records about themselves; a model says which, else none.
        return self.none()

    def visible_to(self, actor: Actor | None) -> models.QuerySet:
        if actor is SYSTEM or (getattr(actor, "is_superuser", False) and actor.is_authenticated):
            return self.all()
        if actor is None or not getattr(actor, "is_authenticated", False):
            return self.none()
        organisation = getattr(actor, "organisation", None)
        if organisation is not None:
            return self.scope_for(organisation) if organisation.is_active else self.none()
        person = person_of(actor)
        if person is not None:
            return self.scope_for_person(person)
        return self.none()


def person_of(actor: Actor | None) -> models.Model | None:
    """The registry person whose learner account ``actor`` is, or None (staff, tokens, the
    system). ``Person.account`` is the link; registry sits above core, so it is read by name."""
    if actor is None or getattr(actor, "organisation_id", None) is not None:
        return None
    # the reverse one-to-one raises (an AttributeError) when the user is nobody's account
    return getattr(actor, "person", None)


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
    """Rows of ``model_or_qs`` the actor may see (its organisation's scope, or a learner's own)."""
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


def learner_only(
    view: Callable | None = None, *, staff_to: Callable[..., str] | None = None
) -> Callable:
    """A page of the learner's own (``/me/…``, ``/nominations/me/…``): the one gate for them.

    A logged-in learner (:func:`person_of` their account) gets the page, called as
    ``view(request, person, *args, **kwargs)``; anyone not logged in is sent to the learner's
    log-in. A member of staff gets 403, unless ``staff_to(request, *args, **kwargs)`` names the
    staff page of the same record: then they are sent there (``staff_to`` fetches the record
    through the scope, so what they may not see is a 404 as everywhere). Use as
    ``@learner_only`` or ``@learner_only(staff_to=...)``."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            # auth.views loads the auth forms and models: not at import time of the models' layer
            from django.contrib.auth.views import redirect_to_login

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("learner_login"))
            person = person_of(request.user)
            if person is None:
                if staff_to is None:
                    raise PermissionDenied
                return redirect(staff_to(request, *args, **kwargs))
            return view(request, person, *args, **kwargs)

        return wrapper

    return decorate if view is None else decorate(view)


def scoped_models() -> list[type[models.Model]]:
    """Every concrete model of the project's apps, for the test that each one has a scope."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("upskill.") and not model.__name__.startswith("Historical")
    ]
