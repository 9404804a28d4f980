"""The bureau's pages: the fund ledger, funds, the working-day calendar, the batch settlement."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core.forms import error_messages
from upskill.core.jobs import job_start
from upskill.core.pagination import paginate
from upskill.core.scoping import get_visible_or_404, require_perm, visible

from .. import forms, ledger, selectors, services
from ..models import (
    CalendarDay,
)
from ..tasks import settle_job


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
        if form.is_valid():
            try:
                services.fund_set(
                    actor=request.user,
                    region=request.user.organisation.region,
                    **form.cleaned_data,
                )
                return redirect("subsidies:fund_list")
            except ValidationError as exc:
                error_messages(request, exc)
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
    if request.method == "POST":
        if "remove" in request.POST:
            day = get_visible_or_404(CalendarDay, request.user, pk=request.POST["remove"])
            services.calendar_day_remove(actor=request.user, day=day)
            return redirect(f"{request.path}?year={year}")
        if form.is_valid():
            services.calendar_day_set(actor=request.user, **form.cleaned_data)
            return redirect(f"{request.path}?year={form.cleaned_data['day'].year}")
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
    if request.method == "POST" and form.is_valid():
        prefix = organisation.jurisdiction_prefix if organisation else None
        if not request.user.is_superuser and (
            not prefix or not form.cleaned_data["region"].startswith(prefix)
        ):
            form.add_error("region", _("Choose a region of your jurisdiction."))
        else:
            job = job_start(
                actor=request.user,
                kind="subsidies.settle",
                task=settle_job,
                title=_("Batch settlement %(region)s %(year)s") % form.cleaned_data,
                **form.cleaned_data,
            )
            return redirect("core:job_detail", pk=job.pk)
    return render(
        request, "subsidies/simple_form.html", {"form": form, "title": _("Batch settlement")}
    )
