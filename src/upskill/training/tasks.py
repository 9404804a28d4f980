"""Background jobs of the training app (core/jobs.py). ``upskill run_huey`` imports this module."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from upskill.core.jobs import JobContext, job_task, stored_upload

from .models import TrainingClass
from .services.rosters import roster_import_run


@job_task
def roster_import_task(job: JobContext, *, stored: str, filename: str, class_id: int) -> dict:
    """The class roster import of ``training.services.roster_import``, with progress. The
    stored upload is deleted whatever the outcome: it holds full ID numbers."""
    training_class = TrainingClass.objects.get(pk=class_id)
    with stored_upload(stored, filename) as upload:
        counts = roster_import_run(
            actor=job.actor,
            training_class=training_class,
            upload=upload,
            progress=lambda done, total: job.progress(done, total, _("Checking rows…")),
        )
    return {
        "summary": _("%(enrolled)d trainees enrolled from %(rows)d rows.") % counts,
        "counts": [
            {"label": _("Rows"), "value": counts["rows"]},
            {"label": _("Trainees enrolled"), "value": counts["enrolled"]},
        ],
        "url": reverse("training:class_detail", args=[class_id]),
        "link_text": _("Back to the class"),
    }
