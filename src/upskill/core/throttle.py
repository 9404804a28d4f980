"""One cache-based rate limit for every look-up that must not be used to walk the registry or
the certificate numbers: the certificate verification (per client address, HB61-CRT-1) and the
look-up of a person by ID number (per API token or per user, ``UPSKILL_LOOKUP_RATE``).

Fixed windows: a counter per key and window in the cache; once it passes the limit, the caller
is told how many seconds remain until the window ends (the ``Retry-After`` of the 429). A shared
cache (Redis, ``REDIS_URL``) makes the limit hold across server processes."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def clock() -> float:
    """The time the windows are counted on (a function, so a test can hold it still)."""
    return time.time()


@dataclass(frozen=True)
class Rate:
    limit: int
    window_seconds: int


def parse_rate(text: str) -> Rate:
    """``"30/minute"`` → 30 per 60 s; the unit may be ``s``/``m``/``h``/``d`` or the word, and
    may carry a count (``"100/10minute"``)."""
    count, _slash, period = str(text).strip().partition("/")
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period[len(digits) :].strip().lower().rstrip("s") or "second"
    seconds = next(
        (value for name, value in _UNITS.items() if name == unit or name[0] == unit), None
    )
    if not count.strip().isdigit() or seconds is None:
        raise ValueError(f"A rate is written like 30/minute, not {text!r}.")
    return Rate(limit=int(count), window_seconds=seconds * int(digits or 1))


def hit(key: str, rate: Rate) -> int:
    """Count one use of ``key``; 0 while within the rate, else the seconds until the window
    ends (at least 1)."""
    now = clock()
    window = int(now // rate.window_seconds)
    bucket = f"throttle:{key}:{window}"
    if cache.add(bucket, 1, rate.window_seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(bucket)
        except ValueError:  # expired between add and incr
            cache.add(bucket, 1, rate.window_seconds + 1)
            count = 1
    if count <= rate.limit:
        return 0
    return max(1, int((window + 1) * rate.window_seconds - now + 0.999))


def actor_key(actor) -> str:
    """Per partner token for a token, per user for a session."""
    if getattr(actor, "is_api_token", False):
        return f"token:{actor.pk}"
    return f"user:{getattr(actor, 'pk', None)}"


def lookup_throttled(actor) -> int:
    """Count one look-up of a person by ID number for this token or user
    (``UPSKILL_LOOKUP_RATE``, default 30 a minute); the seconds to wait, 0 when allowed."""
    return hit(f"lookup:{actor_key(actor)}", parse_rate(settings.UPSKILL_LOOKUP_RATE))


def throttled_message(seconds: int) -> str:
    return _("Too many look-ups. Try again in %(seconds)d seconds.") % {"seconds": seconds}


def too_many_requests(request, seconds: int, text: str = ""):
    """The product's 429 page (with the site's navigation and ``Retry-After``) for a request
    refused by a rate limit of this module."""
    seconds = max(1, int(seconds))
    context = {
        "error_code": 429,
        "error_title": _("Too many requests"),
        "error_text": text
        or _("Please wait %(seconds)d seconds and try again.") % {"seconds": seconds},
    }
    response = render(request, "error.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
