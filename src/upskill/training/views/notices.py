"""Public enrolment notices (GA23-PUB-1): no log-in."""

from __future__ import annotations

from django.shortcuts import render

from upskill.core.pagination import paginate

from .. import selectors
from ..forms import NoticeFilterForm


def notices(request):
    """Approved classes with open places, for anyone (no log-in), filterable with htmx."""
    form = NoticeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    classes = selectors.notices(
        township_id=filters["township"].pk if filters.get("township") else None,
        occupation=filters.get("occupation", ""),
        start_from=filters.get("start_from"),
    )
    context = {"form": form, "page": paginate(request, classes)}
    if request.headers.get("HX-Request"):
        return render(request, "training/_notice_rows.html", context)
    return render(request, "training/notices.html", context)
