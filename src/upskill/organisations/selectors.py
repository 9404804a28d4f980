from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

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
    return visible(User, actor).filter(organisation=organisation).select_related("role")


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
