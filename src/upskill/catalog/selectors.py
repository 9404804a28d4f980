"""Reads of the catalogues, already scoped: every organisation sees every catalogue, the
public the published ones; drafts only those who may edit catalogues (HB45-CAT-1)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core.scoping import Actor, get_visible_or_404, visible
from upskill.organisations.models import Organisation, OrganisationKind, Region, RegionLevel
from upskill.policy_admin.services import parameters_in_effect

from .models import (
    ADD_CATALOG,
    CHANGE_CATALOG,
    PUBLISH_CATALOG,
    Catalog,
    CatalogEntry,
    CatalogKind,
    DesignatedInstitution,
    EvaluationInstitution,
    Occupation,
    OnlinePlatform,
)


def _has(actor, perm: str) -> bool:
    """Whether the actor (perhaps a member of the public) has ``perm``."""
    return bool(
        actor is not None and getattr(actor, "is_authenticated", False) and actor.has_perm(perm)
    )


def may_edit(actor) -> bool:
    return _has(actor, CHANGE_CATALOG)


@dataclass(frozen=True)
class CatalogPermissions:
    """What the actor may do with a catalogue (HB45-CAT-1): a draft is edited and published, a
    published version only superseded by a new draft."""

    edit: bool
    publish: bool
    new_version: bool


def catalog_permissions(*, actor: Actor, obj: Catalog) -> CatalogPermissions:
    draft = not obj.is_published
    return CatalogPermissions(
        edit=draft and _has(actor, CHANGE_CATALOG),
        publish=draft and _has(actor, PUBLISH_CATALOG),
        new_version=not draft and _has(actor, ADD_CATALOG),
    )


def may_add_catalog(actor) -> bool:
    return _has(actor, ADD_CATALOG)


def catalogs_readable(*, actor: Actor) -> QuerySet[Catalog]:
    """Published catalogues for everyone (the public included); drafts too for editors."""
    qs = visible(Catalog, actor).select_related("region")
    if not may_edit(actor):
        qs = qs.filter(published_at__isnull=False)
    return qs


def catalog_get(*, actor: Actor, pk: int) -> Catalog:
    """A catalogue the actor may read, else 404 (a draft for a member of the public, too)."""
    return get_visible_or_404(catalogs_readable(actor=actor), actor, pk=pk)


def catalog_list(
    *, actor: Actor, year: int | None = None, kind: str = "", region_code: str = ""
) -> QuerySet[Catalog]:
    qs = catalogs_readable(actor=actor)
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if region_code:
        qs = qs.filter(region__code=region_code)
    return qs


def _ancestors(region: Region) -> list[Region]:
    """The region, then its parents up to the province (county → city → province)."""
    chain = []
    current: Region | None = region
    while current is not None and len(chain) < 5:
        chain.append(current)
        current = current.parent
    return chain


def catalog_in_force(*, kind: str, region: Region, year: int) -> Catalog | None:
    """The catalogue of ``kind`` in force for a region and year: the latest published version
    of the region's own catalogue; where it publishes none, its city's, then the province's."""
    if region.level == RegionLevel.TOWNSHIP:
        region = region.parent or region
    for candidate in _ancestors(region):
        catalog = (
            Catalog.objects.filter(
                kind=kind, region=candidate, year=year, published_at__isnull=False
            )
            .order_by("-version")
            .first()
        )
        if catalog is not None:
            return catalog
    return None


def occupations_of(
    *, actor: Actor, catalog: Catalog, query: str = "", level: int | None = None
) -> QuerySet[Occupation]:
    qs = visible(Occupation, actor).filter(catalog=catalog)
    if query.strip():
        qs = qs.filter(Q(name__contains=query.strip()) | Q(category__contains=query.strip()))
    if level:
        qs = qs.filter(level=level)
    return qs


def entries_of(
    *, actor: Actor, catalog: Catalog, query: str = "", level: int | None = None, program: str = ""
) -> QuerySet[CatalogEntry]:
    qs = (
        visible(CatalogEntry, actor)
        .filter(catalog=catalog)
        .select_related("occupation", "occupation__catalog")
    )
    if query.strip():
        qs = qs.filter(occupation__name__contains=query.strip())
    if level:
        qs = qs.filter(occupation__level=level)
    if program:
        qs = qs.filter(program=program)
    return qs


def institutions_of(
    *, actor: Actor, catalog: Catalog, query: str = ""
) -> QuerySet[DesignatedInstitution]:
    qs = (
        visible(DesignatedInstitution, actor)
        .filter(catalog=catalog)
        .select_related("organisation")
        .prefetch_related("occupations")
    )
    if query.strip():
        qs = qs.filter(organisation__name__contains=query.strip())
    return qs


def evaluation_institutions_of(
    *, actor: Actor, catalog: Catalog, query: str = ""
) -> QuerySet[EvaluationInstitution]:
    qs = (
        visible(EvaluationInstitution, actor)
        .filter(catalog=catalog)
        .select_related("region")
        .prefetch_related("occupations")
    )
    if query.strip():
        qs = qs.filter(name__contains=query.strip())
    return qs


def platforms_of(*, actor: Actor, catalog: Catalog, query: str = "") -> QuerySet[OnlinePlatform]:
    qs = visible(OnlinePlatform, actor).filter(catalog=catalog)
    if query.strip():
        qs = qs.filter(Q(name__contains=query.strip()) | Q(operator__contains=query.strip()))
    return qs


def platform_problems(
    *, platform: Organisation | None, township: Region, start: date, end: date
) -> list[str]:
    """Why an online class held for ``township`` from ``start`` to ``end`` may not be filed on
    ``platform`` (WH20-PLT-1, HB61-PRJ-1): the class must name a platform, the platform must
    be in the platform catalogue in force for the region and the class's year, and each of its
    three permits held and valid on every day of the class (one explanation per permit)."""
    if platform is None:
        return [_("WH20-PLT-1: an online class names the platform it is trained on.")]
    catalog = catalog_in_force(kind=CatalogKind.PLATFORMS, region=township, year=start.year)
    if catalog is None:
        return [
            _("WH20-PLT-1: no online platform catalogue is published for %(region)s for %(year)s.")
            % {"region": township.name, "year": start.year}
        ]
    entry = OnlinePlatform.objects.filter(catalog=catalog, organisation=platform).first()
    if entry is None:
        return [
            _(
                "WH20-PLT-1: %(platform)s is not in the online platform catalogue in force "
                "(%(catalog)s)."
            )
            % {"platform": platform.name, "catalog": catalog}
        ]
    return entry.missing_permits(start, end)


def catalog_min_practical_share(catalog: Catalog, on: date):
    """The policy parameter practice.min_share in force for the catalogue's region on a date
    (GA23-HRS-1), which applies to its entries without a share of their own; None if unset."""
    version = parameters_in_effect().lookup("practice.min_share", catalog.region.code, on)
    return version.value if version is not None else None


def entry_min_practical_share(entry: CatalogEntry, on: date):
    """The entry's own minimum practical share, else the catalogue's (GA23-HRS-1); None when
    neither is set."""
    if entry.min_practical_share is not None:
        return entry.min_practical_share
    return catalog_min_practical_share(entry.catalog, on)


def designation_problems(
    *, organisation: Organisation, occupation_name: str, township: Region, on: date
) -> list[str]:
    """Why ``organisation`` may not file a subsidised class of ``occupation_name`` held in
    ``township`` starting ``on`` (HB45-CAT-1): only an institution designated in the
    designated-institution catalogue in force for the county and year, for the occupation where
    its entry lists occupations (an entry without occupations covers all), valid on the day.
    Only training institutions are concerned: an enterprise filing its own pre-job or post-skill
    class is not an institution, nor is the county's employment training centre (GA23 三(五))."""
    if organisation.kind != OrganisationKind.INSTITUTION:
        return []
    county = township.parent if township.level == "township" and township.parent else township
    catalog = catalog_in_force(kind=CatalogKind.INSTITUTIONS, region=county, year=on.year)
    if catalog is None:
        return [
            _(
                "HB45-CAT-1: no designated-institution catalogue is published for %(county)s "
                "for %(year)s, so no institution may file a subsidised class there yet."
            )
            % {"county": county.name, "year": on.year}
        ]
    designation = (
        DesignatedInstitution.objects.filter(catalog=catalog, organisation=organisation)
        .prefetch_related("occupations")
        .first()
    )
    if designation is None:
        return [
            _(
                "HB45-CAT-1: %(institution)s is not in the designated-institution catalogue in "
                "force for %(county)s in %(year)s (%(catalog)s)."
            )
            % {
                "institution": organisation.name,
                "county": county.name,
                "year": on.year,
                "catalog": catalog,
            }
        ]
    problems = []
    if not designation.valid_on(on):
        problems.append(
            _(
                "HB45-CAT-1: the designation of %(institution)s in %(catalog)s is not valid on "
                "%(day)s (valid %(start)s – %(end)s)."
            )
            % {
                "institution": organisation.name,
                "catalog": catalog,
                "day": on.isoformat(),
                "start": designation.valid_from.isoformat() if designation.valid_from else "…",
                "end": designation.valid_until.isoformat() if designation.valid_until else "…",
            }
        )
    # occupations are compared by name: a new version of an occupation catalogue copies them
    listed = {occupation.name for occupation in designation.occupations.all()}
    if listed and occupation_name not in listed:
        problems.append(
            _(
                "HB45-CAT-1: %(institution)s is designated in %(catalog)s for %(listed)s, "
                "not for %(occupation)s."
            )
            % {
                "institution": organisation.name,
                "catalog": catalog,
                "listed": "、".join(sorted(listed)),
                "occupation": occupation_name,
            }
        )
    return problems


@dataclass(frozen=True)
class LateCatalogue:
    """A catalogue a region publishes itself that was not published by its deadline
    (HB45-CAT-1): ``published`` is the day it was published late, or None."""

    kind: str
    label: str
    year: int
    due: date
    published: date | None
    reference: str


def catalogs_late(*, region: Region | None, year: int, today: date) -> list[LateCatalogue]:
    """HB45-CAT-1: the catalogues a region publishes itself (``Region.own_catalogues``) that
    were not published for ``year`` by the end of the month of ``catalog.publish_by_month``
    in force (February; 2019: September). A region that uses its province's catalogues lists
    none and is never flagged; nothing is flagged before the deadline has passed."""
    if region is None:
        return []
    kinds = [kind for kind in region.own_catalogues or () if kind in CatalogKind.values]
    if not kinds:
        return []
    version = parameters_in_effect().lookup(
        "catalog.publish_by_month", region.code, date(year, 1, 1)
    )
    if version is None:
        return []
    month = int(version.value)
    due = date(year, month, calendar.monthrange(year, month)[1])
    if today <= due:
        return []
    first_published = {}
    for kind, published_at in (
        Catalog.objects.filter(region=region, year=year, kind__in=kinds, published_at__isnull=False)
        .order_by("published_at")
        .values_list("kind", "published_at")
    ):
        first_published.setdefault(kind, timezone.localdate(published_at))
    reference = f"{version.reference.document} {version.reference.clause} HB45-CAT-1"
    return [
        LateCatalogue(
            kind=kind,
            label=str(CatalogKind(kind).label),
            year=year,
            due=due,
            published=first_published.get(kind),
            reference=reference,
        )
        for kind in kinds
        if first_published.get(kind) is None or first_published[kind] > due
    ]


def publishing_regions() -> list[Region]:
    """The regions that publish catalogues of their own (``Region.own_catalogues``), for the
    catalogue page's region filter; reference data, the same for everyone."""
    return [
        region
        for region in Region.objects.exclude(level="township").order_by("code")
        if region.own_catalogues
    ]


def catalog_page_region(*, actor, code: str = "") -> Region | None:
    """The region the catalogue page is about: the one asked for, else the county, city or
    province of the actor's organisation (None for the public without a choice)."""
    if code:
        return Region.objects.exclude(level="township").filter(code=code).first()
    organisation = getattr(actor, "organisation", None) if actor.is_authenticated else None
    if organisation is None or organisation.region is None:
        return None
    region = organisation.region
    return region.parent if region.level == "township" else region
