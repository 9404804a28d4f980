"""The core's part of the worker (``upskill run_huey`` imports every app's ``tasks``): the export
of a filtered list (``core.lists``); when a worker starts, the jobs a killed or crashed worker
left *running* are marked failed and their files deleted (core/jobs.py ``jobs_fail_stale``);
daily, the month partitions of append-only tables are kept a year ahead (core/partitions.py)."""

from __future__ import annotations

import logging

from django.db import close_old_connections
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from .jobs import JobContext, job_task, jobs_fail_stale
from .partitions import PARTITIONED, monthly_partitions_ensure

logger = logging.getLogger(__name__)


@job_task
def list_export_task(job: JobContext, *, name: str, params: dict[str, str]) -> dict:
    from .lists import list_export_run  # lists imports this module to start the job

    return list_export_run(job, name=name, params=params)


@HUEY.on_startup()
def fail_stale_jobs() -> None:
    close_old_connections()
    failed = jobs_fail_stale()
    if failed:
        logger.warning("%d background jobs of a stopped worker were marked failed", failed)


@db_periodic_task(crontab(hour="2", minute="10"))
def partitions_ensure() -> dict[str, list[str]]:
    """Daily: a year of month partitions ahead for every partitioned table (PostgreSQL;
    nothing on SQLite), so that no row waits in a default partition."""
    return {table: monthly_partitions_ensure(table) for table in PARTITIONED}
