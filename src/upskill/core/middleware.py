from __future__ import annotations

import json
import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from .actor import reset_actor, set_actor
from .views import page_not_found, permission_denied


class ActorMiddleware:
    """Makes the logged-in user the current actor for the audit trail."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = set_actor(user if user is not None and user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            reset_actor(token)


class PermissionsPolicyMiddleware:
    """Sends ``Permissions-Policy`` (settings.UPSKILL_PERMISSIONS_POLICY: feature → allowed
    origins, ``[]`` for none, ``["self"]`` for this site) on every response."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.UPSKILL_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class RejectNulMiddleware:
    """Answers 400 to a request whose path, query string or form fields hold a NUL byte.
    PostgreSQL refuses NUL in text (a 500 wherever a search or a look-up passes one on), and no
    legitimate input has one: refusing it once here covers every page and API operation."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            message = _("The request contains a NUL character, which no field accepts.")
            if request.path_info.startswith("/api/"):  # the API's error shape (ErrorOut)
                return JsonResponse({"detail": str(message)}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if any("\x00" in value for values in request.GET.lists() for value in values[1]):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method == "POST" and content_type.startswith("application/x-www-form-urlencoded"):
        return any("\x00" in value for values in request.POST.lists() for value in values[1])
    if content_type.startswith("application/json") and b"\\u0000" in request.body:
        # a JSON body writes NUL as the escape \u0000 (a PATCH of a person's township code
        # carried one to the database); the body is parsed to be sure it is not "\\u0000" text
        return _json_has_nul(request.body)
    return False


def _json_has_nul(body: bytes) -> bool:
    try:
        stack = [json.loads(body)]
    except ValueError:
        return False  # not JSON: the API answers 422 for it
    while stack:
        value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            return True
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


class ErrorPagesMiddleware:
    """The product's 403 and 404 pages also while ``DEBUG`` is on (the demo): Django's debug
    404 page lists every URL pattern, and neither is in the reader's language. Server errors
    keep the debug page in development (the traceback); outside it ``handler500`` answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and b"DEBUG = True" in getattr(response, "content", b"")
        ):
            return page_not_found(request)
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG:
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        return None


# the session key holding when the session's idle expiry was last pushed forward (epoch seconds)
SESSION_REFRESHED_KEY = "_upskill_refreshed"


class SlidingSessionMiddleware(SessionMiddleware):
    """Django's session middleware, whose idle timeout (``SESSION_SAVE_EVERY_REQUEST``: each
    request pushes the expiry ``SESSION_COOKIE_AGE`` ahead) writes the session at most once per
    ``UPSKILL_SESSION_REFRESH_SECONDS`` (60) when nothing in it changed. The player's heartbeat
    comes every 15 s from every learner (the hot path, issue 17): without this each one would
    rewrite its session row. The idle timeout is then 29–30 minutes instead of exactly 30."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is None or not settings.SESSION_SAVE_EVERY_REQUEST or session.is_empty():
            return super().process_response(request, response)
        now = int(time.time())
        refreshed = session.get(SESSION_REFRESHED_KEY)
        every = int(getattr(settings, "UPSKILL_SESSION_REFRESH_SECONDS", 60))
        if not session.modified and isinstance(refreshed, int) and 0 <= now - refreshed < every:
            # unchanged and refreshed a moment ago: the stored expiry stands, no write
            patch_vary_headers(response, ("Cookie",))
            return response
        session[SESSION_REFRESHED_KEY] = now
        return super().process_response(request, response)
