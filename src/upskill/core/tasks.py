"""Background work of core: the month partitions of append-only tables."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .partitions import PARTITIONED, monthly_partitions_ensure


@db_periodic_task(crontab(hour="2", minute="10"))
def partitions_ensure() -> dict[str, list[str]]:
    """Daily: a year of month partitions ahead for every partitioned table (PostgreSQL;
    nothing on SQLite), so that no row waits in a default partition."""
    return {table: monthly_partitions_ensure(table) for table in PARTITIONED}
