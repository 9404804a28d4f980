"""Pages of the subsidies app: thin, they parse, call a service or selector, and render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core.exports import xlsx_response
from upskill.core.imports import ImportRejected
from upskill.core.jobs import job_start
from upskill.core.pagination import paginate
from upskill.core.scoping import get_visible_or_404, require_perm, visible
from upskill.organisations.models import Organisation
from upskill.training.models import TrainingClass

from . import forms, ledger, selectors, services
from .models import (
    CalendarDay,
    Claim,
    ClaimLine,
    ClaimStatus,
    Fund,
    Objection,
    PaymentBatch,
    PaymentItem,
)
from .tasks import settle_job


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _today(request) -> date:
    return timezone.localdate()


# -- claims ----------------------------------------------------------------------------------


@login_required
def claim_list(request):
    require_perm(request.user, "subsidies.view_claim")
    claims = selectors.claim_list(actor=request.user)
    return render(
        request,
        "subsidies/claim_list.html",
        {
            "page": paginate(request, claims),
            "claimable": selectors.claimable_classes(actor=request.user)
            if request.user.has_perm("subsidies.submit_claim")
            else [],
            "enterprise_programs": selectors.enterprise_programs(actor=request.user),
            "township_years": selectors.township_claimable_years(actor=request.user),
        },
    )


@login_required
@require_POST
def claim_assemble(request, class_pk: int):
    training_class = get_visible_or_404(
        TrainingClass, request.user, perm="subsidies.submit_claim", pk=class_pk
    )
    try:
        claim = services.claim_assemble(actor=request.user, training_class=training_class)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("subsidies:claim_list")
    return redirect("subsidies:claim_detail", pk=claim.pk)


@login_required
@require_POST
def claim_assemble_enterprise(request):
    """An enterprise's claim for a program without a class (HB61-CMP-1/2, HB45-APP-1,
    HB45-TEC-1, HB61-WFT-1), from its records of that program and year."""
    require_perm(request.user, "subsidies.submit_claim")
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("Give the year of the records."))
        return redirect("subsidies:claim_list")
    try:
        claim = services.claim_assemble_enterprise(
            actor=request.user, program=request.POST.get("program", ""), year=year
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("subsidies:claim_list")
    return redirect("subsidies:claim_detail", pk=claim.pk)


@login_required
@require_POST
def claim_assemble_township(request):
    """A township centre's claim for its management fees (GA23-FEE-1) of a training year."""
    require_perm(request.user, "subsidies.submit_claim")
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("Give the year of the training."))
        return redirect("subsidies:claim_list")
    try:
        claim = services.claim_assemble_township(actor=request.user, year=year)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("subsidies:claim_list")
    return redirect("subsidies:claim_detail", pk=claim.pk)


@login_required
def claim_detail(request, pk: int):
    claim = get_visible_or_404(
        Claim.objects.select_related(
            "claimant", "training_class", "county", "fund"
        ).prefetch_related(
            Prefetch(
                "lines",
                queryset=ClaimLine.objects.select_related("person").prefetch_related("items"),
            ),
            "objections",
        ),
        request.user,
        perm="subsidies.view_claim",
        pk=pk,
    )
    user = request.user
    is_claimant = getattr(user, "organisation_id", None) == claim.claimant_id
    can_review = user.has_perm("subsidies.review_claim") and not is_claimant
    funds = visible(Fund, user).filter(region=claim.county)
    advance_max = None
    if can_review and claim.status == ClaimStatus.UNDER_REVIEW and claim.advance_share is None:
        version = selectors.advance_share(claim, _today(request))
        advance_max = version.value if version is not None else None
    return render(
        request,
        "subsidies/claim_detail.html",
        {
            "claim": claim,
            "lines": claim.lines.all(),
            "documents": selectors.documents_checklist(claim),
            "problems": selectors.submission_problems(claim)
            if claim.status in (ClaimStatus.DRAFT, ClaimStatus.RETURNED) and is_claimant
            else [],
            "can_submit": is_claimant
            and user.has_perm("subsidies.submit_claim")
            and claim.status in (ClaimStatus.DRAFT, ClaimStatus.RETURNED),
            "can_review": can_review,
            "approve_form": forms.ApproveForm(funds=funds),
            "advance_form": forms.AdvanceForm(funds=funds, max_share=advance_max)
            if advance_max is not None
            else None,
            "advance_max": advance_max,
            "document_form": forms.DocumentForm(),
            "open_objections": [o for o in claim.objections.all() if o.status == "open"],
        },
    )


@login_required
@require_POST
def claim_document(request, pk: int):
    claim = get_visible_or_404(Claim, request.user, perm="subsidies.submit_claim", pk=pk)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.claim_document_upload(
                actor=request.user,
                claim=claim,
                key=form.cleaned_data["key"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose a file."))
    return redirect("subsidies:claim_detail", pk=pk)


@login_required
@require_POST
def claim_action(request, pk: int, action: str):
    """submit (claimant); take, return, approve (reviewer)."""
    claim = get_visible_or_404(Claim, request.user, perm="subsidies.view_claim", pk=pk)
    user = request.user
    try:
        if action == "submit":
            services.claim_submit(actor=user, claim=claim)
            messages.success(request, _("The claim is submitted."))
        elif action == "reassemble":
            services.claim_reassemble(actor=user, claim=claim)
        elif action == "take":
            services.claim_take(actor=user, claim=claim)
        elif action == "return":
            services.claim_return(actor=user, claim=claim, reasons=request.POST.get("reason", ""))
        elif action == "approve":
            form = forms.ApproveForm(request.POST, funds=visible(Fund, user))
            if not form.is_valid():
                raise ValidationError(_("Choose the fund."))
            claim = services.claim_approve(actor=user, claim=claim, fund=form.cleaned_data["fund"])
            messages.success(
                request,
                _("Approved; public notice until %(day)s (HB45-PUB-1).")
                % {"day": claim.notice_until},
            )
        elif action == "advance":
            form = forms.AdvanceForm(request.POST, funds=visible(Fund, user))
            if not form.is_valid():
                raise ValidationError(_("Choose the fund and the share to advance."))
            services.claim_advance(
                actor=user,
                claim=claim,
                fund=form.cleaned_data["fund"],
                share=form.cleaned_data["share"],
                today=_today(request),
            )
            messages.success(request, _("The advance is recorded in the ledger (HB45-ADV-1)."))
        else:
            return HttpResponse(status=404)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("subsidies:claim_detail", pk=pk)


@login_required
@require_POST
def line_decide(request, pk: int):
    line = get_visible_or_404(ClaimLine, request.user, perm="subsidies.review_claim", pk=pk)
    try:
        services.claim_line_decide(
            actor=request.user,
            line=line,
            approve=request.POST.get("decision") == "approve",
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("subsidies:claim_detail", pk=line.claim_id)


@login_required
@require_POST
def objection_resolve(request, pk: int):
    objection = get_visible_or_404(Objection, request.user, perm="subsidies.review_claim", pk=pk)
    form = forms.ResolveForm(request.POST)
    if form.is_valid():
        line = None
        if form.cleaned_data["line"]:
            line = get_visible_or_404(ClaimLine, request.user, pk=form.cleaned_data["line"])
        try:
            services.objection_resolve(
                actor=request.user,
                objection=objection,
                uphold=form.cleaned_data["uphold"],
                resolution=form.cleaned_data["resolution"],
                line=line,
            )
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Give the resolution."))
    return redirect("subsidies:claim_detail", pk=objection.claim_id)


@login_required
def township_fees(request):
    """A township centre's management fees (GA23-FEE-1): one per trainee of its township whose
    training was claimed, with the line's decision and the payment's status."""
    require_perm(request.user, "subsidies.view_claimitem")
    items = selectors.township_fee_items(actor=request.user)
    return render(request, "subsidies/township_fees.html", {"page": paginate(request, items)})


# -- public notice (HB45-PUB-1) ----------------------------------------------------------------


def notice_list(request):
    return render(
        request, "subsidies/notice_list.html", {"claims": selectors.notices(on=_today(request))}
    )


def notice_detail(request, pk: int):
    claim = get_object_or_404(selectors.notices(on=_today(request)), pk=pk)
    form = forms.ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_lodge(claim=claim, **form.cleaned_data)
            messages.success(request, _("Your objection is recorded; the bureau will answer it."))
            return redirect("subsidies:notice_detail", pk=pk)
        except ValidationError as exc:
            _errors(request, exc)
    lines = (
        claim.lines.filter(decision="approved", total__gt=0).select_related("person").order_by("pk")
    )
    return render(
        request, "subsidies/notice_detail.html", {"claim": claim, "lines": lines, "form": form}
    )


# -- payment -----------------------------------------------------------------------------------


@login_required
def batch_list(request):
    require_perm(request.user, "subsidies.view_paymentbatch")
    funds = visible(Fund, request.user)
    form = forms.BatchForm(request.POST or None, funds=funds)
    if request.method == "POST":
        require_perm(request.user, "subsidies.add_paymentbatch")
        if form.is_valid():
            try:
                batch = services.batch_create(actor=request.user, **form.cleaned_data)
                return redirect("subsidies:batch_detail", pk=batch.pk)
            except ValidationError as exc:
                _errors(request, exc)
    return render(
        request,
        "subsidies/batch_list.html",
        {"page": paginate(request, selectors.batch_list(actor=request.user)), "form": form},
    )


@login_required
def batch_detail(request, pk: int):
    batch = get_visible_or_404(
        PaymentBatch.objects.select_related("fund"),
        request.user,
        perm="subsidies.view_paymentbatch",
        pk=pk,
    )
    payments = list(batch.items.select_related("item__line__person", "item__payee_organisation"))
    accounts = selectors.batch_accounts(batch, payments)
    for payment in payments:
        payment.account_state = accounts[payment.pk]
    return render(
        request,
        "subsidies/batch_detail.html",
        {
            "batch": batch,
            "payments": payments,
            "rows": selectors.batch_rows(batch),
            "results_form": forms.ResultsForm(),
        },
    )


@login_required
@require_POST
def batch_export(request, pk: int, fmt: str):
    batch = get_visible_or_404(
        PaymentBatch, request.user, perm="subsidies.export_paymentbatch", pk=pk
    )
    try:
        content, name = services.batch_export(actor=request.user, batch=batch, fmt=fmt)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("subsidies:batch_detail", pk=pk)
    kind = (
        "text/csv"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def batch_results(request, pk: int):
    batch = get_visible_or_404(
        PaymentBatch, request.user, perm="subsidies.export_paymentbatch", pk=pk
    )
    form = forms.ResultsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            outcome = services.batch_results_import(
                actor=request.user, batch=batch, upload=form.cleaned_data["file"]
            )
            messages.success(request, _("%(paid)d paid, %(failed)d failed.") % outcome)
        except ImportRejected as exc:
            for error in exc.errors:
                messages.error(request, f"{error.row} {error.field}: {error.message}")
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("subsidies:batch_detail", pk=pk)


@login_required
@require_POST
def payment_action(request, pk: int, action: str):
    payment = get_visible_or_404(
        PaymentItem, request.user, perm="subsidies.export_paymentbatch", pk=pk
    )
    try:
        if action == "retry":
            services.payment_retry(actor=request.user, payment=payment)
        elif action == "cancel":
            services.payment_cancel(
                actor=request.user, payment=payment, reason=request.POST.get("reason", "")
            )
        else:
            return HttpResponse(status=404)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("subsidies:batch_detail", pk=payment.batch_id)


@login_required
def payee_account(request, org_pk: int):
    organisation = get_visible_or_404(
        Organisation, request.user, perm="subsidies.change_payeeaccount", pk=org_pk
    )
    form = forms.PayeeAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payee_account_set(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
            messages.success(request, _("Saved."))
            return redirect("subsidies:batch_list")
        except ValidationError as exc:
            _errors(request, exc)
    return render(
        request,
        "subsidies/simple_form.html",
        {"form": form, "title": _("Bank account of %(org)s") % {"org": organisation.name}},
    )


# -- ledger, funds, calendar ---------------------------------------------------------------


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
                _errors(request, exc)
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


# -- public disclosure (HB45-PUB-1) ----------------------------------------------------------


def _year(request) -> int:
    years = selectors.disclosure_years()
    try:
        return int(request.GET.get("year") or (years[0] if years else timezone.localdate().year))
    except ValueError:
        return timezone.localdate().year


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
                (_("By fund"), data["fund"]),
                (_("By programme"), data["program"]),
                (_("By township"), data["township"]),
                (_("By institution"), data["institution"]),
            ],
            "chart": mark_safe(selectors.bar_chart_svg(data["institution"])),  # noqa: S308
        },
    )


def disclosure_xlsx(request):
    year = _year(request)
    try:
        data = selectors.disclosure(year=year)
    except ValidationError as exc:
        return HttpResponse(exc.messages[0], status=400, content_type="text/plain; charset=utf-8")
    names = {
        "fund": _("Fund"),
        "program": _("Programme"),
        "township": _("Township"),
        "institution": _("Institution"),
    }
    rows = [
        [str(names[dimension]), row.key, row.amount, row.people]
        for dimension, aggregates in data.items()
        for row in aggregates
    ]
    return xlsx_response(
        f"fund-use-{year}.xlsx", str(year), [_("By"), _("Name"), _("Amount"), _("People")], rows
    )


# -- batch settlement ------------------------------------------------------------------------


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
