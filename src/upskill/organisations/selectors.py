from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from upskill.core.scoping import Actor, visible

from .models import ApiToken, Organisation, User

MANAGE_USERS = "organisations.manage_users"


@dataclass(frozen=True)
class OrganisationPermissions:
    """What the actor may do with an organisation it sees, for its page and the API alike."""

    manage_users: bool


def organisation_permissions(*, actor: Actor, obj: Organisation) -> OrganisationPermissions:
    # the scope is the caller's (get_visible_or_404); the users are listed and added with the role
    return OrganisationPermissions(manage_users=actor.has_perm(MANAGE_USERS))


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
