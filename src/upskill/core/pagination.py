from __future__ import annotations

from django.core.paginator import Page, Paginator


def paginate(request, queryset, per_page: int = 25) -> Page:
    """One page of ``queryset`` from ``?page=``; out-of-range pages show the last page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
