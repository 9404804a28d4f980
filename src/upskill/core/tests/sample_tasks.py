"""Job functions the tests of core/jobs.py run (huey runs them at once under pytest)."""

from __future__ import annotations

from upskill.core.imports import ImportRejected, RowError
from upskill.core.jobs import JobContext, job_task


@job_task
def count_task(job: JobContext, *, n: int) -> dict:
    for done in range(1, n + 1):
        job.progress(done, n, "counting")
    return {"summary": f"counted {n}", "counts": [{"label": "n", "value": n}]}


@job_task
def refused_task(job: JobContext) -> dict:
    raise ImportRejected([RowError(row=4, field="姓名", message="The name is required.")])


@job_task
def broken_task(job: JobContext) -> dict:
    raise RuntimeError("a bug")


@job_task
def many_problems_task(job: JobContext, *, n: int) -> dict:
    from upskill.core.imports import RowProblem, run_import

    return run_import(
        rows=[(row, {}) for row in range(2, n + 2)],
        validate=lambda row, values: (_ for _ in ()).throw(RowProblem("姓名", f"bad {row}")),
        apply=lambda checked: None,
    )
