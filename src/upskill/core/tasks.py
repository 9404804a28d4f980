"""Background jobs of core: the export of a filtered list (``core.lists``)."""

from __future__ import annotations

from .jobs import JobContext, job_task


@job_task
def list_export_task(job: JobContext, *, name: str, params: dict[str, str]) -> dict:
    from .lists import list_export_run  # lists imports this module to start the job

    return list_export_run(job, name=name, params=params)
