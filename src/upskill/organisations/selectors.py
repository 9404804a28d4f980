from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from upskill.core.scoping import SYSTEM, Actor, visible

from .models import ApiToken, Organisation, OrganisationKind, Region, RegionLevel, User

MANAGE_USERS = "organisations.manage_users"
CHANGE_ORGANISATION = "organisations.change_organisation"


def in_jurisdiction(*, actor: Actor, region_code: str) -> bool:
    """Whether a bureau may write for ``region_code`` (a catalogue, a parameter version, a
    roster wording): inside its jurisdiction's region prefix. The product itself and a superuser
    of no organisation write everywhere; any other organisation nowhere."""
    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        return actor is SYSTEM or bool(getattr(actor, "is_superuser", False))
    prefix = organisation.jurisdiction_prefix
    return bool(prefix) and region_code.startswith(prefix)


@dataclass(frozen=True)
class OrganisationPermissions:
    """What the actor may do with an organisation it sees, for its page and the API alike."""

    manage_users: bool
    # an enterprise's unemployment insurance (GA23-OBJ-3), recorded by a bureau over it, never
    # by the enterprise itself
    record_insurance: bool


def organisation_permissions(*, actor: Actor, obj: Organisation) -> OrganisationPermissions:
    # the scope is the caller's (get_visible_or_404); the users are listed and added with the role
    own = getattr(actor, "organisation_id", None) == obj.pk
    return OrganisationPermissions(
        manage_users=actor.has_perm(MANAGE_USERS),
        record_insurance=obj.kind == OrganisationKind.ENTERPRISE
        and not own
        and actor.has_perm(CHANGE_ORGANISATION)
        and in_jurisdiction(actor=actor, region_code=obj.region.code),
    )


def organisation_list(*, actor: Actor, kind: str = "") -> QuerySet[Organisation]:
    # an aggregate drops the model's ordering: state it, so the pages are stable
    qs = (
        visible(Organisation, actor)
        .select_related("region")
        .annotate(user_count=Count("users"))
        .order_by("region__code", "kind", "name")
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def user_list(*, actor: Actor, organisation: Organisation) -> QuerySet[User]:
    """The organisation's users, each with ``has_second_factor`` (an authenticator app set up)."""
    return (
        visible(User, actor)
        .filter(organisation=organisation)
        .select_related("role")
        .annotate(
            has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
    )


def api_token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    return visible(ApiToken, actor).select_related("role", "created_by")


def regions_for_catalogues(*, actor: Actor) -> QuerySet[Region]:
    """The regions above township level an organisation may choose (its jurisdiction, when it
    has one), for the forms that make a catalogue or an exam-related record for a region."""
    qs = Region.objects.exclude(level=RegionLevel.TOWNSHIP)
    organisation = getattr(actor, "organisation", None)
    if organisation is not None and organisation.jurisdiction_prefix:
        qs = qs.filter(code__startswith=organisation.jurisdiction_prefix)
    return qs


def townships_for(*, actor: Actor) -> QuerySet[Region]:
    """The townships an organisation may choose: those of its county (every township for a
    superuser or an actor without an organisation)."""
    qs = Region.objects.filter(level=RegionLevel.TOWNSHIP).select_related("parent")
    organisation = getattr(actor, "organisation", None)
    if organisation is not None and not actor.is_superuser:
        qs = qs.filter(code__startswith=organisation.county_code)
    return qs


# The permissions whose holders log in with a second factor (TOTP) when
# settings.UPSKILL_REQUIRE_2FA is on: revealing or exporting full ID and bank numbers, approving
# claims, exporting the bank's disbursement file. Derived from the role, so an administrator who
# gives a role one of them makes its users enrol at their next log-in.
SECOND_FACTOR_PERMISSIONS = (
    "registry.reveal_identity",
    "registry.export_sensitive",
    "subsidies.review_claim",
    "subsidies.export_paymentbatch",
)


def second_factor_needed_by_role(user: User) -> bool:
    """Whether the user's role (or superuser status) is one that moves money or sees numbers."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_api_token", False):
        return False
    return bool(user.is_superuser) or any(user.has_perm(p) for p in SECOND_FACTOR_PERMISSIONS)


def second_factor_required(user: User) -> bool:
    """Whether the user must log in with a second factor: a role of
    :data:`SECOND_FACTOR_PERMISSIONS` while ``UPSKILL_REQUIRE_2FA`` is on. Partner API tokens
    are not users and are exempt."""
    return bool(settings.UPSKILL_REQUIRE_2FA) and second_factor_needed_by_role(user)


def second_factor_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def second_factor_enrolled(user: User) -> bool:
    """Whether the user set up an authenticator app (recovery codes come only with one)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_verified(user: Actor) -> bool:
    """Whether this log-in was confirmed with the second factor (django-otp's OTPMiddleware puts
    ``is_verified`` on the request's user)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_resettable(*, actor: Actor, user: User) -> bool:
    """The administrator of the user's own organisation resets a lost device: the permission
    to manage users, the same organisation, never their own (another administrator does)."""
    return (
        bool(getattr(actor, "is_authenticated", False))
        and actor.has_perm(MANAGE_USERS)
        and getattr(actor, "organisation_id", None) is not None
        and actor.organisation_id == user.organisation_id
        and actor.pk != user.pk
    )


def second_factor_users(*, actor: Actor, pending: bool = False) -> QuerySet[User]:
    """The users of the actor's own organisation whose role calls for a second factor
    (:data:`SECOND_FACTOR_PERMISSIONS`), each with ``has_second_factor``; ``pending``: only
    those who have not set it up. The administrator's list and home-page count."""
    organisation_id = getattr(actor, "organisation_id", None)
    if organisation_id is None:
        return User.objects.none()
    needs = Q()
    for name in SECOND_FACTOR_PERMISSIONS:
        app_label, codename = name.split(".", 1)
        needs |= Q(
            role__permissions__content_type__app_label=app_label,
            role__permissions__codename=codename,
        )
    chosen = (
        visible(User, actor)
        .filter(organisation_id=organisation_id, is_active=True)
        .filter(pk__in=User.objects.filter(needs | Q(is_superuser=True)).values("pk"))
        .select_related("role")
        .annotate(
            has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .order_by("username")
    )
    return chosen.filter(has_second_factor=False) if pending else chosen
