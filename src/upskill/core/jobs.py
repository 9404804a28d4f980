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
"""

from __future__ import annotations

import io
import logging
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

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


def _run(func: Callable[..., Any], job_id: int, kwargs: dict[str, Any]) -> None:
    job = (
        Job.objects.select_related("created_by", "token", "organisation").filter(pk=job_id).first()
    )
    if job is None or job.status != JobStatus.QUEUED:
        return  # rolled back with its transaction, or already run (delivered twice)
    job.status, job.started_at = JobStatus.RUNNING, timezone.now()
    Job.objects.filter(pk=job.pk).update(status=job.status, started_at=job.started_at)
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
            _finish(
                job,
                JobStatus.FAILED,
                error=" ".join(exc.messages),
                message="",
                result=_keep_origin(None),
            )
        except Exception:
            logger.exception("background job %s (%s) failed", job.pk, job.kind)
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


def job_task(func: Callable[..., Any]):
    """Decorator: ``func(job: JobContext, **kwargs) -> result`` (JSON-able) becomes a huey task
    that :func:`job_start` queues. Keep job functions in an app's ``tasks.py`` module, which
    ``upskill run_huey`` imports."""

    @wraps(func)
    def run(job_id: int, **kwargs):
        _run(func, job_id, kwargs)

    task = db_task(name=func.__name__, retries=0)(run)  # huey prefixes the module
    task.job_function = func
    return task


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


def job_start(*, actor: Actor, kind: str, task, title: str = "", **kwargs) -> Job:
    """Create a Job and enqueue task (a function decorated with @job_task) on huey with job_id
    and kwargs; in tests huey runs immediately."""
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
    # Kept only until the job has read it: rosters hold full ID numbers.
    stored = default_storage.save(f"imports/{uuid.uuid4().hex}.upload", upload)
    return job_start(
        actor=actor,
        kind=kind,
        title=title(filename),
        task=task,
        stored=stored,
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


def start_worker_thread(workers: int = 2) -> Callable[[], None]:
    """Run a huey consumer inside this process, in threads (for ``upskill demo``, which needs
    no other server). Returns the function that stops it. The web server keeps its own
    handling of Ctrl-C: the consumer's signal handlers are undone."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")
    consumer = HUEY.create_consumer(workers=workers, worker_type="thread", periodic=False)
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
