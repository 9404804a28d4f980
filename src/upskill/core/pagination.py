from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination


def paginate(request, queryset, per_page: int = 25) -> Page:
    """One page of ``queryset`` from ``?page=``; out-of-range pages show the last page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class PageNumberPagination(NinjaPageNumberPagination):
    """The API's ``?page=&page_size=``: a page past the last answers no items (with the count),
    without asking the database for an offset it cannot hold (``?page=10**21`` overflowed the
    64-bit OFFSET and answered 500)."""

    def paginate_queryset(self, queryset, pagination: Any, request, **params: Any) -> Any:
        page_size = self._get_page_size(pagination.page_size)
        count = self._items_count(queryset)
        offset = (pagination.page - 1) * page_size
        items = queryset[offset : offset + page_size] if offset < count else []
        return {self.items_attribute: items, "count": count}
