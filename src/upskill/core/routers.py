"""Reads that may come from a read replica (issue 19.5).

When ``DATABASE_REPLICA_URL`` is set, the database alias ``replica`` points at a streaming
replica of ``default``. Only code that says so reads from it: a view or job wrapped in
:func:`replica_reads` (dashboards, reports, public disclosure — pages that show aggregates and
never write). Everything else, and every write, stays on the primary, so a clerk never reads back
an older copy of what they just saved. Sessions, log-in records and the job queue are never read
from the replica, even inside such a block.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
# state that must be read where it was just written
_PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "otp_totp", "otp_static", "django_otp"})
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside the block go to the replica when one is configured."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica(view: Callable) -> Callable:
    """A view whose reads go to the replica (a read-only page of aggregates)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if (
            _replica_reads.get()
            and replica_configured()
            and model._meta.app_label not in _PRIMARY_ONLY_APPS
        ):
            return REPLICA
        return None  # the default database

    def db_for_write(self, model, **hints) -> str | None:
        return None

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        return True  # one database and its copy

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return db != REPLICA  # the replica follows the primary's schema by replication
