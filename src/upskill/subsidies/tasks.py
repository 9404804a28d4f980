"""Background jobs of the subsidies app (core.jobs): the batch settlement of a county; the bank's
disbursement file of a payment batch; and the ledger's daily signed checkpoint (a huey periodic
task: run ``upskill run_huey``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from upskill.core.jobs import JobContext, job_files_prefix, job_task
from upskill.core.scoping import SYSTEM

from .ledger import checkpoint_quietly
from .models import CheckpointReason
from .selectors import settle


@job_task
def settle_job(job: JobContext, *, region: str, year: int) -> dict:
    """What would be claimable for the region's finished classes of the year (policy batch path)."""
    return settle(actor=job.actor, region=region, year=year, progress=job.progress)


@job_task(atomic=True)
def bank_file_job(job: JobContext, *, batch_id: int, fmt: str) -> dict:
    """The bank file of a payment batch, stored with the job (one transaction: the payments
    counted as exported, the access log and the job's result commit together, or none)."""
    from .models import PaymentBatch
    from .services.payment import batch_export_store

    batch = PaymentBatch.objects.get(pk=batch_id)
    rows: list[int] = [0]

    def progress(done: int, total: int) -> None:
        rows[0] = total
        job.progress(done, total, _("Writing the bank file…"))

    stored = batch_export_store(
        actor=job.actor,
        batch=batch,
        fmt=fmt,
        prefix=job_files_prefix(job.job),
        progress=progress,
    )
    return {
        "summary": _("The bank file of %(batch)s holds %(rows)d payments.")
        % {"batch": batch.reference, "rows": rows[0]},
        "batch": batch.pk,
        "file": stored,
        "name": stored.rsplit("/", 1)[-1],
        "rows": rows[0],
        "url": reverse("subsidies:batch_file", args=[batch.pk]),
        "link_text": _("Download the bank file"),
    }


# 18:30 UTC is 02:30 in China (huey schedules in UTC).
@db_periodic_task(crontab(hour="18", minute="30"))
def ledger_daily_checkpoint() -> None:
    """Every night (HB45-PUB-1): walk the whole ledger chain, then sign and write a checkpoint
    outside the database. A broken chain is logged and not signed; the auditor's page shows it."""
    checkpoint_quietly(actor=SYSTEM, reason=CheckpointReason.DAILY, full_walk=True)
