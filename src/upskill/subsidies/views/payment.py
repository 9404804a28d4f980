"""The payment clerk's pages: batches, the bank's file and results, payments, payee accounts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core.forms import error_messages, form_action, service_action
from upskill.core.imports import ImportRejected
from upskill.core.lists import list_context
from upskill.core.scoping import get_visible_or_404, require_perm, visible
from upskill.organisations.models import Organisation

from .. import forms, lists, selectors, services
from ..models import (
    Fund,
    PaymentBatch,
    PaymentItem,
)


@login_required
def batch_list(request):
    require_perm(request.user, "subsidies.view_paymentbatch")
    funds = visible(Fund, request.user)
    form = forms.BatchForm(request.POST or None, funds=funds)
    if request.method == "POST":
        require_perm(request.user, "subsidies.add_paymentbatch")
    if response := form_action(
        request,
        form,
        lambda data: services.batch_create(actor=request.user, **data),
        redirect_to=lambda batch: reverse("subsidies:batch_detail", kwargs={"pk": batch.pk}),
    ):
        return response
    context = list_context(request, lists.BATCHES)
    if request.headers.get("HX-Request"):
        return render(request, "subsidies/_batch_rows.html", context)
    return render(request, "subsidies/batch_list.html", {**context, "form": form})


@login_required
def batch_detail(request, pk: int):
    batch = get_visible_or_404(
        PaymentBatch.objects.select_related("fund"),
        request.user,
        perm="subsidies.view_paymentbatch",
        pk=pk,
    )
    payments = list(
        batch.items.select_related(
            "item__line__person", "item__payee_organisation", "advance__claimant"
        )
    )
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
            "bank_file": services.bank_file_latest(actor=request.user, batch=batch)
            if request.user.has_perm("subsidies.export_paymentbatch")
            else None,
        },
    )


@login_required
@require_POST
def batch_export(request, pk: int, fmt: str):
    batch = get_visible_or_404(
        PaymentBatch, request.user, perm="subsidies.export_paymentbatch", pk=pk
    )
    """The bank file is made by a background job with progress; its page links the download."""
    return service_action(
        request,
        lambda: services.batch_export_start(actor=request.user, batch=batch, fmt=fmt),
        redirect_to=lambda job: reverse("core:job_detail", args=[job.pk]),
        refused_redirect_to=reverse("subsidies:batch_detail", args=[pk]),
    )


@login_required
def batch_file(request, pk: int):
    """Download the batch's newest bank file (access-logged)."""
    batch = get_visible_or_404(
        PaymentBatch, request.user, perm="subsidies.export_paymentbatch", pk=pk
    )
    try:
        content, name = services.bank_file_download(actor=request.user, batch=batch)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("subsidies:batch_detail", pk=pk)
    kind = (
        "text/csv"
        if name.endswith(".csv")
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
            error_messages(request, exc)
    return redirect("subsidies:batch_detail", pk=pk)


@login_required
@require_POST
def payment_action(request, pk: int, action: str):
    payment = get_visible_or_404(
        PaymentItem, request.user, perm="subsidies.export_paymentbatch", pk=pk
    )
    if action not in ("retry", "cancel", "hold", "release"):
        return HttpResponse(status=404)

    def act() -> None:
        if action == "retry":
            services.payment_retry(actor=request.user, payment=payment)
        elif action == "hold":
            services.payment_hold(
                actor=request.user, payment=payment, reason=request.POST.get("reason", "")
            )
        elif action == "release":
            services.payment_release(actor=request.user, payment=payment)
        else:
            services.payment_cancel(
                actor=request.user, payment=payment, reason=request.POST.get("reason", "")
            )

    return service_action(
        request,
        act,
        redirect_to=reverse("subsidies:batch_detail", kwargs={"pk": payment.batch_id}),
        each_message=True,
    )


@login_required
def payee_account(request, org_pk: int):
    organisation = get_visible_or_404(
        Organisation, request.user, perm="subsidies.change_payeeaccount", pk=org_pk
    )
    form = forms.PayeeAccountForm(request.POST or None)
    if response := form_action(
        request,
        form,
        lambda data: services.payee_account_set(
            actor=request.user, organisation=organisation, **data
        ),
        redirect_to="subsidies:batch_list",
        success_message=_("Saved."),
    ):
        return response
    return render(
        request,
        "subsidies/simple_form.html",
        {"form": form, "title": _("Bank account of %(org)s") % {"org": organisation.name}},
    )
