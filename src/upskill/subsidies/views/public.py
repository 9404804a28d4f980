"""The public pages, no log-in (HB45-PUB-1): the public notices that take objections, and the
disclosure of the amounts paid."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from upskill.core.exports import xlsx_response
from upskill.core.forms import form_action
from upskill.core.routers import reads_from_replica

from .. import forms, selectors, services
from ._common import _today


def notice_list(request):
    return render(
        request, "subsidies/notice_list.html", {"claims": selectors.notices(on=_today(request))}
    )


def notice_detail(request, pk: int):
    claim = get_object_or_404(selectors.notices(on=_today(request)), pk=pk)
    form = forms.ObjectionForm(request.POST or None)
    if response := form_action(
        request,
        form,
        lambda data: services.objection_lodge(actor=request.user, claim=claim, **data),
        redirect_to=reverse("subsidies:notice_detail", kwargs={"pk": pk}),
        success_message=_("Your objection is recorded; the bureau will answer it."),
    ):
        return response
    lines = (
        claim.lines.filter(decision="approved", total__gt=0).select_related("person").order_by("pk")
    )
    return render(
        request, "subsidies/notice_detail.html", {"claim": claim, "lines": lines, "form": form}
    )


def _year(request) -> int:
    years = selectors.disclosure_years()
    try:
        return int(request.GET.get("year") or (years[0] if years else timezone.localdate().year))
    except ValueError:
        return timezone.localdate().year


@reads_from_replica
def disclosure(request):
    year = _year(request)
    try:
        data = selectors.disclosure(year=year)
    except ValidationError as exc:
        context = {"year": year, "years": selectors.disclosure_years(), "error": exc.messages[0]}
        return render(request, "subsidies/disclosure.html", context, status=400)
    return render(
        request,
        "subsidies/disclosure.html",
        {
            "year": year,
            "years": selectors.disclosure_years(),
            "total": selectors.disclosure_total(year=year),
            "sections": [
                (_("By fund"), data[selectors.Dimension.FUND]),
                (_("By programme"), data[selectors.Dimension.PROGRAM]),
                (_("By township"), data[selectors.Dimension.TOWNSHIP]),
                (_("By institution"), data[selectors.Dimension.INSTITUTION]),
            ],
            "chart": mark_safe(selectors.bar_chart_svg(data["institution"])),  # noqa: S308
        },
    )


@reads_from_replica
def disclosure_xlsx(request):
    year = _year(request)
    try:
        data = selectors.disclosure(year=year)
    except ValidationError as exc:
        return HttpResponse(exc.messages[0], status=400, content_type="text/plain; charset=utf-8")
    rows = [
        [str(selectors.Dimension(dimension).label), row.key, row.amount, row.people]
        for dimension, aggregates in data.items()
        for row in aggregates
    ]
    return xlsx_response(
        f"fund-use-{year}.xlsx", str(year), [_("By"), _("Name"), _("Amount"), _("People")], rows
    )
