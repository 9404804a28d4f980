"""Background jobs of the subsidies app (core.jobs): the batch settlement of a county; and the
ledger's daily signed checkpoint (a huey periodic task: run ``upskill run_huey``)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from upskill.core.jobs import JobContext, job_task
from upskill.core.scoping import SYSTEM

from .ledger import checkpoint_quietly
from .models import CheckpointReason
from .selectors import settle


@job_task
def settle_job(job: JobContext, *, region: str, year: int) -> dict:
    """What would be claimable for the region's finished classes of the year (policy batch path)."""
    return settle(actor=job.actor, region=region, year=year, progress=job.progress)


# 18:30 UTC is 02:30 in China (huey schedules in UTC).
@db_periodic_task(crontab(hour="18", minute="30"))
def ledger_daily_checkpoint() -> None:
    """Every night (HB45-PUB-1): walk the whole ledger chain, then sign and write a checkpoint
    outside the database. A broken chain is logged and not signed; the auditor's page shows it."""
    checkpoint_quietly(actor=SYSTEM, reason=CheckpointReason.DAILY, full_walk=True)
