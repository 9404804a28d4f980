"""Reads routed to the read replica only where a page says so (issue 19.5)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from upskill.core import routers
from upskill.core.models import AccessLog
from upskill.core.routers import REPLICA, ReplicaRouter, reads_from_replica, replica_reads

router = ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(routers, "replica_configured", lambda: True)


def test_without_a_replica_every_read_stays_on_the_primary(settings) -> None:
    assert REPLICA not in settings.DATABASES
    with replica_reads():
        assert router.db_for_read(AccessLog) is None


def test_only_a_marked_block_reads_from_the_replica(with_replica) -> None:
    assert router.db_for_read(AccessLog) is None
    with replica_reads():
        assert router.db_for_read(AccessLog) == REPLICA
        assert router.db_for_read(Session) is None  # a session is read where it was written
        assert router.db_for_write(AccessLog) is None
    assert router.db_for_read(AccessLog) is None


def test_a_marked_view_reads_from_the_replica_and_only_while_it_runs(with_replica) -> None:
    seen = []

    @reads_from_replica
    def view(request):
        seen.append(router.db_for_read(AccessLog))
        return "page"

    assert view(None) == "page"
    assert seen == [REPLICA]
    assert router.db_for_read(AccessLog) is None


def test_the_replica_is_never_migrated() -> None:
    assert router.allow_migrate(REPLICA, "core") is False
    assert router.allow_migrate("default", "core") is True
