from __future__ import annotations

from django.conf import settings

from .navigation import items_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "nav_items": items_for(user) if user is not None else [],
        "site_name": settings.UPSKILL_SITE_NAME,
    }
