"""Background jobs of the assessment app (core/jobs.py); ``upskill run_huey`` imports it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from upskill.core.jobs import JobContext, job_task, stored_import_run

from .models import ExamSession

# The module, not the function: services.scores starts this task and this task runs
# services.scores, so each side imports the other's module and looks the name up when called.
from .services import scores


@job_task
def scores_import_task(job: JobContext, *, stored: str, filename: str, session_id: int) -> dict:
    """The score sheet import of ``assessment.services.scores.scores_import``, with progress.
    The stored upload is deleted whatever the outcome: it holds full ID numbers."""
    return stored_import_run(
        job,
        stored=stored,
        filename=filename,
        run=scores.scores_import_run,
        session=ExamSession.objects.get(pk=session_id),
        summary=_("Scores of %(recorded)d trainees recorded from %(rows)d rows."),
        counts=[("rows", _("Rows")), ("recorded", _("Trainees marked"))],
        url=reverse("assessment:session_detail", args=[session_id]),
        link_text=_("Back to the exam session"),
    )
