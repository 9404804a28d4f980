from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from upskill.core.forms import apply_service_errors, form_action, service_action
from upskill.core.lists import list_context
from upskill.core.pagination import paginate
from upskill.core.scoping import get_visible_or_404, require_perm

from . import lists, selectors, services
from .forms import ApiTokenForm, InsuranceForm, SecondFactorCodeForm, UserCreateForm
from .models import ApiToken, Organisation, User


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
            # a lost authenticator is reset by an administrator of the user's own organisation
            "can_reset_second_factor": permissions.manage_users
            and request.user.organisation_id == organisation.pk,
            "insurance_form": InsuranceForm(
                initial={
                    "insured_since": organisation.unemployment_insured_since,
                    "source": organisation.unemployment_insurance_source,
                    "at_province": organisation.unemployment_insured_at_province,
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
            at_province=form.cleaned_data["at_province"],
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
    # UPSKILL_REQUIRE_2FA: a token is issued from a log-in confirmed with the second factor
    needs_second_factor = settings.UPSKILL_REQUIRE_2FA and not selectors.second_factor_verified(
        request.user
    )
    if (
        request.method == "POST"
        and not needs_second_factor
        and form.is_valid()
        and organisation is not None
    ):
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
            "needs_second_factor": needs_second_factor,
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


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@login_required
def second_factor_enrol(request):
    """Set up the authenticator app: a QR code (inline SVG) of the new secret, confirmed with a
    code from the app; the ten recovery codes are shown once, on this answer."""
    if selectors.second_factor_enrolled(request.user):
        return redirect(_next_url(request))
    device = services.second_factor_enrol_start(actor=request.user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.second_factor_confirm(
                actor=request.user, device=device, token=form.cleaned_data["token"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            otp_login(request, device)
            # shown once: nothing stores them in the clear, so this page is not redirected to
            return render(
                request,
                "organisations/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
    return render(
        request,
        "organisations/second_factor_enrol.html",
        {
            "form": form,
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, border=2),
            "secret": device.config_url.split("secret=", 1)[1].split("&", 1)[0],
            "required": selectors.second_factor_required(request.user),
            "next": request.GET.get("next", ""),
        },
    )


@login_required
def second_factor_verify(request):
    """Confirm this log-in with the app's current code or one recovery code."""
    if not selectors.second_factor_enrolled(request.user):
        return redirect("organisations:second_factor_enrol")
    if selectors.second_factor_verified(request.user):
        return redirect(_next_url(request))
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_match(user=request.user, token=form.cleaned_data["token"])
        if device is None:
            form.add_error(
                "token",
                _("That code is not right. Type the code the app shows now, or a recovery code."),
            )
        else:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _("You logged in with a recovery code; %(left)d are left.")
                    % {"left": selectors.recovery_codes_left(request.user)},
                )
            return redirect(_next_url(request))
    return render(
        request,
        "organisations/second_factor_verify.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


@login_required
@require_POST
def second_factor_reset(request, pk: int):
    """The administrator of the user's organisation removes a lost authenticator (logged)."""
    user = get_visible_or_404(User, request.user, perm="organisations.manage_users", pk=pk)
    return service_action(
        request,
        lambda: services.second_factor_reset(actor=request.user, user=user),
        redirect_to=reverse("organisations:second_factor_users"),
        success_message=_(
            "The second factor of %(name)s was reset; they set it up again at their next log-in."
        )
        % {"name": user.username},
    )


@login_required
def second_factor_users(request):
    """The administrator's list: the users of the own organisation whose role calls for a
    second factor, whether they set it up, and the reset of a lost device."""
    require_perm(request.user, "organisations.manage_users")
    pending = request.GET.get("pending") == "1"
    return render(
        request,
        "organisations/second_factor_users.html",
        {
            "page": paginate(
                request, selectors.second_factor_users(actor=request.user, pending=pending), 50
            ),
            "pending": pending,
            "required": settings.UPSKILL_REQUIRE_2FA,
        },
    )
