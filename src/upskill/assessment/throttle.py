"""A simple cache-based limit on the public certificate verification (page and API), so they
cannot be used to walk certificate numbers (HB61-CRT-1). Per client address; a shared cache
(Redis, ``REDIS_URL``) makes it hold across server processes."""

from __future__ import annotations

from django.core.cache import cache

# At most this many look-ups per address in the window.
VERIFY_LIMIT = 30
VERIFY_WINDOW_SECONDS = 600


def verification_throttled(request) -> bool:
    """Count this look-up; True once the address has made more than the limit in the window."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    key = f"assessment:verify:{address}"
    if cache.add(key, 1, VERIFY_WINDOW_SECONDS):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, VERIFY_WINDOW_SECONDS)
        return False
    return count > VERIFY_LIMIT
