"""Background jobs with a progress bar, on huey.

A long piece of work (an import of ten thousand rows, a batch settlement, a report) is a
function decorated with :func:`job_task`; :func:`job_start` records a :class:`~.models.Job` and
queues the function with the job's id. The function gets a :class:`JobContext` to report
progress; what it returns (JSON) is the job's result. A refused import
(:class:`~.imports.ImportRejected`) ends the job as *failed* with its row-by-row report.

The queue is huey (``settings.HUEY``): SQLite under ``var/`` on the embedded default, Redis when
``REDIS_URL`` is set (run ``upskill run_huey`` beside the web servers). ``upskill demo`` runs a
worker thread in its own process (:func:`start_worker_thread`), so the demo needs no other
server. Under pytest huey runs each task at once, in the caller's thread.

**Crash safety** (docs/operations.md). A job's writes are one transaction (an import writes
everything or nothing; a job made with ``job_task(atomic=True)`` commits its work together with
its *done* state), so a worker killed in the middle leaves nothing half-written. The job row
names its worker (``host:pid:token``); a job left *running* by a process that is gone is marked
failed (:func:`jobs_fail_stale`) when a worker starts and when its page is looked at, and the
files it kept under ``jobs/<id>/`` (an import's upload, a bank file not handed over) are
deleted. Starting the work again gives the same result as a run that was not interrupted.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import signal
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey.contrib.djhuey import HUEY, db_task

from .actor import acting_as
from .imports import ImportRejected, max_bytes, size_message
from .models import Job, JobStatus
from .scoping import Actor

logger = logging.getLogger(__name__)

# This process, as a worker: host, process id and a token of this start of the process (a pid
# may be given again to the next process after a restart).
WORKER = f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}"

# Progress is written at most this often (seconds), so a fast job does not write per row.
PROGRESS_INTERVAL = 0.5
# A refused import's problems are shown (page and API) this many at a time.
ROW_ERRORS_PAGE_SIZE = 100


def row_errors_page(job: Job, page: object = None):
    """One page (``?page=``, ROW_ERRORS_PAGE_SIZE problems) of a refused import's report; an
    out-of-range or malformed page gives the last or the first."""
    from django.core.paginator import Paginator

    return Paginator(job.row_errors, ROW_ERRORS_PAGE_SIZE).get_page(page)


@dataclass
class JobContext:
    """What a job function gets: its job, and a way to report progress."""

    job: Job
    _last: float = field(default=0.0, repr=False)

    @property
    def actor(self):
        return self.job.created_by or self.job.token

    def progress(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if done < total and now - self._last < PROGRESS_INTERVAL:
            return
        self._last = now
        self.job.done, self.job.total = done, total
        fields = {"done": done, "total": total}
        if message:
            self.job.message = fields["message"] = str(message)[:255]
        Job.objects.filter(pk=self.job.pk).update(**fields)


def _finish(job: Job, status: str, **fields) -> None:
    fields.update(status=status, finished_at=timezone.now())
    for name, value in fields.items():
        setattr(job, name, value)
    Job.objects.filter(pk=job.pk).update(**fields)


def job_files_prefix(job: Job | int) -> str:
    """Where a job keeps its files in the default storage: ``jobs/<id>/``. A job that fails
    has them deleted (the upload of an import may hold full ID numbers)."""
    return f"jobs/{getattr(job, 'pk', job)}/"


def _delete_job_files(job: Job) -> None:
    prefix = job_files_prefix(job).rstrip("/")
    try:
        _directories, files = default_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        default_storage.delete(f"{prefix}/{name}")


def _process_gone(worker: str) -> bool:
    """Whether the worker named ``host:pid:token`` has stopped: only known on its own host."""
    parts = worker.split(":")
    if len(parts) != 3 or parts[0] != WORKER.split(":")[0] or not parts[1].isdigit():
        return False
    if worker == WORKER:
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return True  # this pid, another start of the process: the earlier one has ended
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _is_stale(job: Job, now) -> bool:
    if job.status != JobStatus.RUNNING:
        return False
    if job.worker and _process_gone(job.worker):
        return True
    limit = settings.UPSKILL_JOB_TIMEOUT_SECONDS
    started = job.started_at or job.created_at
    return bool(limit) and started is not None and now - started > timedelta(seconds=limit)


def _fail_stale(job: Job) -> None:
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, worker=job.worker).update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        message="",
        error=str(
            _(
                "The worker running this job stopped (it was killed, crashed or the server "
                "restarted). Nothing of the job was saved; start it again."
            )
        ),
    )
    if updated:
        logger.warning(
            "background job %s (%s): its worker %s is gone", job.pk, job.kind, job.worker
        )
        _delete_job_files(job)
        job.refresh_from_db()


def job_check_stale(job: Job) -> Job:
    """Mark ``job`` failed if it is left *running* by a worker that is gone (its page calls
    this, so the clerk sees the failure instead of a bar that never moves)."""
    if _is_stale(job, timezone.now()):
        _fail_stale(job)
    return job


def jobs_fail_stale() -> int:
    """Every job left *running* by a worker that is gone (on this host) or running past
    ``UPSKILL_JOB_TIMEOUT_SECONDS``: marked failed, its files deleted. Run when a worker starts
    (core/tasks.py)."""
    now, failed = timezone.now(), 0
    for job in Job.objects.filter(status=JobStatus.RUNNING).exclude(worker=WORKER):
        if _is_stale(job, now):
            _fail_stale(job)
            failed += 1
    return failed


def _run(func: Callable[..., Any], job_id: int, kwargs: dict[str, Any], atomic: bool) -> None:
    job = (
        Job.objects.select_related("created_by", "token", "organisation").filter(pk=job_id).first()
    )
    if job is None or job.status != JobStatus.QUEUED:
        return  # rolled back with its transaction, or already run (delivered twice)
    job.status, job.started_at, job.worker = JobStatus.RUNNING, timezone.now(), WORKER
    Job.objects.filter(pk=job.pk).update(
        status=job.status, started_at=job.started_at, worker=job.worker
    )
    context = JobContext(job=job)
    origin = job.origin

    def _keep_origin(result):
        # the page the job came from stays with its result, done or failed
        if origin and isinstance(result, dict):
            return {**result, "origin": origin}
        if origin and result is None:
            return {"origin": origin}
        return result

    with acting_as(context.actor), translation.override(job.language or None):
        try:
            if atomic:
                # the work and its "done" commit together: killed before, nothing is saved
                with transaction.atomic():
                    result = func(context, **kwargs)
                    _finish(job, JobStatus.DONE, result=result, done=job.total, message="")
                return
            result = func(context, **kwargs)
        except ImportRejected as exc:
            _finish(
                job,
                JobStatus.FAILED,
                error=str(exc),
                # at most UPSKILL_IMPORT_MAX_PROBLEMS problems are kept, all are counted
                result=_keep_origin({"errors": exc.as_list(), "errors_total": exc.total}),
                message="",
            )
        except ValidationError as exc:
            _delete_job_files(job)
            _finish(
                job,
                JobStatus.FAILED,
                error=" ".join(exc.messages),
                message="",
                result=_keep_origin(None),
            )
        except Exception:
            logger.exception("background job %s (%s) failed", job.pk, job.kind)
            _delete_job_files(job)
            _finish(
                job,
                JobStatus.FAILED,
                error=_(
                    "The job stopped because of an error in the product; nothing of it was "
                    "saved. The administrators can read the details in the server log."
                ),
                message="",
            )
        else:
            _finish(job, JobStatus.DONE, result=_keep_origin(result), done=job.total, message="")


def job_task(func: Callable[..., Any] | None = None, *, atomic: bool = False):
    """Decorator: ``func(job: JobContext, **kwargs) -> result`` (JSON-able) becomes a huey task
    that :func:`job_start` queues. Keep job functions in an app's ``tasks.py`` module, which
    ``upskill run_huey`` imports. With ``atomic=True`` the function runs in one transaction
    that also records the job as done (a bank file: exported and handed over, or neither);
    its progress is then seen when the job ends."""

    def decorate(func: Callable[..., Any]):
        @wraps(func)
        def run(job_id: int, **kwargs):
            _run(func, job_id, kwargs, atomic)

        task = db_task(name=func.__name__, retries=0)(run)  # huey prefixes the module
        task.job_function = func
        return task

    return decorate(func) if func is not None else decorate


# The page a job was started from (issue 15.5: a failed import links back to it), set by
# core.forms.import_action around the app's import service.
_origin: ContextVar[str] = ContextVar("job_origin", default="")


@contextmanager
def job_origin(url: str) -> Iterator[None]:
    """Jobs started inside the block remember ``url``, the page they were started from."""
    token = _origin.set(url)
    try:
        yield
    finally:
        _origin.reset(token)


def job_start(
    *,
    actor: Actor,
    kind: str,
    task,
    title: str = "",
    prepare: Callable[[Job], dict[str, Any]] | None = None,
    **kwargs,
) -> Job:
    """Create a Job and enqueue task (a function decorated with @job_task) on huey with job_id
    and kwargs; in tests huey runs immediately. ``prepare(job)`` (optional) stores what the
    job needs under :func:`job_files_prefix` and returns more kwargs."""
    is_token = getattr(actor, "is_api_token", False)
    origin = _origin.get()
    job = Job.objects.create(
        result={"origin": origin} if origin else None,
        kind=kind,
        title=str(title)[:255],
        created_by=actor if getattr(actor, "is_authenticated", False) and not is_token else None,
        token=actor if is_token else None,
        organisation=getattr(actor, "organisation", None),
        language=translation.get_language() or "",
    )
    if prepare is not None:
        kwargs.update(prepare(job))
    if HUEY.immediate:
        task(job_id=job.pk, **kwargs)
        job.refresh_from_db()
    else:
        # The worker must find the job row: queue it once the transaction has committed.
        transaction.on_commit(lambda: task(job_id=job.pk, **kwargs))
    return job


def import_job_start(
    *,
    actor: Actor,
    upload,
    kind: str,
    task,
    title: Callable[[str], str],
    default_name: str,
    **kwargs,
) -> Job:
    """Start an import of ``upload`` as a background job: the file is stored (storage API) and
    ``task`` gets ``stored`` and ``filename`` besides ``kwargs``; read it there with
    :func:`stored_upload`. A file over the size limit is refused at once and nothing is stored.
    ``title`` makes the job's title from the file's name."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise ImportRejected.file(size_message())
    filename = str(getattr(upload, "name", "") or default_name)
    return job_start(
        actor=actor,
        kind=kind,
        title=title(filename),
        task=task,
        # Kept only until the job has read it (rosters hold full ID numbers): deleted by the
        # job, or with the job's files when its worker is gone.
        prepare=lambda job: {
            "stored": default_storage.save(f"{job_files_prefix(job)}upload", upload)
        },
        filename=filename,
        **kwargs,
    )


@contextmanager
def stored_upload(stored: str, filename: str) -> Iterator[io.BytesIO]:
    """The upload :func:`import_job_start` stored, as a named file object; deleted afterwards
    whatever the outcome."""
    try:
        with default_storage.open(stored, "rb") as handle:
            upload = io.BytesIO(handle.read())
        upload.name = filename
        yield upload
    finally:
        default_storage.delete(stored)


def stored_import_run(
    job: JobContext,
    *,
    stored: str,
    filename: str,
    run: Callable[..., dict],
    summary: str,
    counts: list[tuple[str, str]],
    url: str,
    link_text: str,
    progress_message: Callable[[int, int], str] | None = None,
    **run_kwargs: Any,
) -> dict:
    """The body every import task shares: run ``run`` (an app's ``<thing>_import_run``) on the
    stored upload as the job's actor, with progress, and shape its counts into the job's
    result. ``summary`` is formatted with the counts; ``counts`` pairs a count's key with its
    label. The stored upload is deleted whatever the outcome: it may hold full ID numbers."""

    def progress(done: int, total: int) -> None:
        message = progress_message(done, total) if progress_message else _("Checking rows…")
        job.progress(done, total, message)

    with stored_upload(stored, filename) as upload:
        found = run(actor=job.actor, upload=upload, progress=progress, **run_kwargs)
    return {
        "summary": summary % found,
        "counts": [{"label": label, "value": found[key]} for key, label in counts],
        "url": url,
        "link_text": link_text,
    }


def start_worker_thread(workers: int = 2, *, periodic: bool = True) -> Callable[[], None]:
    """Run a huey consumer inside this process, in threads (for ``upskill demo``, which needs
    no other server), with huey's scheduler so the periodic tasks (the weekly learning progress
    on Mondays, the ledger's nightly checkpoint) run in the demo too. Returns the function that
    stops it. The web server keeps its own handling of Ctrl-C: the consumer's signal handlers
    are undone."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")
    consumer = HUEY.create_consumer(workers=workers, worker_type="thread", periodic=periodic)
    kept = {
        number: signal.getsignal(number)
        for number in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None))
        if number is not None
    }
    consumer.start()
    for number, handler in kept.items():
        signal.signal(number, handler)

    def stop() -> None:
        consumer.stop(graceful=True)

    return stop
