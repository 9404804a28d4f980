"""``upskill bench roster --n 10000``: a class roster (花名册) of N synthetic trainees, half of
them registered already and half new, read, checked (registry, caps and eligibility with the
policy engine, HB45-CAP-1) and enrolled into one approved class of a fresh SQLite database,
timed. A benchmark, not a test; the target is under 10 seconds for 10,000 rows (all or nothing:
new persons registered, affiliations, enrolments, each with its audit-trail row)."""

from __future__ import annotations

import argparse
import io
import random
import time
from datetime import date
from datetime import time as clock
from decimal import Decimal

from django.db import transaction
from openpyxl import Workbook

from upskill.catalog.models import CatalogEntry
from upskill.core.history import bulk_create_audited
from upskill.core.imports import read_rows
from upskill.core.scoping import SYSTEM
from upskill.demo import people
from upskill.demo.seed import catalogs
from upskill.organisations.models import Region
from upskill.registry.identity import parse_resident_id
from upskill.registry.models import Affiliation, Category, Hukou, Person, PersonCategory
from upskill.registry.services import NewPerson, id_number_hash, persons_register_bulk
from upskill.training import services
from upskill.training.models import Enrolment
from upskill.training.services import roster_columns, roster_import_run

from .common import add_command, finish, fresh_world, timed_import


def _persons(n: int, seed: int) -> list[tuple[str, str, str]]:
    """N distinct (name, ID number, phone) of Gong'an residents aged 20 to 55 in 2023."""
    rng = random.Random(seed)
    seen: set[str] = set()
    persons = []
    while len(persons) < n:
        number = people.id_number(rng, "421022", people.birth_date(rng, 20, 55))
        if number in seen:
            continue
        seen.add(number)
        persons.append((people.name(rng), number, people.phone(rng)))
    return persons


def _roster(persons, registered: int, townships: list[str], seed: int) -> bytes:
    """The class roster as an institution sends it: a title row, the header, a total row."""
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["公安县2023年中式烹调师培训班学员花名册"])
    sheet.append(["序号", "姓名", "身份证号码", "联系电话", "乡镇", "户籍性质", "人员类别"])
    for index, (name, number, phone) in enumerate(persons, start=1):
        new = index > registered
        sheet.append(
            [
                index,
                name,
                number,
                phone,
                rng.choice(townships) if new else "",
                rng.choice(("农业", "农业", "非农业")) if new else "",
                # the roster-only category is named for the registered (the registry holds it)
                "脱贫人员" if not new and index % 2 else ("就业困难人员" if index % 7 == 0 else ""),
            ]
        )
    sheet.append(["合计", f"{len(persons)}人"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _approved_class(world, places: int):
    """One approved 中式烹调师 class of the demo institution, through the training services."""
    catalogs(world)
    entry = (
        CatalogEntry.objects.filter(
            catalog__region__code="421022",
            catalog__published_at__isnull=False,
            program="employment",
            occupation__name="中式烹调师",
        )
        .order_by("-catalog__version")
        .first()
    )
    teacher = services.teacher_create(
        actor=SYSTEM,
        organisation=world["inst1"],
        name="周建国",
        certificate_kind="职业技能等级证书（二级）",
        certificate_number="BENCH0001",
    )
    days = [date(2023, 6, 5 + offset) for offset in range(15)]
    training_class = services.class_create(
        actor=SYSTEM,
        organisation=world["inst1"],
        name="2023年中式烹调师培训班（基准）",
        catalog_entry=entry,
        township=Region.objects.get(code="421022101"),
        venue="斗湖堤镇油江路12号实训楼",
        start_date=days[0],
        end_date=days[-1],
        planned_places=places,
        assessment_method="理论知识笔试与实际操作考核",
        teachers=[teacher],
    )
    for index, day in enumerate(days):
        services.lesson_create(
            actor=SYSTEM,
            training_class=training_class,
            date=day,
            start_time=clock(8, 30),
            end_time=clock(17, 30),
            hours=Decimal(8),
            kind="theory" if index < 6 else "practice",
            content=f"第{index + 1}天",
            teacher=teacher,
        )
    for action in ("submit", "approve"):
        services.class_transition(actor=SYSTEM, training_class=training_class, action=action)
    training_class.refresh_from_db()
    return training_class


def _register_half(persons, townships) -> None:
    """The first half registered beforehand (as the registry's bulk path registers), on the
    rural revitalisation bureau's roster (GA23-OBJ-2); not timed."""
    county = Region.objects.get(code="421022")
    regions = list(Region.objects.filter(level="township", name__in=townships))
    with transaction.atomic():
        created = persons_register_bulk(
            actor=SYSTEM,
            persons=[
                NewPerson(
                    resident=parse_resident_id(number),
                    digest=id_number_hash(number),
                    name=name,
                    hukou=Hukou.AGRICULTURAL,
                    county=county,
                    township=regions[index % len(regions)],
                    phone=phone,
                )
                for index, (name, number, phone) in enumerate(persons)
            ],
        )
        poverty = Category.objects.get(code="poverty_alleviated")
        bulk_create_audited(
            [
                PersonCategory(
                    person_id=person.pk,
                    category=poverty,
                    source="公安县乡村振兴局脱贫人员名册（基准）",
                    valid_from=date(2023, 1, 1),
                )
                for person in created
            ],
            PersonCategory,
            actor=SYSTEM,
        )


def main(*, n: int, seed: int) -> int:
    started = time.perf_counter()
    world, clerk, townships = fresh_world("inst1")
    training_class = _approved_class(world, places=n)
    persons = _persons(n, seed)
    registered = n // 2
    _register_half(persons[:registered], townships)
    data = _roster(persons, registered, townships, seed)
    print(
        f"roster: {n} rows ({registered} registered, {n - registered} new), "
        f"{len(data) / 1e6:.1f} MB .xlsx; class, catalogue and registry made in "
        f"{time.perf_counter() - started:.1f} s (not timed below)"
    )

    started = time.perf_counter()
    rows = read_rows(io.BytesIO(data), roster_columns())
    read_seconds = time.perf_counter() - started
    assert len(rows) == n

    persons_before = Person.objects.count()
    result, total = timed_import(
        lambda progress: roster_import_run(
            actor=clerk, training_class=training_class, upload=io.BytesIO(data), progress=progress
        ),
        n=n,
        read_seconds=read_seconds,
    )
    assert result["enrolled"] == n
    assert Enrolment.objects.filter(training_class=training_class).count() == n
    assert Enrolment.history.count() == n
    assert Person.objects.count() - persons_before == n - registered
    assert Person.history.count() == n  # the registered half's rows and the new half's
    assert Affiliation.objects.filter(organisation=world["inst1"], kind="trainee").count() == n
    return finish(total, n)


def register(bench_parser: argparse.ArgumentParser) -> None:
    """Add ``roster`` beside ``upskill bench policy`` and ``upskill bench import``."""
    add_command(
        bench_parser,
        "roster",
        "a class roster of N rows (half registered, half new) read, checked and enrolled into "
        "a fresh SQLite file",
        main,
    )
