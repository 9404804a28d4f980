"""Writes for organisations, users, roles and API tokens."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from upskill.core.scoping import Actor, get_visible_or_404, require_perm
from upskill.core.services import AccessAction, access_log_record
from upskill.core.stored_text import stored_text

from .models import ApiToken, Organisation, OrganisationKind, Role, User
from .roles import DEFAULT_ROLES
from .selectors import (
    CHANGE_ORGANISATION,
    MANAGE_USERS,
    organisation_permissions,
    second_factor_resettable,
    second_factor_verified,
)

# How many single-use recovery codes an enrolment gives.
RECOVERY_CODES = 10


def roles_ensure_defaults() -> int:
    """Create the default roles that do not exist yet; existing ones are left as adjusted.

    Bulk inserts (roles, then their permissions), as the data migrations make them: it runs
    after every flush of a transactional test, where one query per permission cost seconds."""
    # Role names are data, kept in the product's default language; administrators rename them.
    translation.activate(settings.LANGUAGE_CODE)
    have = set(Role.objects.values_list("organisation_kind", "code"))
    wanted = [
        (kind, code, name, staff, perms)
        for kind, roles in DEFAULT_ROLES.items()
        for code, (name, staff, perms) in roles.items()
        if (kind, code) not in have
    ]
    if not wanted:
        return 0
    permission_of = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    Role.objects.bulk_create(
        [
            Role(organisation_kind=kind, code=code, name=str(name), is_staff_role=staff)
            for kind, code, name, staff, _perms in wanted
        ]
    )
    role_pk = {
        (kind, code): pk
        for pk, kind, code in Role.objects.values_list("pk", "organisation_kind", "code")
    }
    grants = Role.permissions.through
    grants.objects.bulk_create(
        [
            grants(role_id=role_pk[(kind, code)], permission_id=permission_of[perm])
            for kind, code, _name, _staff, perms in wanted
            for perm in dict.fromkeys(perms)
        ]
    )
    return len(wanted)


def role_for(kind: str, code: str) -> Role:
    return Role.objects.get(organisation_kind=kind, code=code)


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    organisation: Organisation,
    role: Role,
    username: str,
    password: str,
    full_name: str = "",
    phone: str = "",
    check_password: bool = True,
) -> User:
    """Create a member of staff in an organisation the actor may see."""
    require_perm(actor, "organisations.manage_users")
    if not Organisation.objects.visible_to(actor).filter(pk=organisation.pk).exists():
        raise ValidationError(_("You cannot add users to that organisation."))
    if role.organisation_kind != organisation.kind:
        raise ValidationError(_("That role does not belong to this kind of organisation."))
    user = User(
        username=username,
        organisation=organisation,
        role=role,
        phone=phone,
        first_name=full_name,
        is_staff=role.is_staff_role,
    )
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def api_token_create(
    *, actor: Actor, organisation: Organisation, role: Role, name: str, expires_at=None
) -> tuple[ApiToken, str]:
    """Issue a partner token; the secret is returned once and only its digest is stored. With
    ``UPSKILL_REQUIRE_2FA`` on, only a log-in confirmed with the second factor issues one (the
    token itself is not a user and never needs one)."""
    require_perm(actor, "organisations.manage_api_tokens")
    if (
        settings.UPSKILL_REQUIRE_2FA
        and isinstance(actor, User)
        and not second_factor_verified(actor)
    ):
        raise PermissionDenied(
            _("Issuing an API token needs a log-in confirmed with the second factor.")
        )
    if not Organisation.objects.visible_to(actor).filter(pk=organisation.pk).exists():
        raise ValidationError(_("You cannot issue tokens for that organisation."))
    if role.organisation_kind != organisation.kind:
        raise ValidationError(_("That role does not belong to this kind of organisation."))
    prefix = secrets.token_hex(4)
    secret = f"usk_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name,
        organisation=organisation,
        role=role,
        prefix=prefix,
        digest=ApiToken.digest_of(secret),
        created_by=actor if isinstance(actor, User) else None,
        expires_at=expires_at,
    )
    return token, secret


def api_token_authenticate(secret: str) -> ApiToken | None:
    token = (
        ApiToken.objects.select_related("organisation", "role")
        .filter(digest=ApiToken.digest_of(secret))
        .first()
    )
    if token is None or not token.is_usable:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    require_perm(actor, "organisations.manage_api_tokens")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


@transaction.atomic
def enterprise_insurance_record(
    *,
    actor: Actor,
    organisation: Organisation,
    insured_since: date,
    source: str,
    at_province: bool = False,
    today: date | None = None,
) -> Organisation:
    """Record that an enterprise pays unemployment insurance since ``insured_since``, with the
    source of that fact and the day it was recorded: GA23-OBJ-3 admits to post-skill training
    only employees of such an enterprise. ``at_province``: it pays to the province directly
    (HB61 五: its subsidies are advanced locally and reimbursed by the province). A bureau over
    the enterprise records it (the change history keeps every earlier value)."""
    require_perm(actor, CHANGE_ORGANISATION)
    if organisation.kind != OrganisationKind.ENTERPRISE:
        raise ValidationError(_("Unemployment insurance is recorded for an enterprise."))
    if not organisation_permissions(actor=actor, obj=organisation).record_insurance:
        raise PermissionDenied(CHANGE_ORGANISATION)
    today = today or timezone.localdate()
    source = (source or "").strip()
    errors = {}
    if insured_since > today:
        errors["insured_since"] = _("The date cannot be in the future.")
    if not source:
        errors["source"] = _("Say where the record comes from (GA23-OBJ-3).")
    if errors:
        raise ValidationError(errors)
    organisation.unemployment_insured_since = insured_since
    organisation.unemployment_insurance_source = source[:128]
    organisation.unemployment_insurance_recorded = today
    organisation.unemployment_insured_at_province = at_province
    organisation.save(
        update_fields=[
            "unemployment_insured_since",
            "unemployment_insurance_source",
            "unemployment_insurance_recorded",
            "unemployment_insured_at_province",
        ]
    )
    return organisation


@transaction.atomic
def second_factor_enrol_start(*, actor: User) -> TOTPDevice:
    """The authenticator app the user is enrolling: a new secret, kept unconfirmed until a code
    from the app confirms it (:func:`second_factor_confirm`). A user who already has a confirmed
    one gets it reset by an administrator first (:func:`second_factor_reset`)."""
    if not getattr(actor, "is_authenticated", False) or not isinstance(actor, User):
        raise PermissionDenied
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise ValidationError(_("An authenticator app is already set up for this account."))
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def second_factor_confirm(*, actor: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the enrolment with a code from the app; returns the ten single-use recovery
    codes, shown once (only the codes' device keeps them, for matching)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor)
    if device.confirmed:
        raise ValidationError(_("An authenticator app is already set up for this account."))
    if not device.verify_token("".join(str(token).split())):
        raise ValidationError(
            {"token": _("That code is not right; type the code the app shows now.")}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_issue(actor=actor)


def second_factor_match(*, user: User, token: str) -> TOTPDevice | StaticDevice | None:
    """The device a typed code belongs to, or None. Six digits are the app's code; anything
    else is a recovery code. Only that kind of device is tried, so using the app never counts
    as a failed recovery code (each failure throttles the device it was tried on)."""
    token = "".join(str(token).split())
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True).order_by("pk"):
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def recovery_codes_issue(*, actor: User) -> list[str]:
    """Ten new recovery codes for the user (the old ones stop working): each logs in once in
    place of the app's code."""
    StaticDevice.objects.filter(user=actor).delete()
    device = StaticDevice.objects.create(user=actor, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def second_factor_reset(*, actor: Actor, user: User) -> int:
    """A lost or replaced phone: the administrator of the user's own organisation removes their
    authenticator app and recovery codes, written to the access log; the user enrols again at
    the next log-in. Returns how many devices were removed."""
    require_perm(actor, MANAGE_USERS)
    user = get_visible_or_404(User, actor, pk=user.pk)
    if not second_factor_resettable(actor=actor, user=user):
        raise PermissionDenied(_("Only an administrator of the user's own organisation resets it."))
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    access_log_record(
        actor=actor,
        action=AccessAction.SECOND_FACTOR_RESET,
        obj=user,
        field="second_factor",
        description=stored_text(
            gettext_lazy("Second factor of %(user)s reset (%(devices)d devices)"),
            user=user.username,
            devices=removed,
        ),
    )
    return removed
