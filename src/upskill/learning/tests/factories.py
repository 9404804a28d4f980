"""The online path's test world (WH20-PLT-1, HB61-PRJ-1): Wuhan's 2020 online skill-level
project, 明蛙's platform in the published platform catalogue, and an enterprise filing online
classes on it. Made through the services."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from upskill.catalog.models import Catalog, CatalogEntry, CatalogKind
from upskill.catalog.services import (
    catalog_create,
    catalog_publish,
    entry_add,
    occupation_set,
    platform_add,
)
from upskill.core.scoping import SYSTEM
from upskill.learning import services
from upskill.organisations.models import Region
from upskill.registry.services import person_account_create
from upskill.training import services as training
from upskill.training.models import Enrolment

START, END = date(2020, 8, 3), date(2020, 8, 14)
VALID = {
    "project_permit": "P-2020-001",
    "project_permit_valid_from": date(2020, 1, 1),
    "project_permit_valid_until": date(2020, 12, 31),
    "assessment_permit": "A-2020-002",
    "assessment_permit_valid_from": date(2020, 1, 1),
    "assessment_permit_valid_until": date(2020, 12, 31),
    "training_permit": "T-2020-003",
    "training_permit_valid_from": date(2020, 1, 1),
    "training_permit_valid_until": date(2020, 12, 31),
}


def online_entry() -> CatalogEntry:
    """Wuhan's 2020 online skill-level project for 钳工 level 4 (made once)."""
    wuhan = Region.objects.get(code="420100")
    existing = Catalog.objects.filter(kind=CatalogKind.PROJECTS, region=wuhan, year=2020).first()
    if existing is not None:
        return existing.entries.select_related("occupation").get()
    occupations = catalog_create(
        actor=SYSTEM, kind=CatalogKind.OCCUPATIONS, region=wuhan, year=2020
    )
    occupation = occupation_set(
        actor=SYSTEM, catalog=occupations, name="钳工", level=4, price=Decimal(1500)
    )
    catalog_publish(actor=SYSTEM, catalog=occupations)
    projects = catalog_create(actor=SYSTEM, kind=CatalogKind.PROJECTS, region=wuhan, year=2020)
    entry_add(
        actor=SYSTEM,
        catalog=projects,
        program="online_skill_level",
        occupation=occupation,
        standard_hours=Decimal(24),
    )
    catalog_publish(actor=SYSTEM, catalog=projects)
    return projects.entries.select_related("occupation").get()


def platform_catalog(world, **permits) -> Catalog:
    """Wuhan's 2020 platform catalogue listing 明蛙's platform (the world's platform
    organisation) with ``permits`` (published)."""
    catalog = catalog_create(
        actor=SYSTEM,
        kind=CatalogKind.PLATFORMS,
        region=Region.objects.get(code="420100"),
        year=2020,
    )
    platform_add(
        actor=SYSTEM,
        catalog=catalog,
        name="明蛙线上职业培训平台",
        operator="湖北明蛙教育科技有限公司",
        organisation=world["platform"],
        **permits,
    )
    return catalog_publish(actor=SYSTEM, catalog=catalog)


def street() -> Region:
    street, _created = Region.objects.get_or_create(
        code="420112001",
        defaults={
            "name": "吴家山街道",
            "level": "township",
            "parent": Region.objects.get(code="420112"),
        },
    )
    return street


def file_online_class(hr, *, platform, start: date = START, end: date = END):
    """The enterprise files an online class of the project on ``platform``."""
    return training.class_create(
        actor=hr,
        name="江城精密线上钳工（四级）培训班",
        catalog_entry=online_entry(),
        township=street(),
        venue="明蛙线上职业培训平台",
        platform=platform,
        start_date=start,
        end_date=end,
        planned_places=20,
        assessment_method="线上理论考试，线下实操考核",
    )


def operator(make_user):
    """明蛙's platform operator."""
    return make_user("platform", "operator")


def course(make_user, *, required_seconds: int = 60, publish: bool = True):
    """明蛙's course for 钳工 level 4: one section, one document lesson of ``required_seconds``
    (a document needs no ffmpeg)."""
    actor = operator(make_user)
    made = services.course_create(
        actor=actor, occupation_name="钳工", level=4, title="钳工（四级）线上理论课程"
    )
    section = services.section_add(actor=actor, course=made, title="第一章 安全生产")
    services.lesson_add(
        actor=actor,
        section=section,
        title="1.1 安全生产法规",
        medium="document",
        file=ContentFile(b"%PDF-1.4\n% demo\n", name="safety.pdf"),
        required_seconds=required_seconds,
    )
    if publish:
        services.course_publish(actor=actor, course=made)
    return made


def learner_in_class(world, make_user, make_person):
    """A learner enrolled in 江城精密's online class on 明蛙's platform. The class is filed
    through the services; the enrolment is written directly (enrolment and its eligibility
    are training's and the nominations path's, tested there)."""
    if not world["platform"].platform_entries.exists():
        platform_catalog(world, **VALID)
    hr = make_user("wh_ent1", "hr_clerk")
    training_class = file_online_class(hr, platform=world["platform"])
    person = make_person()
    Enrolment.objects.create(training_class=training_class, person=person)
    return person_account_create(
        actor=SYSTEM,
        person=person,
        username=f"online_learner_{person.pk}",
        password="Test#Pass2023",
        check_password=False,
    )


def webm(path: Path, seconds: int = 6) -> Path:
    """A small WebM video of ``seconds`` made with Debian's ffmpeg (test pattern, 160×120)."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.fail("ffmpeg is missing: `make test` installs Debian's ffmpeg")
    out = path / f"lesson-{seconds}s.webm"
    subprocess.run(
        [
            ffmpeg,
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=duration={seconds}:size=160x120:rate=10",
            "-c:v",
            "libvpx",
            "-b:v",
            "100k",
            str(out),
        ],
        check=True,
    )
    return out
