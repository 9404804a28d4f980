"""The limit on the public certificate verification (page and API), so they cannot be used to
walk certificate numbers (HB61-CRT-1): per client address, through the one rate limit of
``core/throttle.py``."""

from __future__ import annotations

from upskill.core.throttle import Rate, hit

# At most this many look-ups per address in the window.
VERIFY_LIMIT = 30
VERIFY_WINDOW_SECONDS = 600


def verification_throttled(request) -> bool:
    """Count this look-up; True once the address has made more than the limit in the window."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hit(f"assessment:verify:{address}", Rate(VERIFY_LIMIT, VERIFY_WINDOW_SECONDS)) > 0
