from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core.forms import apply_service_errors, form_action, service_action
from upskill.core.lists import list_context
from upskill.core.scoping import get_visible_or_404, require_perm

from . import lists, selectors, services
from .forms import ApiTokenForm, InsuranceForm, UserCreateForm
from .models import ApiToken, Organisation


@login_required
def organisation_list(request):
    context = list_context(request, lists.ORGANISATIONS)
    if request.headers.get("HX-Request"):
        return render(request, "organisations/_organisation_rows.html", context)
    return render(request, "organisations/organisation_list.html", context)


@login_required
def organisation_detail(request, pk: int):
    organisation = get_visible_or_404(
        Organisation.objects.select_related("region", "parent"),
        request.user,
        perm="organisations.view_organisation",
        pk=pk,
    )
    permissions = selectors.organisation_permissions(actor=request.user, obj=organisation)
    users = (
        selectors.user_list(actor=request.user, organisation=organisation)
        if permissions.manage_users
        else []
    )
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "users": users,
            "permissions": permissions,
            "members": organisation.members.all(),
            "insurance_form": InsuranceForm(
                initial={
                    "insured_since": organisation.unemployment_insured_since,
                    "source": organisation.unemployment_insurance_source,
                }
            )
            if permissions.record_insurance
            else None,
        },
    )


@login_required
@require_POST
def enterprise_insurance(request, pk: int):
    """A bureau records an enterprise's unemployment insurance (GA23-OBJ-3)."""
    organisation = get_visible_or_404(
        Organisation, request.user, perm="organisations.change_organisation", pk=pk
    )
    form = InsuranceForm(request.POST)
    return service_action(
        request,
        lambda: services.enterprise_insurance_record(
            actor=request.user,
            organisation=organisation,
            insured_since=form.cleaned_data["insured_since"],
            source=form.cleaned_data["source"],
        ),
        form=form,
        redirect_to=reverse("organisations:detail", args=[pk]),
        success_message=_("The unemployment insurance is recorded (GA23-OBJ-3)."),
    )


@login_required
def user_create(request, pk: int):
    organisation = get_visible_or_404(
        Organisation, request.user, perm="organisations.manage_users", pk=pk
    )
    form = UserCreateForm(request.POST or None, organisation=organisation)
    if response := form_action(
        request,
        form,
        lambda data: services.user_create(actor=request.user, organisation=organisation, **data),
        redirect_to=reverse("organisations:detail", args=[organisation.pk]),
        success_message=lambda user: _("User %(name)s was created.") % {"name": user.username},
    ):
        return response
    return render(
        request,
        "organisations/form.html",
        {
            "form": form,
            "title": _("New user for %(org)s") % {"org": organisation},
        },
    )


@login_required
def api_tokens(request):
    require_perm(request.user, "organisations.manage_api_tokens")
    organisation = request.user.organisation
    form = ApiTokenForm(request.POST or None, organisation=organisation)
    secret = None
    if request.method == "POST" and form.is_valid() and organisation is not None:
        try:
            _token, secret = services.api_token_create(
                actor=request.user,
                organisation=organisation,
                role=form.cleaned_data["role"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            # the secret is shown once, on this page: no redirect (nothing stores it)
            form = ApiTokenForm(organisation=organisation)
    return render(
        request,
        "organisations/api_tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": selectors.api_token_list(actor=request.user),
        },
    )


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token = get_visible_or_404(
        ApiToken, request.user, perm="organisations.manage_api_tokens", pk=pk
    )
    return service_action(
        request,
        lambda: services.api_token_revoke(actor=request.user, token=token),
        redirect_to="organisations:api_tokens",
        success_message=_("The token was revoked."),
    )
