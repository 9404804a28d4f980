"""Background jobs of the assessment app (core/jobs.py); ``upskill run_huey`` imports it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from upskill.core.jobs import JobContext, job_task, stored_upload

from .models import ExamSession

# The module, not the function: services.scores starts this task and this task runs
# services.scores, so each side imports the other's module and looks the name up when called.
from .services import scores


@job_task
def scores_import_task(job: JobContext, *, stored: str, filename: str, session_id: int) -> dict:
    """The score sheet import of ``assessment.services.scores.scores_import``, with progress.
    The stored upload is deleted whatever the outcome: it holds full ID numbers."""
    session = ExamSession.objects.get(pk=session_id)
    with stored_upload(stored, filename) as upload:
        counts = scores.scores_import_run(
            actor=job.actor,
            session=session,
            upload=upload,
            progress=lambda done, total: job.progress(done, total, _("Checking rows…")),
        )
    return {
        "summary": _("Scores of %(recorded)d trainees recorded from %(rows)d rows.") % counts,
        "counts": [
            {"label": _("Rows"), "value": counts["rows"]},
            {"label": _("Trainees marked"), "value": counts["recorded"]},
        ],
        "url": reverse("assessment:session_detail", args=[session_id]),
        "link_text": _("Back to the exam session"),
    }
