"""A Wuhan 2020 enrolment world for the tests of this app (WH20): an institution with its online
platform (WH20-PLT-1), the occupations of WH20 attachment 2 that the tests use, the institution's
approved online skill-level classes, the federation's call with its members, and employees with
labour contracts. Built through the services, but the classes, which are made approved
directly (the class workflow is training's and tested there)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from upskill.catalog.models import Catalog, CatalogKind, Occupation, OnlinePlatform
from upskill.catalog.services import (
    catalog_create,
    catalog_publish,
    entry_add,
    occupation_set,
    platform_add,
)
from upskill.core.scoping import SYSTEM
from upskill.enterprise.services import contract_record
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.training.models import ClassStatus, TrainingClass

START, END = date(2020, 8, 1), date(2020, 10, 31)
OCCUPATIONS = [
    ("安全评价师", 3, "1500"),
    ("劳动关系协调员", 3, "1500"),
    ("劳动关系协调员", 4, "1500"),
    ("钳工", 3, "1500"),
    ("钳工", 4, "1500"),
]


@dataclass
class WH:
    institution: Organisation
    platform: OnlinePlatform
    occupations: dict[tuple[str, int], Occupation]
    classes: dict[tuple[str, int], TrainingClass]
    users: dict[str, object] = field(default_factory=dict)
    call: object = None


def institution() -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        kind=OrganisationKind.INSTITUTION,
        name="湖北明蛙教育科技有限公司",
        region=Region.objects.get(code="420106"),
    )
    return organisation


def build(world, make_user) -> WH:
    """The catalogues, the institution's classes and the users (once per test database)."""
    hubei = Region.objects.get(code="420000")
    wuhan = Region.objects.get(code="420100")
    inst = institution()
    existing = Catalog.objects.filter(kind=CatalogKind.OCCUPATIONS, region=hubei, year=2020).first()
    if existing is None:
        occupations_catalog = catalog_create(
            actor=SYSTEM, kind=CatalogKind.OCCUPATIONS, region=hubei, year=2020
        )
        for name, level, price in OCCUPATIONS:
            occupation_set(
                actor=SYSTEM,
                catalog=occupations_catalog,
                name=name,
                level=level,
                price=Decimal(price),
            )
        catalog_publish(actor=SYSTEM, catalog=occupations_catalog)
        projects = catalog_create(actor=SYSTEM, kind=CatalogKind.PROJECTS, region=wuhan, year=2020)
        for occupation in occupations_catalog.occupations.all():
            entry_add(
                actor=SYSTEM,
                catalog=projects,
                program="online_skill_level",
                occupation=occupation,
                standard_hours=Decimal("80"),
            )
        catalog_publish(actor=SYSTEM, catalog=projects)
        platforms = catalog_create(
            actor=SYSTEM, kind=CatalogKind.PLATFORMS, region=wuhan, year=2020
        )
        platform_add(
            actor=SYSTEM,
            catalog=platforms,
            name="明蛙线上职业培训平台",
            operator=inst.name,
            project_permit="P-1",
            assessment_permit="A-1",
            training_permit="T-1",
        )
        catalog_publish(actor=SYSTEM, catalog=platforms)
        for entry in projects.entries.select_related("occupation"):
            TrainingClass.objects.create(
                organisation=inst,
                name=f"线上 {entry.occupation}",
                catalog_entry=entry,
                township=Region.objects.get(code="420106"),
                venue="线上平台",
                start_date=START,
                end_date=END,
                planned_places=50,
                assessment_method="线上理论考试+线下实操",
                status=ClassStatus.APPROVED,
            )
        existing = occupations_catalog
    occupations = {(o.name, o.level): o for o in existing.occupations.all()}
    classes = {
        (c.catalog_entry.occupation.name, c.catalog_entry.occupation.level): c
        for c in TrainingClass.objects.filter(organisation=inst).select_related(
            "catalog_entry__occupation"
        )
    }
    platform = OnlinePlatform.objects.get(catalog__region=wuhan, catalog__year=2020)
    return WH(inst, platform, occupations, classes)


def employee(make_person, hr, months: int, *, name: str = "张伟"):
    """An employee of the HR clerk's enterprise with a running labour contract and ``months`` of
    unemployment insurance counted on 2020-07-01."""
    person = make_person(name=name)
    return contract_record(
        actor=hr,
        person=person,
        signed=date(2019, 1, 1),
        years=Decimal(3),
        consecutive_insured_months=months,
        insured_as_of=date(2020, 7, 1),
        unemployment_insured_months=months,
    )
