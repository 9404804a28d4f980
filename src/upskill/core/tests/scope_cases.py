from upskill.core.testing import Route, ScopeCase


def _job(make_user, **_):
    from upskill.core.jobs import job_start

    from .sample_tasks import count_task

    return job_start(actor=make_user("rural", "clerk"), kind="test.count", task=count_task, n=3)


SCOPE_CASES = [
    # A background job belongs to the organisation that started it; even the county bureau
    # does not see the rural revitalisation bureau's jobs.
    ScopeCase(
        name="Job",
        make=_job,
        owner=("rural", "clerk"),
        outsiders=(
            ("gongan", "admin"),
            ("township:421022101", "clerk"),
            ("wuhan", "admin"),
        ),
        page_url=lambda job: f"/jobs/{job.pk}/",
        api_url=lambda job: f"/api/jobs/{job.pk}",
        routes=(Route("get", lambda job: f"/jobs/{job.pk}/progress/"),),
    ),
]
