"""Catalogues for tests, made through the services as the product makes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region

from .. import services
from ..models import Catalog, CatalogEntry, CatalogKind, Occupation, OnlinePlatform


def _existing(kind: str, region: str, year: int, publish: bool) -> Catalog | None:
    catalog = Catalog.objects.filter(kind=kind, region__code=region, year=year).first()
    if catalog is not None and publish and not catalog.is_published:
        catalog = services.catalog_publish(actor=SYSTEM, catalog=catalog)
    return catalog


def occupation_catalog(
    *, region: str = "420000", year: int = 2023, publish: bool = True
) -> Catalog:
    existing = _existing(CatalogKind.OCCUPATIONS, region, year, publish)
    if existing:
        return existing
    catalog = services.catalog_create(
        actor=SYSTEM,
        kind=CatalogKind.OCCUPATIONS,
        region=Region.objects.get(code=region),
        year=year,
    )
    services.occupation_set(
        actor=SYSTEM, catalog=catalog, name="中式烹调师", level=4, price=Decimal("1500")
    )
    services.occupation_set(
        actor=SYSTEM, catalog=catalog, name="家政服务员", level=5, price=Decimal("1200")
    )
    if publish:
        catalog = services.catalog_publish(actor=SYSTEM, catalog=catalog)
    return catalog


def project_catalog(*, region: str = "421022", year: int = 2023, publish: bool = True) -> Catalog:
    existing = _existing(CatalogKind.PROJECTS, region, year, publish)
    if existing:
        return existing
    occupations = occupation_catalog(year=year)
    catalog = services.catalog_create(
        actor=SYSTEM, kind=CatalogKind.PROJECTS, region=Region.objects.get(code=region), year=year
    )
    for program, name, level, hours in (
        ("employment", "中式烹调师", 4, "120"),
        ("poverty", "家政服务员", 5, "60"),
    ):
        services.entry_add(
            actor=SYSTEM,
            catalog=catalog,
            program=program,
            occupation=Occupation.objects.get(catalog=occupations, name=name, level=level),
            standard_hours=Decimal(hours),
        )
    if publish:
        catalog = services.catalog_publish(actor=SYSTEM, catalog=catalog)
    return catalog


def entry(**kwargs) -> CatalogEntry:
    return project_catalog(**kwargs).entries.first()


def platform_catalog(*, publish: bool = True, **permits) -> Catalog:
    existing = _existing(CatalogKind.PLATFORMS, "420100", 2020, publish)
    if existing:
        return existing
    catalog = services.catalog_create(
        actor=SYSTEM,
        kind=CatalogKind.PLATFORMS,
        region=Region.objects.get(code="420100"),
        year=2020,
    )
    services.platform_add(
        actor=SYSTEM,
        catalog=catalog,
        name="明蛙线上职业培训平台",
        operator="湖北明蛙教育科技有限公司",
        **permits,
    )
    if publish:
        catalog = services.catalog_publish(actor=SYSTEM, catalog=catalog)
    return catalog


ALL_PERMITS = {
    "project_permit": "P-2020-001",
    "project_permit_valid_until": date(2020, 12, 31),
    "assessment_permit": "A-2020-002",
    "assessment_permit_valid_until": date(2020, 12, 31),
    "training_permit": "T-2020-003",
    "training_permit_valid_until": date(2020, 12, 31),
}


def platform(**permits) -> OnlinePlatform:
    return platform_catalog(**permits).platforms.get()


def designate(*organisations, region: str = "421022", year: int = 2023, occupations=()):
    """Designate training institutions in the region's published institution catalogue of the
    year (HB45-CAT-1), through the services: the first version, or a new version of the one in
    force when one of them is not in it yet. Without occupations a designation covers all of
    them. Anything but an institution is left alone (enterprises are not designated)."""
    from ..models import DesignatedInstitution

    wanted = [o for o in organisations if o.kind == "institution"]
    if not wanted:
        return None
    current = (
        Catalog.objects.filter(
            kind=CatalogKind.INSTITUTIONS,
            region__code=region,
            year=year,
            published_at__isnull=False,
        )
        .order_by("-version")
        .first()
    )
    if current is not None:
        present = set(
            DesignatedInstitution.objects.filter(catalog=current).values_list(
                "organisation_id", flat=True
            )
        )
        if not occupations and all(o.pk in present for o in wanted):
            return current
        draft = services.catalog_new_version(actor=SYSTEM, catalog=current)
    else:
        draft = services.catalog_create(
            actor=SYSTEM,
            kind=CatalogKind.INSTITUTIONS,
            region=Region.objects.get(code=region),
            year=year,
        )
    for organisation in wanted:
        services.institution_designate(
            actor=SYSTEM, catalog=draft, organisation=organisation, occupations=list(occupations)
        )
    return services.catalog_publish(actor=SYSTEM, catalog=draft)
