"""Background jobs of the enterprise app (core/jobs.py); ``upskill run_huey`` imports it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from upskill.core.jobs import JobContext, job_task, stored_import_run


@job_task
def contracts_import_task(job: JobContext, *, stored: str, filename: str) -> dict:
    """The labour-contract import of ``enterprise.services.contracts_import``, with progress.
    The stored upload is deleted whatever the outcome: it holds full ID numbers."""
    # Here, not at the top: services imports this module to start the job.
    from .services import contracts_import_run

    return stored_import_run(
        job,
        stored=stored,
        filename=filename,
        run=contracts_import_run,
        summary=_("%(recorded)d labour contracts recorded from %(rows)d rows."),
        counts=[("rows", _("Rows")), ("recorded", _("Labour contracts recorded"))],
        url=reverse("enterprise:index"),
        link_text=_("Back to the contracts and records"),
    )
