from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

from .actor import reset_actor, set_actor


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
            return HttpResponseBadRequest(
                _("The request contains a NUL character, which no field accepts."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if any("\x00" in value for values in request.GET.lists() for value in values[1]):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method == "POST" and content_type.startswith("application/x-www-form-urlencoded"):
        return any("\x00" in value for values in request.POST.lists() for value in values[1])
    return False
