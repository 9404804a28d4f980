"""Background jobs of the registry (core/jobs.py). ``upskill run_huey`` imports this module."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from upskill.core.jobs import JobContext, job_task, stored_import_run

# The module, not the function: the import service enqueues this task and this task runs the
# import, so each names the other's module and looks the function up when it runs.
from .services import imports as roster_imports


@job_task
def roster_import_task(
    job: JobContext,
    *,
    stored: str,
    source: str,
    valid_from: str,
    valid_until: str | None,
    filename: str = "roster",
) -> dict:
    """The roster import (GA23-OBJ-2) of ``registry.services.roster_import``, with progress.
    The stored upload is deleted whatever the outcome: it holds full ID numbers."""
    return stored_import_run(
        job,
        stored=stored,
        filename=filename,
        run=roster_imports.roster_import_run,
        source=source,
        valid_from=date.fromisoformat(valid_from),
        valid_until=date.fromisoformat(valid_until) if valid_until else None,
        progress_message=lambda done, total: _("Saving…") if done == total else _("Checking rows…"),
        summary=_(
            "%(rows)d rows imported: %(registered)d persons registered, %(categories)d "
            "category entries recorded."
        ),
        counts=[
            ("rows", _("Rows")),
            ("registered", _("Persons registered")),
            ("already_registered", _("Already registered")),
            ("categories", _("Category entries recorded")),
            ("accounts", _("Bank accounts recorded")),
        ],
        url=reverse("registry:person_list"),
        link_text=_("Go to the registry"),
    )
