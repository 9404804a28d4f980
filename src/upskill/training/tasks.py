"""Background jobs of the training app (core/jobs.py). ``upskill run_huey`` imports this module."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from upskill.core.jobs import JobContext, job_task, stored_import_run

from .models import TrainingClass
from .services.rosters import roster_import_run


@job_task
def roster_import_task(job: JobContext, *, stored: str, filename: str, class_id: int) -> dict:
    """The class roster import of ``training.services.roster_import``, with progress. The
    stored upload is deleted whatever the outcome: it holds full ID numbers."""
    return stored_import_run(
        job,
        stored=stored,
        filename=filename,
        run=roster_import_run,
        training_class=TrainingClass.objects.get(pk=class_id),
        summary=_("%(enrolled)d trainees enrolled from %(rows)d rows."),
        counts=[("rows", _("Rows")), ("enrolled", _("Trainees enrolled"))],
        url=reverse("training:class_detail", args=[class_id]),
        link_text=_("Back to the class"),
    )
