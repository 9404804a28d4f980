"""Background jobs of the enterprise app (core/jobs.py); ``upskill run_huey`` imports it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from upskill.core.jobs import JobContext, job_task, stored_upload


@job_task
def contracts_import_task(job: JobContext, *, stored: str, filename: str) -> dict:
    """The labour-contract import of ``enterprise.services.contracts_import``, with progress.
    The stored upload is deleted whatever the outcome: it holds full ID numbers."""
    # Here, not at the top: services imports this module to start the job.
    from .services import contracts_import_run

    with stored_upload(stored, filename) as upload:
        counts = contracts_import_run(
            actor=job.actor,
            upload=upload,
            progress=lambda done, total: job.progress(done, total, _("Checking rows…")),
        )
    return {
        "summary": _("%(recorded)d labour contracts recorded from %(rows)d rows.") % counts,
        "counts": [
            {"label": _("Rows"), "value": counts["rows"]},
            {"label": _("Labour contracts recorded"), "value": counts["recorded"]},
        ],
        "url": reverse("enterprise:index"),
        "link_text": _("Back to the contracts and records"),
    }
