"""The catalogues over JSON (HB45-CAT-1). Published catalogues are public: their reads need no
credentials; with a token or session, editors also see drafts and may write."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from ninja import Router, Schema, Status

from upskill.core.api import ActiveSessionAuth, actor_of
from upskill.core.scoping import get_visible_or_404
from upskill.organisations.auth import TokenAuth
from upskill.organisations.models import Region

from . import selectors, services
from .models import CHANGE_CATALOG, Catalog, CatalogEntry, Occupation, OnlinePlatform

router = Router(tags=["catalog"])


def _anonymous(request):
    """Last in the chain: a caller without credentials reads as the public."""
    return AnonymousUser()


PUBLIC = [TokenAuth(), ActiveSessionAuth(), _anonymous]


class CatalogOut(Schema):
    id: int
    kind: str
    region_code: str
    region_name: str
    year: int
    version: int
    title: str
    document: str
    note: str
    published_at: datetime | None

    @staticmethod
    def resolve_region_code(obj: Catalog) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Catalog) -> str:
        return obj.region.name


class OccupationOut(Schema):
    id: int
    catalog_id: int
    name: str
    level: int
    category: str
    price: Decimal
    exam_fee: Decimal | None


class CatalogEntryOut(Schema):
    id: int
    catalog_id: int
    program: str
    occupation: OccupationOut
    standard_hours: Decimal
    min_practical_share: Decimal | None
    subsidy_parameter: str
    is_active: bool


class PlatformOut(Schema):
    id: int
    catalog_id: int
    name: str
    operator: str
    website: str
    organisation_id: int | None
    project_permit: str
    project_permit_valid_from: date | None
    project_permit_valid_until: date | None
    assessment_permit: str
    assessment_permit_valid_from: date | None
    assessment_permit_valid_until: date | None
    training_permit: str
    training_permit_valid_from: date | None
    training_permit_valid_until: date | None
    eligible_today: bool
    missing_permits: list[str]

    @staticmethod
    def resolve_eligible_today(obj: OnlinePlatform) -> bool:
        return obj.eligible_on(date.today())

    @staticmethod
    def resolve_missing_permits(obj: OnlinePlatform) -> list[str]:
        return obj.missing_permits(date.today())


class CatalogIn(Schema):
    kind: str
    region_code: str
    year: int
    title: str = ""
    document: str = ""
    note: str = ""


class EntryIn(Schema):
    program: str
    occupation_id: int
    standard_hours: Decimal
    min_practical_share: Decimal | None = None
    subsidy_parameter: str = "training_subsidy.standard"


class EntryPatch(Schema):
    standard_hours: Decimal | None = None
    min_practical_share: Decimal | None = None
    subsidy_parameter: str | None = None
    is_active: bool | None = None


class PermitsIn(Schema):
    project_permit: str = ""
    project_permit_valid_from: date | None = None
    project_permit_valid_until: date | None = None
    assessment_permit: str = ""
    assessment_permit_valid_from: date | None = None
    assessment_permit_valid_until: date | None = None
    training_permit: str = ""
    training_permit_valid_from: date | None = None
    training_permit_valid_until: date | None = None


@router.get("/catalogs", response=list[CatalogOut], auth=PUBLIC)
def catalog_list(request, year: int | None = None, kind: str = "", region: str = ""):
    """Published catalogues (drafts too for editors), filtered by year, kind and region code."""
    return selectors.catalog_list(actor=actor_of(request), year=year, kind=kind, region_code=region)


@router.get("/catalogs/in-force", response={200: CatalogOut, 404: dict}, auth=PUBLIC)
def catalog_in_force(request, kind: str, region: str, year: int):
    """The catalogue in force for a region and year: a county without its own uses its
    city's, then the province's."""
    region_obj = Region.objects.filter(code=region).first()
    catalog = (
        selectors.catalog_in_force(kind=kind, region=region_obj, year=year) if region_obj else None
    )
    if catalog is None:
        return Status(404, {"detail": "No catalogue is in force for this region and year."})
    return catalog


@router.get("/catalogs/{catalog_id}", response=CatalogOut, auth=PUBLIC)
def catalog_detail(request, catalog_id: int):
    return selectors.catalog_get(actor=actor_of(request), pk=catalog_id)


@router.post("/catalogs", response={201: CatalogOut})
def catalog_create(request, payload: CatalogIn):
    region = get_visible_or_404(Region, actor_of(request), code=payload.region_code)
    catalog = services.catalog_create(
        actor=actor_of(request),
        kind=payload.kind,
        region=region,
        year=payload.year,
        title=payload.title,
        document=payload.document,
        note=payload.note,
    )
    return Status(201, catalog)


@router.post("/catalogs/{catalog_id}/publish", response=CatalogOut)
def catalog_publish(request, catalog_id: int):
    actor = actor_of(request)
    catalog = get_visible_or_404(Catalog, actor, perm=CHANGE_CATALOG, pk=catalog_id)
    return services.catalog_publish(actor=actor, catalog=catalog)


@router.post("/catalogs/{catalog_id}/versions", response={201: CatalogOut})
def catalog_new_version(request, catalog_id: int):
    """A mid-year adjustment: a new draft version copying this one (HB45-CAT-1)."""
    actor = actor_of(request)
    catalog = get_visible_or_404(Catalog, actor, perm=CHANGE_CATALOG, pk=catalog_id)
    return Status(201, services.catalog_new_version(actor=actor, catalog=catalog))


@router.get("/catalogs/{catalog_id}/occupations", response=list[OccupationOut], auth=PUBLIC)
def occupation_list(request, catalog_id: int, q: str = "", level: int | None = None):
    actor = actor_of(request)
    catalog = selectors.catalog_get(actor=actor, pk=catalog_id)
    return selectors.occupations_of(actor=actor, catalog=catalog, query=q, level=level)


@router.get("/occupations/{occupation_id}", response=OccupationOut, auth=PUBLIC)
def occupation_detail(request, occupation_id: int):
    actor = actor_of(request)
    occupation = get_visible_or_404(Occupation, actor, pk=occupation_id)
    selectors.catalog_get(actor=actor, pk=occupation.catalog_id)
    return occupation


@router.get("/catalogs/{catalog_id}/entries", response=list[CatalogEntryOut], auth=PUBLIC)
def entry_list(request, catalog_id: int, q: str = "", level: int | None = None, program: str = ""):
    actor = actor_of(request)
    catalog = selectors.catalog_get(actor=actor, pk=catalog_id)
    return selectors.entries_of(actor=actor, catalog=catalog, query=q, level=level, program=program)


@router.post("/catalogs/{catalog_id}/entries", response={201: CatalogEntryOut})
def entry_add(request, catalog_id: int, payload: EntryIn):
    actor = actor_of(request)
    catalog = get_visible_or_404(Catalog, actor, perm=CHANGE_CATALOG, pk=catalog_id)
    occupation = get_visible_or_404(Occupation, actor, pk=payload.occupation_id)
    entry = services.entry_add(
        actor=actor,
        catalog=catalog,
        program=payload.program,
        occupation=occupation,
        standard_hours=payload.standard_hours,
        min_practical_share=payload.min_practical_share,
        subsidy_parameter=payload.subsidy_parameter,
    )
    return Status(201, entry)


@router.get("/entries/{entry_id}", response=CatalogEntryOut, auth=PUBLIC)
def entry_detail(request, entry_id: int):
    actor = actor_of(request)
    entry = get_visible_or_404(
        CatalogEntry.objects.select_related("occupation"), actor, pk=entry_id
    )
    selectors.catalog_get(actor=actor, pk=entry.catalog_id)
    return entry


@router.patch("/entries/{entry_id}", response=CatalogEntryOut)
def entry_change(request, entry_id: int, payload: EntryPatch):
    actor = actor_of(request)
    entry = get_visible_or_404(CatalogEntry, actor, perm=CHANGE_CATALOG, pk=entry_id)
    changes = payload.dict(exclude_unset=True)
    if "is_active" in changes:
        entry = services.entry_set_active(actor=actor, entry=entry, active=changes.pop("is_active"))
    if changes:
        entry = services.entry_change(
            actor=actor,
            entry=entry,
            standard_hours=changes.get("standard_hours", entry.standard_hours),
            min_practical_share=changes.get("min_practical_share", entry.min_practical_share),
            subsidy_parameter=changes.get("subsidy_parameter") or entry.subsidy_parameter,
        )
    return entry


@router.get("/catalogs/{catalog_id}/platforms", response=list[PlatformOut], auth=PUBLIC)
def platform_list(request, catalog_id: int, q: str = ""):
    actor = actor_of(request)
    catalog = selectors.catalog_get(actor=actor, pk=catalog_id)
    return selectors.platforms_of(actor=actor, catalog=catalog, query=q)


@router.get("/platforms/{platform_id}", response=PlatformOut, auth=PUBLIC)
def platform_detail(request, platform_id: int):
    actor = actor_of(request)
    platform = get_visible_or_404(OnlinePlatform, actor, pk=platform_id)
    selectors.catalog_get(actor=actor, pk=platform.catalog_id)
    return platform


@router.put("/platforms/{platform_id}/permits", response=PlatformOut)
def platform_permits(request, platform_id: int, payload: PermitsIn):
    """Record the three permits of WH20-PLT-1."""
    actor = actor_of(request)
    platform = get_visible_or_404(OnlinePlatform, actor, perm=CHANGE_CATALOG, pk=platform_id)
    return services.platform_permits_set(actor=actor, platform=platform, **payload.dict())
