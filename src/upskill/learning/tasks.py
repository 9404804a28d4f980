"""Background jobs of the learning app (core.jobs): the weekly progress snapshot
(WH20-PRG-1), every Monday by huey's scheduler (``upskill run_huey``; the demo's in-process
worker runs the scheduler too) and at once from the page's button."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from upskill.core.jobs import JobContext, job_task
from upskill.core.scoping import SYSTEM

from .services import weekly_snapshot


@job_task
def weekly_progress_job(job: JobContext) -> dict:
    """This week's snapshot for the enterprises the job's starter sees."""

    def progress(done: int, total: int) -> None:
        job.progress(done, total, _("Counting lessons and minutes…"))

    found = weekly_snapshot(actor=job.actor, progress=progress)
    return {
        "summary": _("Week of %(week)s: %(rows)d employees in online classes, %(behind)d behind.")
        % found,
        "url": reverse("learning:weekly"),
        "link_text": _("Open the weekly progress"),
    }


# Monday 00:00 UTC is Monday 08:00 in China (huey schedules in UTC).
@db_periodic_task(crontab(day_of_week="1", hour="0", minute="0"))
def weekly_progress_monday() -> None:
    """Every Monday (WH20-PRG-1): snapshot every enterprise's employees in online classes."""
    weekly_snapshot(actor=SYSTEM)
