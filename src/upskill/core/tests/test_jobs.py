"""Background jobs (core/jobs.py): progress, result, refused imports, pages and API."""

from __future__ import annotations

from upskill.core.jobs import job_start
from upskill.core.models import Job, JobStatus

from .sample_tasks import broken_task, count_task, refused_task


def test_a_job_runs_and_keeps_its_result(make_user):
    user = make_user("rural", "clerk")
    job = job_start(actor=user, kind="test.count", task=count_task, title="Count", n=5)
    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.percent) == (5, 5, 100)
    assert job.result["summary"] == "counted 5"
    assert job.organisation == user.organisation and job.created_by == user
    assert job.finished_at is not None


def test_a_refused_import_fails_with_its_row_report(make_user):
    job = job_start(actor=make_user("rural", "clerk"), kind="test.refused", task=refused_task)
    assert job.status == JobStatus.FAILED
    assert job.row_errors == [{"row": 4, "field": "姓名", "message": "The name is required."}]


def test_a_bug_fails_the_job_without_showing_the_traceback(make_user):
    job = job_start(actor=make_user("rural", "clerk"), kind="test.broken", task=broken_task)
    assert job.status == JobStatus.FAILED
    assert "a bug" not in job.error and job.error


def test_job_page_polls_while_running_and_shows_the_result(make_user, client):
    user = make_user("rural", "clerk")
    running = Job.objects.create(
        kind="test",
        status=JobStatus.RUNNING,
        done=30,
        total=120,
        organisation=user.organisation,
        created_by=user,
    )
    client.force_login(user)
    page = client.get(f"/jobs/{running.pk}/").content.decode()
    assert "<progress" in page and 'value="30" max="120"' in page
    assert f'hx-get="/jobs/{running.pk}/progress/"' in page
    fragment = client.get(f"/jobs/{running.pk}/progress/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()

    done = job_start(actor=user, kind="test.count", task=count_task, n=2)
    page = client.get(f"/jobs/{done.pk}/").content.decode()
    assert "counted 2" in page and "hx-get" not in page

    refused = job_start(actor=user, kind="test.refused", task=refused_task)
    page = client.get(f"/jobs/{refused.pk}/").content.decode()
    assert 'data-testid="row-errors"' in page and "<td>4</td>" in page and "姓名" in page


def test_job_api(make_user, client):
    user = make_user("rural", "clerk")
    job = job_start(actor=user, kind="test.refused", task=refused_task)
    client.force_login(user)
    body = client.get(f"/api/jobs/{job.pk}").json()
    assert body["status"] == "failed"
    assert body["row_errors"] == [{"row": 4, "field": "姓名", "message": "The name is required."}]
    client.force_login(make_user("township:421022101", "clerk"))
    assert client.get(f"/api/jobs/{job.pk}").status_code == 404


def test_jobs_queue_after_commit_when_not_immediate(make_user, django_capture_on_commit_callbacks):
    from huey.contrib.djhuey import HUEY

    user = make_user("rural", "clerk")
    HUEY.immediate = False
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            job = job_start(actor=user, kind="test.count", task=count_task, n=1)
        assert job.status == JobStatus.QUEUED
        assert len(callbacks) == 1
    finally:
        HUEY.immediate = True
