"""The second factor at log-in (django-otp): a user who enrolled an authenticator app, or whose
role needs one (``selectors.second_factor_required``), reaches no page before confirming this
log-in with a code; one who needs it and has none is sent to enrol first."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import second_factor_enrolled, second_factor_required, second_factor_verified

# Set in the session when its user has no second factor and needs none: later requests of the
# session skip the look-up (a log-in starts a new session; enrolling verifies the session).
_NONE_KEY = "_upskill_2fa_none"

# Pages reachable before the second factor: its own pages, logging in and out, the language
# switch, static files and the health check.
_OPEN_NAMES = ("second_factor_verify", "second_factor_enrol", "logout", "login")


class SecondFactorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or getattr(user, "is_api_token", False)
            or second_factor_verified(user)
            or self._open(request.path)
            or request.session.get(_NONE_KEY) == user.pk
        ):
            return self.get_response(request)
        if second_factor_enrolled(user):
            target = "organisations:second_factor_verify"
        elif second_factor_required(user):
            target = "organisations:second_factor_enrol"
        else:
            request.session[_NONE_KEY] = user.pk
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Confirm this log-in with the second factor first.")}, status=403
            )
        url = reverse(target)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)

    @staticmethod
    def _open(path: str) -> bool:
        if path.startswith(("/" + settings.STATIC_URL.lstrip("/"), "/i18n/", "/healthz")):
            return True
        return any(
            path == reverse(name if name in ("login", "logout") else f"organisations:{name}")
            for name in _OPEN_NAMES
        )
