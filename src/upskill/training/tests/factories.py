"""Test data of the training app, made through the services (used by fixtures and scope cases)."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta
from decimal import Decimal

from upskill.catalog.tests.factories import designate
from upskill.core.scoping import SYSTEM

_numbers = itertools.count(1)


def catalog_entries() -> dict:
    """Gong'an 2023 training projects from published catalogues (made once per database):
    中式烹调师 level 4 (employment), 家政服务员 level 5 (poverty), 电工 level 4 (pre_job)."""
    from upskill.catalog.models import Catalog, CatalogEntry
    from upskill.catalog.services import (
        catalog_create,
        catalog_publish,
        entry_add,
        occupation_set,
    )
    from upskill.organisations.models import Organisation, Region

    # HB45-CAT-1: the county's institutions are designated for 2023 (all occupations)
    designate(*Organisation.objects.filter(kind="institution", region__code="421022"))
    gongan = Region.objects.get(code="421022")
    existing = Catalog.objects.filter(kind="projects", region=gongan, year=2023).first()
    if existing is not None:
        entries = CatalogEntry.objects.filter(catalog=existing).select_related("occupation")
        by_name = {e.occupation.name: e for e in entries}
        return {
            "cook": by_name["中式烹调师"],
            "domestic": by_name["家政服务员"],
            "electrician": by_name["电工"],
        }
    occupations = catalog_create(actor=SYSTEM, kind="occupations", region=gongan, year=2023)
    made = {
        key: occupation_set(
            actor=SYSTEM, catalog=occupations, name=name, level=level, price=Decimal(price)
        )
        for key, name, level, price in (
            ("cook", "中式烹调师", 4, "2000"),
            ("domestic", "家政服务员", 5, "1500"),
            ("electrician", "电工", 4, "2000"),
        )
    }
    catalog_publish(actor=SYSTEM, catalog=occupations)
    projects = catalog_create(actor=SYSTEM, kind="projects", region=gongan, year=2023)
    entries = {
        key: entry_add(
            actor=SYSTEM,
            catalog=projects,
            program=program,
            occupation=made[key],
            standard_hours=Decimal(hours),
        )
        for key, program, hours in (
            ("cook", "employment", 80),
            ("domestic", "poverty", 60),
            ("electrician", "pre_job", 40),
        )
    }
    catalog_publish(actor=SYSTEM, catalog=projects)
    return entries


def lesson_slots(lessons, start: date, *, day_from: int = 8 * 60, day_until: int = 22 * 60):
    """Lay (kind, hours) lessons out one after the other from ``start`` at 08:00, each in a slot
    that holds its class hours (UPSKILL_MINUTES_PER_CLASS_HOUR minutes each, issue 15.6), on
    the next day when the day is full: (date, start, end, kind, hours) tuples."""
    from upskill.training.services import minutes_per_class_hour

    day, minute = start, day_from
    for kind, hours in lessons:
        need = int(Decimal(hours) * minutes_per_class_hour())
        if minute + need > day_until and minute > day_from:
            day, minute = day + timedelta(days=1), day_from
        end = min(minute + need, 24 * 60 - 1)
        yield day, time(minute // 60, minute % 60), time(end // 60, end % 60), kind, hours
        minute = end


def make_class(
    world,
    *,
    entry: str = "cook",
    organisation: str = "inst1",
    township_code: str = "421022101",
    status: str = "draft",
    lessons: tuple = (("theory", 8), ("practice", 12)),
    start: date = date(2023, 5, 8),
    end: date = date(2023, 5, 19),
    places: int = 60,
):
    """A class with a teacher and a curriculum; ``status`` walks it through the transitions
    (SYSTEM stands for the clerk and the reviewer)."""
    from upskill.organisations.models import Region
    from upskill.training import services

    entries = catalog_entries()
    owner = world[organisation]
    teacher = services.teacher_create(
        actor=SYSTEM,
        organisation=owner,
        name="周老师",
        certificate_kind="职业技能等级证书",
        certificate_number=f"T2023{next(_numbers):05d}",
    )
    # HB45-CAT-1: an institution files only while designated for the county and year
    designate(owner, region=township_code[:6], year=start.year)
    training_class = services.class_create(
        actor=SYSTEM,
        organisation=owner,
        name=f"{entries[entry].occupation.name}培训班",
        catalog_entry=entries[entry],
        township=Region.objects.get(code=township_code),
        venue="斗湖堤镇油江路12号实训楼",
        start_date=start,
        end_date=end,
        planned_places=places,
        assessment_method="理论笔试加实操考核",
        teachers=[teacher],
    )
    for index, (day, start_time, end_time, kind, hours) in enumerate(lesson_slots(lessons, start)):
        services.lesson_create(
            actor=SYSTEM,
            training_class=training_class,
            date=day,
            start_time=start_time,
            end_time=end_time,
            hours=Decimal(hours),
            kind=kind,
            content=f"第{index + 1}课",
            teacher=teacher,
        )
    path = {
        "draft": [],
        "submitted": ["submit"],
        "approved": ["submit", "approve"],
        "running": ["submit", "approve", "start"],
    }[status]
    for action in path:
        # a class of 2023 started today starts late: the reason is kept (issue 15.6)
        reason = "按计划开班（补录）" if action == "start" else ""
        services.class_transition(
            actor=SYSTEM, training_class=training_class, action=action, reason=reason
        )
    training_class.refresh_from_db()
    return training_class


def enrol(training_class, make_person, n: int = 1, **person_fields) -> list:
    from upskill.training import services

    result = []
    for _index in range(n):
        person = make_person(**person_fields)
        if training_class.catalog_entry.program == "poverty":
            poverty_category(person)  # GA23-OBJ-2 admits only the bureau's roster
        result.append(
            services.enrolment_create(
                actor=SYSTEM,
                training_class=training_class,
                id_number=person.id_number,
                name=person.name,
            )
        )
    return result


def poverty_category(person, *, source_org: str | None = "公安县乡村振兴局", valid_from=None):
    """The person's 脱贫人员 category as the rural revitalisation bureau's roster records it
    (GA23-OBJ-2 admits a poverty-alleviation trainee only with that source)."""
    from upskill.organisations.models import Organisation
    from upskill.registry.models import Category, PersonCategory
    from upskill.registry.services import person_category_add

    entry = person_category_add(
        actor=SYSTEM,
        person=person,
        category=Category.objects.get(code="poverty_alleviated"),
        source="县乡村振兴局脱贫人口名册",
        valid_from=valid_from or date(2020, 1, 1),
    )
    if source_org:
        PersonCategory.objects.filter(pk=entry.pk).update(
            source_organisation=Organisation.objects.get(name=source_org)
        )
    return entry
