from __future__ import annotations

from django.conf import settings

from .navigation import menu_for


def navigation(request) -> dict:
    """The side menu of every page. Its badges come with the page when the view counted the
    work already (the home page sets ``request.queue_badges``), else htmx fetches them after
    the page loads (``core:queue_badges``), so a page costs no extra queries."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_menu": {}, "site_name": settings.UPSKILL_SITE_NAME}
    badges = getattr(request, "queue_badges", None)
    menu = menu_for(user, request.path, badges)
    return {
        "nav_items": menu["items"],
        "nav_menu": menu,
        "queue_badges_inline": badges is not None,
        "site_name": settings.UPSKILL_SITE_NAME,
    }
