from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import lists, uploads
from .forms import error_text
from .jobs import job_check_stale, row_errors_page
from .models import Job, JobStatus
from .navigation import items_for
from .portal import public_services
from .queues import badges, queue_for
from .scoping import get_visible_or_404


def home(request):
    """The public portal, or the signed-in user's work queue: what waits for them, counted
    with the same scoped selectors as the lists it links to (core/queues.py)."""
    if not request.user.is_authenticated:
        return render(request, "core/landing.html", {"services": public_services()})
    waiting = queue_for(request.user)
    request.queue_badges = badges(waiting)  # the side menu shows them without counting again
    return render(
        request,
        "core/home.html",
        {
            "organisation": request.user.organisation,
            "waiting": [item for item in waiting if item.count],
            "clear": [item for item in waiting if not item.count],
        },
    )


@login_required
@never_cache
def queue_badges(request):
    """After any page loads (upskill.js): the side menu's badges, as badge id → count."""
    counts = badges(queue_for(request.user))
    return JsonResponse(
        {
            entry["slug"]: counts[entry["url_name"]]
            for entry in items_for(request.user)
            if counts.get(entry["url_name"])
        }
    )


@require_GET
@never_cache
def healthz(request):
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def access_log(request):
    context = lists.list_context(request, lists.get("core.access_log"))
    if request.headers.get("HX-Request"):
        return render(request, "core/_access_log_rows.html", context)
    return render(request, "core/access_log.html", context)


@login_required
@require_POST
def list_export(request, name: str):
    """Start the export of a list filtered as its page was (the form posts the page's query):
    a background job, whose page shows the progress and then the file to download."""
    try:
        lists.get(name)
    except KeyError:
        raise Http404 from None
    job = lists.list_export_start(actor=request.user, name=name, params=request.POST)
    return redirect("core:job_detail", pk=job.pk)


@login_required
def job_download(request, pk: int):
    """The file an export job wrote, for the user who started it only."""
    job = get_visible_or_404(Job, request.user, pk=pk)
    result = job.result or {}
    if job.status != JobStatus.DONE or "file" not in result or job.created_by_id != request.user.pk:
        raise Http404
    if not default_storage.exists(result["file"]):
        raise Http404
    return FileResponse(
        default_storage.open(result["file"], "rb"),
        as_attachment=True,
        filename=result.get("filename") or "export.xlsx",
    )


@login_required
def job_detail(request, pk: int):
    """A background job: its progress bar while it runs, its result or error report after."""
    job = job_check_stale(get_visible_or_404(Job, request.user, pk=pk))
    context = _job_context(request, job)
    if request.headers.get("HX-Request"):
        return render(request, "core/_job_progress.html", context)
    return render(request, "core/job_detail.html", context)


def _job_context(request, job) -> dict:
    return {"job": job, "problems": row_errors_page(job, request.GET.get("page"))}


@login_required
@never_cache
def job_progress(request, pk: int):
    """htmx: the progress fragment, polled every second until the job ends."""
    job = job_check_stale(get_visible_or_404(Job, request.user, pk=pk))
    return render(request, "core/_job_progress.html", _job_context(request, job))


# The product's error pages, in the reader's language with the site's navigation (urls.py's
# handler403/404/500; the 429 of a rate limit comes from core/throttle.py).
def error_page(request, status: int, title: str, text: str, headers: dict | None = None):
    context = {"error_code": status, "error_title": title, "error_text": text}
    response = render(request, "error.html", context, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def permission_denied(request, exception=None):
    return error_page(
        request,
        403,
        _("You may not open this page"),
        _(
            "Your role does not include this work. If you need it, ask your organisation's "
            "administrator."
        ),
    )


def page_not_found(request, exception=None):
    return error_page(
        request,
        404,
        _("This page does not exist"),
        _("The address may be mistyped, or the record is not in your area of work."),
    )


def server_error(request):
    """The 500 page; if even the page with its menu cannot be made (the database is down), a
    plain one."""
    title = _("Something went wrong on our side")
    text = _("The error is recorded. Please try again in a few minutes.")
    try:
        return error_page(request, 500, title, text)
    except Exception:
        return HttpResponseServerError(
            f"<!DOCTYPE html><title>500</title><h1>{title}</h1><p>{text}</p>"
        )


# -- resumable chunked uploads (core/uploads.py) --------------------------------------------------


@login_required
@never_cache
def upload(request, pk):
    """GET: where the upload stands. POST ?offset=N with the chunk as the file field "chunk":
    stored if N is where the upload stands, else 409 with the offset to resume from. The
    purpose's app opens and finishes the upload (its own endpoints, named in the answer)."""
    current = uploads.upload_of(request.user, pk)
    if request.method != "POST":
        return JsonResponse(uploads.upload_json(current))
    if uploads.upload_too_large(request):
        return JsonResponse({"error": _("The chunk is too large.")}, status=413)
    chunk = request.FILES.get("chunk")
    if chunk is None:
        return JsonResponse({"error": _("Send the chunk as the file field “chunk”.")}, status=400)
    try:
        offset = int(request.GET.get("offset", request.POST.get("offset", "-1")))
    except ValueError:
        offset = -1
    try:
        current = uploads.upload_append(
            actor=request.user, upload=current, offset=offset, chunk=chunk
        )
    except uploads.OffsetMismatch as exc:
        return JsonResponse({"error": error_text(exc), "offset": exc.offset}, status=409)
    except ValidationError as exc:
        return JsonResponse({"error": error_text(exc)}, status=400)
    return JsonResponse(uploads.upload_json(current))
