from __future__ import annotations

from django.conf import settings

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
