"""Background jobs of the employment app (core/jobs.py); ``upskill run_huey`` imports it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from upskill.core.jobs import JobContext, job_task, stored_import_run


@job_task
def vacancies_import_task(job: JobContext, *, stored: str, filename: str) -> dict:
    """The vacancy list import of ``employment.services.vacancies_import``, with progress."""
    # Here, not at the top: services imports this module to start the job.
    from .services import vacancies_import_run

    return stored_import_run(
        job,
        stored=stored,
        filename=filename,
        run=vacancies_import_run,
        summary=_("%(added)d vacancies added from %(rows)d rows."),
        counts=[("rows", _("Rows")), ("added", _("Vacancies added"))],
        url=reverse("employment:vacancies"),
        link_text=_("Back to the vacancies"),
    )
