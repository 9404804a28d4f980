"""Who is acting now: the user or API token of the current request.

Kept in a context variable so the audit trail can record the acting organisation (and the
token, for partner systems) without every service passing it down.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_current: ContextVar[Any] = ContextVar("upskill_actor", default=None)


def current_actor() -> Any:
    return _current.get()


@contextmanager
def acting_as(actor: Any):
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def set_actor(actor: Any):
    return _current.set(actor)


def reset_actor(token) -> None:
    _current.reset(token)


def user_of(actor: Any):
    """The staff user behind an actor, for the "recorded by" fields: None for the system or an
    API token (the audit trail names the token)."""
    from django.contrib.auth import get_user_model

    return actor if isinstance(actor, get_user_model()) else None
