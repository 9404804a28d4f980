"""Background jobs of the online exam (core/jobs.py): the question import and the periodic
closing of attempts past their deadline (WH20-EXM-1)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from upskill.core.jobs import JobContext, job_task, stored_import_run


@job_task
def questions_import_task(job: JobContext, *, stored: str, filename: str, bank_id: int) -> dict:
    """The question import of ``exams.services.questions_import``, with progress."""
    # Here, not at the top: services imports this module to start the job.
    from .services import questions_import_run

    return stored_import_run(
        job,
        stored=stored,
        filename=filename,
        run=questions_import_run,
        summary=_("%(added)d questions added from %(rows)d rows."),
        counts=[("rows", _("Rows")), ("added", _("Questions added"))],
        url=reverse("exams:bank_detail", kwargs={"pk": bank_id}),
        link_text=_("Back to the question bank"),
        bank_id=bank_id,
    )


@db_periodic_task(crontab(minute="*"))
def attempts_close_expired_task() -> int:
    """Every minute: an open attempt past its deadline is closed and graded with what was saved
    before it (also done whenever the attempt is next touched)."""
    from .services import attempts_close_expired

    return attempts_close_expired()
