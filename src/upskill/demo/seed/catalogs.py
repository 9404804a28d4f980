"""Stage 3: the catalogues (occupations, projects, designated institutions, platforms;
HB45-CAT-1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from upskill.catalog.models import Catalog, CatalogKind, Occupation
from upskill.catalog.services import (
    catalog_create,
    catalog_new_version,
    catalog_publish,
    entry_add,
    institution_designate,
    occupation_import,
    occupation_set,
    platform_add,
)
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Organisation, Region

# Occupations of the Gong'an project catalogue that WH20 attachment 2 does not list; the demo adds
# them to the provincial catalogue (demo prices, for illustration only).
_DEMO_OCCUPATIONS = [
    ("家政服务业", "家政服务员", 5, "1200"),
    ("养老服务业", "养老护理员", 5, "1200"),
    ("农业行业（农业部）", "农作物植保员", 5, "1200"),
    ("新兴行业（人社部）", "电子商务师", 4, "1500"),
]
# Gong'an's 2023 designated training institutions and the occupations each is designated for
# (HB45-CAT-1; demo designations: the seeds name no institution).
_GONGAN_DESIGNATIONS = [
    ("inst1", ["中式烹调师", "育婴员", "农作物植保员", "电子商务师"]),
    ("inst2", ["养老护理员", "美容师"]),
    ("inst3", ["家政服务员", "养老护理员", "育婴员"]),
]
# Gong'an 2023 subsidised training projects: (programme, occupation, level, class hours).
_GONGAN_PROJECTS = [
    ("employment", "中式烹调师", 4, "120"),
    ("employment", "美容师", 4, "90"),
    ("employment", "育婴员", 4, "90"),
    ("employment", "养老护理员", 5, "80"),
    ("employment", "家政服务员", 5, "60"),
    ("poverty", "中式烹调师", 4, "120"),
    ("poverty", "家政服务员", 5, "60"),
    ("poverty", "养老护理员", 5, "80"),
    ("poverty", "农作物植保员", 5, "72"),
]


def catalogs(o: dict[str, Organisation]) -> None:
    """The 2023 Hubei occupation catalogue (WH20 attachment 2, deduplicated, plus the demo
    occupations above), Gong'an's 2023 training project catalogue with a mid-year adjustment
    (version 2 adds 电子商务师), and the Wuhan 2020 online platform catalogue (HB45-CAT-1)."""
    hubei = Region.objects.get(code="420000")
    if not Catalog.objects.filter(kind=CatalogKind.OCCUPATIONS, region=hubei, year=2023).exists():
        occupations = catalog_create(
            actor=SYSTEM,
            kind=CatalogKind.OCCUPATIONS,
            region=hubei,
            year=2023,
            title="湖北省2023年职业技能培训工种目录",
        )
        occupation_import(actor=SYSTEM, catalog=occupations)
        for category, name, level, price in _DEMO_OCCUPATIONS:
            occupation_set(
                actor=SYSTEM,
                catalog=occupations,
                name=name,
                level=level,
                category=category,
                price=Decimal(price),
            )
        catalog_publish(actor=SYSTEM, catalog=occupations)
    occupations = Catalog.objects.get(
        kind=CatalogKind.OCCUPATIONS, region=hubei, year=2023, version=1
    )

    gongan = Region.objects.get(code="421022")
    if not Catalog.objects.filter(kind=CatalogKind.PROJECTS, region=gongan, year=2023).exists():
        projects = catalog_create(
            actor=SYSTEM,
            kind=CatalogKind.PROJECTS,
            region=gongan,
            year=2023,
            title="公安县2023年补贴性职业技能培训项目目录",
            document="公人社发〔2023〕5号",
        )
        for program, name, level, hours in _GONGAN_PROJECTS:
            entry_add(
                actor=SYSTEM,
                catalog=projects,
                program=program,
                occupation=Occupation.objects.get(catalog=occupations, name=name, level=level),
                standard_hours=Decimal(hours),
            )
        catalog_publish(actor=SYSTEM, catalog=projects)
        adjusted = catalog_new_version(
            actor=SYSTEM, catalog=projects, note="年中调整：增加电子商务师（四级）"
        )
        entry_add(
            actor=SYSTEM,
            catalog=adjusted,
            program="employment",
            occupation=Occupation.objects.get(catalog=occupations, name="电子商务师", level=4),
            standard_hours=Decimal("100"),
        )
        catalog_publish(actor=SYSTEM, catalog=adjusted)

    _designated_institutions(o, gongan, occupations)

    wuhan = Region.objects.get(code="420100")
    if not Catalog.objects.filter(kind=CatalogKind.PLATFORMS, region=wuhan, year=2020).exists():
        platforms = catalog_create(
            actor=SYSTEM,
            kind=CatalogKind.PLATFORMS,
            region=wuhan,
            year=2020,
            title="武汉市2020年线上职业技能培训平台目录",
        )
        # Permit numbers are demo values: the seed documents name the permits, not their numbers.
        platform_add(
            actor=SYSTEM,
            catalog=platforms,
            name="明蛙线上职业培训平台",
            operator="湖北明蛙教育科技有限公司",
            organisation=o["platform"],
            project_permit="鄂人社线上项目〔2020〕演示001",
            project_permit_valid_from=date(2020, 1, 1),
            assessment_permit_valid_from=date(2020, 1, 1),
            training_permit_valid_from=date(2020, 1, 1),
            project_permit_valid_until=date(2020, 12, 31),
            assessment_permit="鄂人社评价〔2020〕演示002",
            assessment_permit_valid_until=date(2020, 12, 31),
            training_permit="鄂人社培训〔2020〕演示003",
            training_permit_valid_until=date(2020, 12, 31),
        )
        catalog_publish(actor=SYSTEM, catalog=platforms)


def _designated_institutions(o: dict[str, Organisation], gongan: Region, occupations) -> None:
    """Gong'an publishes its 2023 designated training institution catalogue (HB45-CAT-1): only
    an institution listed in it, for the occupations listed, files a subsidised class there."""
    if Catalog.objects.filter(kind=CatalogKind.INSTITUTIONS, region=gongan, year=2023).exists():
        return
    catalog = catalog_create(
        actor=SYSTEM,
        kind=CatalogKind.INSTITUTIONS,
        region=gongan,
        year=2023,
        title="公安县2023年就业创业培训定点机构目录",
    )
    for key, names in _GONGAN_DESIGNATIONS:
        institution_designate(
            actor=SYSTEM,
            catalog=catalog,
            organisation=o[key],
            occupations=list(
                Occupation.objects.filter(catalog=occupations, name__in=names).order_by("pk")
            ),
            valid_from=date(2023, 1, 1),
            valid_until=date(2023, 12, 31),
        )
    catalog_publish(actor=SYSTEM, catalog=catalog)
