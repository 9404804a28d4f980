"""The core's part of the worker (``upskill run_huey`` imports every app's ``tasks``): when a
worker starts, the jobs a killed or crashed worker left *running* are marked failed and their
files deleted (core/jobs.py ``jobs_fail_stale``)."""

from __future__ import annotations

import logging

from django.db import close_old_connections
from huey.contrib.djhuey import HUEY

from .jobs import jobs_fail_stale

logger = logging.getLogger(__name__)


@HUEY.on_startup()
def fail_stale_jobs() -> None:
    close_old_connections()
    failed = jobs_fail_stale()
    if failed:
        logger.warning("%d background jobs of a stopped worker were marked failed", failed)
