from __future__ import annotations

from django.db.models import Count, QuerySet

from upskill.core.scoping import visible

from .models import ApiToken, Organisation, User


def organisation_list(*, actor, kind: str = "") -> QuerySet[Organisation]:
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


def user_list(*, actor, organisation: Organisation) -> QuerySet[User]:
    return visible(User, actor).filter(organisation=organisation).select_related("role")


def api_token_list(*, actor) -> QuerySet[ApiToken]:
    return visible(ApiToken, actor).select_related("role", "created_by")
