"""The bureau's pages: the fund ledger, funds, the working-day calendar, the batch settlement."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core.forms import form_action, service_action
from upskill.core.pagination import paginate
from upskill.core.scoping import get_visible_or_404, require_perm, visible

from .. import forms, ledger, selectors, services
from ..models import (
    CalendarDay,
)


@login_required
def ledger_page(request):
    require_perm(request.user, "subsidies.view_ledgerentry")
    entries = selectors.ledger_entries(actor=request.user).order_by("-seq")
    page = paginate(request, entries)
    # Not the whole chain per view: the newest signed checkpoint, the entries after it, and the
    # rows shown here re-hashed. The daily job walks the whole chain.
    changed = ledger.check_entries(page.object_list)
    return render(
        request,
        "subsidies/ledger.html",
        {
            "page": page,
            "verification": ledger.verify_recent(),
            "changed": changed,
            "checkpoints": ledger.signature_status(
                selectors.ledger_checkpoints(actor=request.user)[:5]
            ),
            "last_full": selectors.ledger_checkpoints(actor=request.user)
            .filter(full_walk=True)
            .first(),
        },
    )


@login_required
def fund_list(request):
    require_perm(request.user, "subsidies.view_fund")
    form = forms.FundForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, "subsidies.change_fund")
    if response := form_action(
        request,
        form,
        lambda data: services.fund_set(
            actor=request.user, region=request.user.organisation.region, **data
        ),
        redirect_to="subsidies:fund_list",
    ):
        return response
    return render(
        request,
        "subsidies/fund_list.html",
        {"funds": selectors.fund_overview(actor=request.user), "form": form},
    )


@login_required
def calendar_page(request):
    require_perm(request.user, "subsidies.change_calendarday")
    year = int(request.GET.get("year") or timezone.localdate().year)
    form = forms.CalendarDayForm(request.POST or None)
    if request.method == "POST" and "remove" in request.POST:
        day = get_visible_or_404(CalendarDay, request.user, pk=request.POST["remove"])
        return service_action(
            request,
            lambda: services.calendar_day_remove(actor=request.user, day=day),
            redirect_to=f"{request.path}?year={year}",
        )
    if response := form_action(
        request,
        form,
        lambda data: services.calendar_day_set(actor=request.user, **data),
        redirect_to=lambda day: f"{request.path}?year={day.date.year}",
    ):
        return response
    days = visible(CalendarDay, request.user).filter(date__year=year)
    return render(request, "subsidies/calendar.html", {"days": days, "form": form, "year": year})


@login_required
def settle_start(request):
    require_perm(request.user, "subsidies.view_fund")
    organisation = request.user.organisation
    form = forms.SettleForm(
        request.POST or None,
        initial={
            "region": organisation.region.code if organisation else "",
            "year": timezone.localdate().year,
        },
    )
    if response := form_action(
        request,
        form,
        lambda data: services.settlement_start(actor=request.user, **data),
        redirect_to=lambda job: reverse("core:job_detail", kwargs={"pk": job.pk}),
    ):
        return response
    return render(
        request, "subsidies/simple_form.html", {"form": form, "title": _("Batch settlement")}
    )
