from __future__ import annotations

from ninja import Router, Schema
from ninja.pagination import paginate

from upskill.core.api import actor_of, permitted_actor
from upskill.core.pagination import PageNumberPagination
from upskill.core.scoping import get_visible_or_404, visible

from . import selectors
from .models import Organisation, Region

router = Router(tags=["organisations"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None = None

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent_id else None


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    region_code: str
    parent_id: int | None
    credit_code: str
    is_active: bool

    @staticmethod
    def resolve_region_code(obj: Organisation) -> str:
        return obj.region.code


class MeOut(Schema):
    username: str | None
    token: str | None
    organisation: OrganisationOut | None
    role: str | None
    permissions: list[str]


@router.get("/me", response=MeOut, summary="Who is calling, and what they may do")
def me(request):
    actor = actor_of(request)
    is_token = getattr(actor, "is_api_token", False)
    perms = sorted(actor.role.permission_names() if is_token else actor.get_all_permissions())
    return {
        "username": None if is_token else actor.username,
        "token": actor.name if is_token else None,
        "organisation": actor.organisation,
        "role": actor.role.code if actor.role_id else None,
        "permissions": perms,
    }


@router.get("/regions", response=list[RegionOut], summary="Administrative divisions")
def region_list(request, parent: str | None = None):
    qs = visible(Region, actor_of(request)).select_related("parent")
    if parent:
        qs = qs.filter(parent__code=parent)
    return qs


@router.get("/organisations", response=list[OrganisationOut])
@paginate(PageNumberPagination)
def organisation_list(request, kind: str = ""):
    actor = permitted_actor(request, "organisations.view_organisation")
    return selectors.organisation_list(actor=actor, kind=kind)


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def organisation_detail(request, organisation_id: int):
    return get_visible_or_404(
        Organisation.objects.select_related("region"),
        actor_of(request),
        perm="organisations.view_organisation",
        pk=organisation_id,
    )
