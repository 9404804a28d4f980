"""Background jobs of the subsidies app (core.jobs): the batch settlement of a county."""

from __future__ import annotations

from upskill.core.jobs import JobContext, job_task


@job_task
def settle_job(job: JobContext, *, region: str, year: int) -> dict:
    """What would be claimable for the region's finished classes of the year (policy batch path)."""
    from .selectors import settle

    return settle(region=region, year=year, progress=job.progress)
