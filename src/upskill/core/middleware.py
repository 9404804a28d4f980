from __future__ import annotations

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
