"""Pages of the advance payments (HB45-ADV-1) and the bureau's fund rules (HB45-FND-1)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core.forms import error_messages
from upskill.core.lists import list_context
from upskill.core.scoping import get_visible_or_404, require_perm, visible
from upskill.training.models import TrainingClass

from .. import forms, lists, services
from ..models import Advance, Fund, FundSource, PaymentBatch
from ..selectors import advances as selectors

VIEW = "subsidies.view_claim"


@login_required
def advance_list(request):
    """The advances the actor sees; an organiser's approved classes with what each may be
    advanced and the button to apply."""
    require_perm(request.user, VIEW)
    user = request.user
    quotes = []
    if user.has_perm("subsidies.submit_claim"):
        quotes = [selectors.advance_quote(c) for c in selectors.classes_for_advance(actor=user)]
    context = list_context(request, lists.ADVANCES)
    if request.headers.get("HX-Request"):
        return render(request, "subsidies/_advance_rows.html", context)
    return render(request, "subsidies/advance_list.html", {**context, "quotes": quotes})


@login_required
@require_POST
def advance_apply(request, class_pk: int):
    training_class = get_visible_or_404(TrainingClass, request.user, pk=class_pk)
    try:
        advance = services.advance_apply(actor=request.user, training_class=training_class)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("subsidies:advance_list")
    messages.success(request, _("The advance is applied for (HB45-ADV-1)."))
    return redirect("subsidies:advance_detail", pk=advance.pk)


@login_required
def advance_detail(request, pk: int):
    advance = get_visible_or_404(
        Advance.objects.select_related("training_class", "claimant", "county", "fund"),
        request.user,
        perm=VIEW,
        pk=pk,
    )
    user = request.user
    is_claimant = getattr(user, "organisation_id", None) == advance.claimant_id
    can_review = (
        user.has_perm("subsidies.review_claim") and not is_claimant and advance.status == "applied"
    )
    choices = selectors.advance_fund_choices(actor=user, advance=advance) if can_review else []
    remaining = {c.fund.pk: c.remaining for c in choices if not c.refusal}
    payment = getattr(advance, "payment", None) if advance.pk else None
    # the batch is linked only for whom may open it (the paying bureau's clerks)
    batch_linked = bool(
        payment
        and user.has_perm("subsidies.view_paymentbatch")
        and visible(PaymentBatch, user).filter(pk=payment.batch_id).exists()
    )
    return render(
        request,
        "subsidies/advance_detail.html",
        {
            "advance": advance,
            "items": [
                {**row, "label": selectors.kind_label(row["kind"])}
                for row in advance.explanation.get("items", [])
            ],
            "reference": advance.explanation.get("share", {}),
            "can_review": can_review,
            "choices": choices,
            "approve_form": forms.ApproveForm(
                funds=visible(Fund, user).filter(pk__in=remaining), remaining=remaining
            ),
            "payment": payment,
            "batch_linked": batch_linked,
        },
    )


@login_required
@require_POST
def advance_action(request, pk: int, action: str):
    """approve (with the fund) or refuse (with the reason): the bureau's reviewer."""
    advance = get_visible_or_404(Advance, request.user, perm=VIEW, pk=pk)
    user = request.user
    try:
        if action == "approve":
            form = forms.ApproveForm(request.POST, funds=visible(Fund, user))
            if not form.is_valid():
                raise ValidationError(_("Choose the fund."))
            services.advance_approve(actor=user, advance=advance, fund=form.cleaned_data["fund"])
            messages.success(
                request, _("The advance is approved; the next organiser batch pays it.")
            )
        elif action == "refuse":
            services.advance_refuse(
                actor=user, advance=advance, reason=request.POST.get("reason", "")
            )
        else:
            return HttpResponse(status=404)
    except ValidationError as exc:
        error_messages(request, exc)
    return redirect("subsidies:advance_detail", pk=pk)


@login_required
def fund_rules(request):
    """The bureau's fund rules (HB45-FND-1): which kinds of item each fund source may pay."""
    require_perm(request.user, "subsidies.view_fund")
    user = request.user
    if request.method == "POST":
        require_perm(user, "subsidies.change_fund")
        source = request.POST.get("source", "")
        kinds = request.POST.getlist("kinds")
        try:
            services.fund_rule_set(
                actor=user,
                region=user.organisation.region,
                source=source,
                kinds=kinds if request.POST.get("restrict") else None,
            )
            messages.success(request, _("The fund rule is saved."))
        except ValidationError as exc:
            error_messages(request, exc)
        return redirect("subsidies:fund_rules")
    rules = {r.source: r for r in selectors.fund_rules(actor=user)}
    return render(
        request,
        "subsidies/fund_rules.html",
        {
            "sources": [
                {"code": code, "label": label, "rule": rules.get(code)}
                for code, label in FundSource.choices
            ],
            "kinds": list(selectors.ITEM_KIND_LABELS.items()),
            "can_change": user.has_perm("subsidies.change_fund"),
        },
    )
