"""Crash safety (issue 20.3): a real ``upskill run_huey`` worker is killed with SIGKILL in the
middle of a roster import and of a bank-file export, at the harshest point: the rows or the
export written in the open transaction, the bank file already stored. Nothing is half-written,
the job is marked failed (by its page; by the next worker's start) and its files deleted, and
running it again gives the same result as an uninterrupted run; no payment is exported twice.

PostgreSQL only (``postgres`` marker): the worker is another process and must see the test's
database, which the SQLite pass keeps in memory."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage
from stdnum.cn import ric

from upskill.core.jobs import job_files_prefix
from upskill.core.models import AccessAction, AccessLog, Job, JobStatus
from upskill.registry.models import Person, PersonCategory
from upskill.registry.services import roster_import
from upskill.subsidies import services
from upskill.subsidies.models import BatchStatus, PaymentItem

from . import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Run in the worker process: pause inside the job, after `target` has done its work in the
# job's open transaction, and say so through a file; the test then kills the process.
WORKER = """
import importlib, os, sys, time
import django
django.setup()
target = os.environ.get("CRASH_AT")
if target:
    module_name, name = target.split(":")
    module = importlib.import_module(module_name)
    original = getattr(module, name)
    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        open(os.environ["CRASH_MARKER"], "w").write("in the middle")
        time.sleep(600)
        return result
    setattr(module, name, paused)
from django.core.management import call_command
call_command("run_huey", "--workers", "1", "--no-periodic", "--delay", "0.1", "--quiet")
"""


@pytest.fixture
def queue(tmp_path, settings, monkeypatch):
    """A queue of this test's own (an SQLite file) shared with the worker processes it starts;
    jobs are queued, not run in the test's thread."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("PYTEST_TMP", str(tmp_path))  # where _wait finds the workers' logs
    path = tmp_path / "tasks.sqlite3"
    # in this order: leaving immediate mode makes huey build its configured storage again
    monkeypatch.setattr(HUEY, "immediate", False)
    monkeypatch.setattr(HUEY, "storage", SqliteStorage(name="upskill", filename=str(path)))
    db = connection.settings_dict
    auth = db.get("USER") or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "upskill.settings",
        "DATABASE_URL": f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:"
        f"{db.get('PORT') or 5432}/{db['NAME']}",
        "UPSKILL_HUEY_FILE": str(path),
        "UPSKILL_MEDIA_ROOT": str(tmp_path / "media"),
        "UPSKILL_LEDGER_KEYS": ",".join(f"{k}:{v}" for k, v in settings.LEDGER_MAC_KEYS.items()),
        "UPSKILL_LEDGER_KEY_ID": settings.LEDGER_MAC_KEY_ID,
        "UPSKILL_LEDGER_SIGNING_KEY": settings.LEDGER_SIGNING_KEY,
        "UPSKILL_LEDGER_CHECKPOINT_DIR": settings.STORAGES["ledger_checkpoints"]["OPTIONS"][
            "location"
        ],
    }
    env.pop("REDIS_URL", None)
    env.pop("UPSKILL_S3_BUCKET", None)
    workers: list[subprocess.Popen] = []

    def start(crash_at: str = "") -> tuple[subprocess.Popen, Path]:
        marker = tmp_path / f"paused-{len(workers)}"
        with (tmp_path / f"worker-{len(workers)}.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-c", WORKER],
                env={**env, "CRASH_AT": crash_at, "CRASH_MARKER": str(marker)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        workers.append(process)
        return process, marker

    yield start
    for process in workers:
        if process.poll() is None:
            process.kill()
            process.wait()


def _wait(condition: Callable[[], bool], what: str, seconds: float = 180) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.2)
    logs = sorted(Path(os.environ.get("PYTEST_TMP", "/nonexistent")).glob("worker-*.log"))
    raise AssertionError(
        f"waited {seconds} s for {what}\n" + "\n".join(p.read_text()[-3000:] for p in logs)
    )


def _status(job: Job) -> str:
    return Job.objects.values_list("status", flat=True).get(pk=job.pk)


def _kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def _roster(rows: int) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["姓名", "公民身份号码", "所在乡镇", "户口性质", "人员类别"])
    for n in range(rows):
        born = date.fromordinal(date(1960, 1, 1).toordinal() + n * 7)
        body = f"421022{born:%Y%m%d}{(n % 400) * 2 + 1:03d}"
        writer.writerow(
            [f"学员{n}", body + ric.calc_check_digit(body + "0"), "斗湖堤镇", "农业", "脱贫人口"]
        )
    return SimpleUploadedFile("roster.csv", out.getvalue().encode("utf-8"), "text/csv")


def _job_files(job: Job) -> list[str]:
    try:
        return default_storage.listdir(job_files_prefix(job).rstrip("/"))[1]
    except FileNotFoundError:
        return []


def test_a_worker_killed_in_a_roster_import_leaves_nothing_and_the_rerun_imports_it_all(
    queue, make_user, client
):
    clerk = make_user("rural", "clerk")
    before = Person.objects.count()
    job = roster_import(
        actor=clerk, upload=_roster(200), source="名册", valid_from=date(2023, 1, 1)
    )
    assert _status(job) == JobStatus.QUEUED and _job_files(job) == ["upload"]

    worker, marker = queue("upskill.registry.services.imports:bulk_create_audited")
    _wait(marker.exists, "the worker to be writing the roster")
    assert _status(job) == JobStatus.RUNNING
    _kill(worker)

    # nothing half-written: the open transaction died with the worker
    assert Person.objects.count() == before
    assert not PersonCategory.objects.filter(source="名册").exists()
    # the job's page sees that its worker is gone: failed, and the upload (full ID numbers) gone
    client.force_login(clerk)
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and 'data-testid="job-failed"' in page.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.worker
    assert _job_files(job) == []

    # again, with a worker left alone: the same roster, imported whole, once
    again = roster_import(
        actor=clerk, upload=_roster(200), source="名册", valid_from=date(2023, 1, 1)
    )
    queue()
    _wait(lambda: _status(again) in (JobStatus.DONE, JobStatus.FAILED), "the import")
    again.refresh_from_db()
    assert again.status == JobStatus.DONE, again.error or again.row_errors
    counts = {c["label"]: c["value"] for c in again.result["counts"]}
    assert list(counts.values())[:2] == [200, 200]  # rows, persons registered
    assert Person.objects.count() == before + 200
    assert PersonCategory.objects.filter(source="名册").count() == 200


def test_a_worker_killed_in_a_bank_file_export_exports_nothing_and_the_rerun_exports_once(
    queue, world, make_person, make_user
):
    batch = factories.organiser_batch(world, make_person)
    clerk = make_user("gongan", "payment_clerk")
    payments = list(batch.items.values_list("pk", flat=True))
    assert payments
    job = services.batch_export_start(actor=clerk, batch=batch, fmt="csv")

    worker, marker = queue("upskill.subsidies.services.payment:batch_export_store")
    _wait(marker.exists, "the worker to be exporting the bank file")
    assert _job_files(job)  # the file is stored; the export is not committed
    _kill(worker)

    def exported_nowhere() -> None:
        batch.refresh_from_db()
        assert batch.status == BatchStatus.OPEN and batch.exported_at is None
        assert set(PaymentItem.objects.filter(batch=batch).values_list("attempts", flat=True)) == {
            0
        }
        assert not PaymentItem.objects.filter(batch=batch, account_fixed_at__isnull=False).exists()
        assert not AccessLog.objects.filter(action=AccessAction.EXPORT).exists()

    exported_nowhere()
    assert _status(job) == JobStatus.RUNNING

    # the next worker, at its start, marks the job failed and deletes the unsent file
    queue()
    _wait(lambda: _status(job) == JobStatus.FAILED, "the stale job to be marked failed")
    assert _job_files(job) == []
    exported_nowhere()

    again = services.batch_export_start(actor=clerk, batch=batch, fmt="csv")
    _wait(lambda: _status(again) in (JobStatus.DONE, JobStatus.FAILED), "the export")
    again.refresh_from_db()
    assert again.status == JobStatus.DONE, again.error
    content, name = services.bank_file_download(actor=clerk, batch=batch)
    assert name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]
    references = [row[0] for row in rows]
    expected = [p.reference for p in PaymentItem.objects.filter(batch=batch).order_by("pk")]
    assert sorted(references) == sorted(expected)  # each payment once
    assert set(PaymentItem.objects.filter(batch=batch).values_list("attempts", flat=True)) == {1}
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED
    # one export (the job) and one download, each in the access log
    assert AccessLog.objects.filter(action=AccessAction.EXPORT).count() == 2
