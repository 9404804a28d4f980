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

from upskill.core.scoping import Actor, require_perm

from .models import ApiToken, Organisation, OrganisationKind, Role, User
from .roles import DEFAULT_ROLES
from .selectors import CHANGE_ORGANISATION, organisation_permissions


def _permission(name: str) -> Permission:
    app_label, codename = name.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def roles_ensure_defaults() -> int:
    """Create the default roles that do not exist yet; existing ones are left as adjusted."""
    created = 0
    # Role names are data, kept in the product's default language; administrators rename them.
    translation.activate(settings.LANGUAGE_CODE)
    for kind, roles in DEFAULT_ROLES.items():
        for code, (name, staff, perms) in roles.items():
            role, was_created = Role.objects.get_or_create(
                organisation_kind=kind,
                code=code,
                defaults={"name": str(name), "is_staff_role": staff},
            )
            if was_created:
                role.permissions.set([_permission(p) for p in perms])
                created += 1
    return created


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
    """Issue a partner token; the secret is returned once and only its digest is stored."""
    require_perm(actor, "organisations.manage_api_tokens")
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
    today: date | None = None,
) -> Organisation:
    """Record that an enterprise pays unemployment insurance since ``insured_since``, with the
    source of that fact and the day it was recorded: GA23-OBJ-3 admits to post-skill training
    only employees of such an enterprise. A bureau over the enterprise records it (the change
    history keeps every earlier value)."""
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
    organisation.save(
        update_fields=[
            "unemployment_insured_since",
            "unemployment_insurance_source",
            "unemployment_insurance_recorded",
        ]
    )
    return organisation
