from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .jobs import row_errors_page
from .models import AccessLog, Job
from .pagination import paginate
from .scoping import get_visible_or_404, require_perm, visible


def home(request):
    """The public landing page, or the signed-in user's start page."""
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    return render(request, "core/home.html", {"organisation": request.user.organisation})


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
    require_perm(request.user, "core.view_accesslog")
    entries = visible(AccessLog, request.user).select_related("user", "organisation")
    return render(request, "core/access_log.html", {"page": paginate(request, entries, 50)})


@login_required
def job_detail(request, pk: int):
    """A background job: its progress bar while it runs, its result or error report after."""
    job = get_visible_or_404(Job, request.user, pk=pk)
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
    job = get_visible_or_404(Job, request.user, pk=pk)
    return render(request, "core/_job_progress.html", _job_context(request, job))
