"""The limit on the public certificate verification (page and API), so they cannot be used to
walk certificate numbers (HB61-CRT-1), through the one rate limit of ``core/throttle.py``.
Anonymous look-ups are counted per client address; a shared cache (Redis, ``REDIS_URL``) makes
it hold across server processes.

Staff who are logged in (an active user of an organisation) are not counted: a county office
reaches the product through one NAT address, and its clerks checking certificates all day must
not block each other, nor be blocked by the public at that address. A logged-in user is
accountable (the session names them), which an address is not."""

from __future__ import annotations

from upskill.core.throttle import Rate, hit

# At most this many anonymous look-ups per address in the window.
VERIFY_LIMIT = 30
VERIFY_WINDOW_SECONDS = 600


def _logged_in_staff(request) -> bool:
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "organisation_id", None) is not None
    )


def verification_throttled(request) -> bool:
    """Count this look-up; True once the address has made more than the limit in the window.
    Logged-in staff are never throttled and their look-ups are not counted."""
    if _logged_in_staff(request):
        return False
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hit(f"assessment:verify:{address}", Rate(VERIFY_LIMIT, VERIFY_WINDOW_SECONDS)) > 0
