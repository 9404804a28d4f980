"""The claim pages: the list, assembly, the claim with its documents, review and objections,
the township's management fees."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core.forms import error_messages, service_action
from upskill.core.lists import list_context
from upskill.core.scoping import get_visible_or_404, require_perm, visible
from upskill.training.models import TrainingClass

from .. import forms, lists, selectors, services
from ..models import (
    Claim,
    ClaimItem,
    ClaimLine,
    Fund,
    Objection,
)
from ..selectors import advances as advance_selectors


def _claim_url(claim: Claim) -> str:
    return reverse("subsidies:claim_detail", kwargs={"pk": claim.pk})


@login_required
def claim_list(request):
    context = list_context(request, lists.CLAIMS)
    if request.headers.get("HX-Request"):
        return render(request, "subsidies/_claim_rows.html", context)
    return render(
        request,
        "subsidies/claim_list.html",
        {
            **context,
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
    return service_action(
        request,
        lambda: services.claim_assemble(actor=request.user, training_class=training_class),
        redirect_to=_claim_url,
        refused_redirect_to="subsidies:claim_list",
        each_message=True,
    )


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
    return service_action(
        request,
        lambda: services.claim_assemble_enterprise(
            actor=request.user, program=request.POST.get("program", ""), year=year
        ),
        redirect_to=_claim_url,
        refused_redirect_to="subsidies:claim_list",
        each_message=True,
    )


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
    return service_action(
        request,
        lambda: services.claim_assemble_township(actor=request.user, year=year),
        redirect_to=_claim_url,
        refused_redirect_to="subsidies:claim_list",
        each_message=True,
    )


def _for_reader(lines):
    """Each line's sentences in the reader's language, from its stored facts (issue 15.9)."""
    lines = list(lines)
    for line in lines:
        line.explanation = selectors.explanation_for_reader(line.explanation or {})
    return lines


@login_required
def claim_detail(request, pk: int):
    claim = get_visible_or_404(
        Claim.objects.select_related(
            "claimant", "training_class", "county", "fund"
        ).prefetch_related(
            Prefetch(
                "lines",
                queryset=ClaimLine.objects.select_related("person").prefetch_related(
                    Prefetch(
                        "items",
                        queryset=ClaimItem.objects.select_related("payee_organisation"),
                    )
                ),
            ),
            "objections",
        ),
        request.user,
        perm="subsidies.view_claim",
        pk=pk,
    )
    user = request.user
    permissions = selectors.claim_permissions(actor=user, obj=claim)
    funds, fund_labels = visible(Fund, user).none(), {}
    if permissions.decide:
        # HB45-FND-1: the funds that may pay every item, with the budget left of each
        choices = advance_selectors.claim_fund_choices(actor=user, claim=claim)
        fund_labels = {c.fund.pk: c.remaining for c in choices if not c.refusal}
        funds = visible(Fund, user).filter(pk__in=fund_labels)
    return render(
        request,
        "subsidies/claim_detail.html",
        {
            **_lines_context(claim, permissions),
            "documents": selectors.documents_checklist(claim),
            "problems": selectors.submission_problems(claim) if permissions.submit else [],
            "permissions": permissions,
            "approve_form": forms.ApproveForm(funds=funds, remaining=fund_labels),
            "advance": advance_selectors.advance_of_claim(claim),
            "document_form": forms.DocumentForm(),
            "open_objections": [o for o in claim.objections.all() if o.status == "open"],
        },
    )


def _lines_context(claim: Claim, permissions) -> dict:
    lines = _for_reader(claim.lines.all())
    return {
        "claim": claim,
        "lines": lines,
        "permissions": permissions,
        "pending": sum(
            1
            for line in lines
            if line.status == "accepted" and line.total > 0 and line.decision == "pending"
        ),
    }


def _lines_fragment(request, pk: int):
    """The claim's lines and totals, updated in place after a decision (htmx, issue 15.4)."""
    claim = get_visible_or_404(
        Claim.objects.prefetch_related(
            Prefetch(
                "lines",
                queryset=ClaimLine.objects.select_related("person").prefetch_related(
                    Prefetch(
                        "items", queryset=ClaimItem.objects.select_related("payee_organisation")
                    )
                ),
            )
        ),
        request.user,
        perm="subsidies.view_claim",
        pk=pk,
    )
    permissions = selectors.claim_permissions(actor=request.user, obj=claim)
    return render(
        request,
        "subsidies/_claim_lines.html",
        {**_lines_context(claim, permissions), "fragment": True},
    )


def _exceptions(request) -> dict[int, str]:
    """The lines marked "refuse" in the review form, with the reason beside each."""
    exceptions = {}
    for value in request.POST.getlist("refuse"):
        if value.isdigit():
            exceptions[int(value)] = request.POST.get(f"reason_{value}", "")
    return exceptions


@login_required
@require_POST
def claim_document(request, pk: int):
    claim = get_visible_or_404(Claim, request.user, perm="subsidies.submit_claim", pk=pk)
    form = forms.DocumentForm(request.POST, request.FILES)
    url = reverse("subsidies:claim_detail", kwargs={"pk": pk})
    return service_action(
        request,
        lambda: services.claim_document_upload(
            actor=request.user,
            claim=claim,
            key=form.cleaned_data["key"],
            upload=form.cleaned_data["file"],
        ),
        redirect_to=url,
        each_message=True,
        form=form,
        invalid_message=_("Choose a file."),
    )


@login_required
@require_POST
def claim_action(request, pk: int, action: str):
    """submit (claimant); take, return, approve (reviewer)."""
    claim = get_visible_or_404(Claim, request.user, perm="subsidies.view_claim", pk=pk)
    user = request.user

    def approve() -> Claim:
        form = forms.ApproveForm(request.POST, funds=visible(Fund, user))
        if not form.is_valid():
            raise ValidationError(_("Choose the fund."))
        return services.claim_approve(
            actor=user,
            claim=claim,
            fund=form.cleaned_data["fund"],
            approve_remaining=bool(request.POST.get("approve_remaining")),
            exceptions=_exceptions(request),
        )

    if action == "lines":
        # approve every line not decided yet, but the exceptions (issue 15.4)
        try:
            done = services.claim_lines_approve_remaining(
                actor=user, claim=claim, exceptions=_exceptions(request)
            )
            messages.success(request, _("%(approved)d lines approved, %(refused)d refused.") % done)
        except ValidationError as exc:
            error_messages(request, exc)
        if request.headers.get("HX-Request"):
            return _lines_fragment(request, pk)
        return redirect("subsidies:claim_detail", pk=pk)

    actions = {
        "submit": (
            lambda: services.claim_submit(actor=user, claim=claim),
            _("The claim is submitted."),
        ),
        "reassemble": (lambda: services.claim_reassemble(actor=user, claim=claim), None),
        "take": (lambda: services.claim_take(actor=user, claim=claim), None),
        "return": (
            lambda: services.claim_return(
                actor=user, claim=claim, reasons=request.POST.get("reason", "")
            ),
            None,
        ),
        "approve": (
            approve,
            lambda approved: (
                _("Approved; public notice until %(day)s (HB45-PUB-1).")
                % {"day": approved.notice_until}
            ),
        ),
    }
    if action not in actions:
        return HttpResponse(status=404)
    run, success_message = actions[action]
    return service_action(
        request,
        run,
        redirect_to=reverse("subsidies:claim_detail", kwargs={"pk": pk}),
        success_message=success_message,
        each_message=True,
    )


@login_required
@require_POST
def line_decide(request, pk: int):
    line = get_visible_or_404(ClaimLine, request.user, perm="subsidies.review_claim", pk=pk)
    reason = request.POST.get("reason") or request.POST.get(f"reason_{line.pk}", "")
    response = service_action(
        request,
        lambda: services.claim_line_decide(
            actor=request.user,
            line=line,
            approve=request.POST.get("decision") == "approve",
            reason=reason,
        ),
        redirect_to=reverse("subsidies:claim_detail", kwargs={"pk": line.claim_id}),
        each_message=True,
    )
    if request.headers.get("HX-Request"):
        return _lines_fragment(request, line.claim_id)  # the row changes in place
    return response


@login_required
@require_POST
def objection_resolve(request, pk: int):
    objection = get_visible_or_404(Objection, request.user, perm="subsidies.review_claim", pk=pk)
    form = forms.ResolveForm(request.POST)
    url = reverse("subsidies:claim_detail", kwargs={"pk": objection.claim_id})
    if not form.is_valid():
        messages.error(request, _("Give the resolution."))
        return redirect(url)
    line = None
    if form.cleaned_data["line"]:
        line = get_visible_or_404(ClaimLine, request.user, pk=form.cleaned_data["line"])
    return service_action(
        request,
        lambda: services.objection_resolve(
            actor=request.user,
            objection=objection,
            uphold=form.cleaned_data["uphold"],
            resolution=form.cleaned_data["resolution"],
            line=line,
        ),
        redirect_to=url,
        each_message=True,
    )


@login_required
def township_fees(request):
    """A township centre's management fees (GA23-FEE-1): one per trainee of its township whose
    training was claimed, with the line's decision and the payment's status."""
    context = list_context(request, lists.TOWNSHIP_FEES)
    if request.headers.get("HX-Request"):
        return render(request, "subsidies/_township_fee_rows.html", context)
    return render(request, "subsidies/township_fees.html", context)


@login_required
def claim_roster(request, pk: int, fmt: str):
    """The claim's roster of qualified trainees, generated by the system (HB61-DOC-1): Excel or
    PDF, ID numbers masked."""
    claim = get_visible_or_404(
        Claim.objects.select_related("claimant"), request.user, perm="subsidies.view_claim", pk=pk
    )
    if fmt == "xlsx":
        response = HttpResponse(
            selectors.claim_roster_xlsx(claim),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "pdf":
        response = HttpResponse(selectors.claim_roster_pdf(claim), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="claim-{claim.pk}-roster.{fmt}"'
    return response
