"""Test data of the subsidies app: finished classes whose records make a claim (made through
the training services; the supervision and exam records the checklist reads are written as
those apps record them)."""

from __future__ import annotations

import hashlib
import itertools
from datetime import date, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from upskill.assessment import services as exams
from upskill.catalog.models import Catalog, CatalogEntry
from upskill.catalog.services import (
    catalog_create,
    catalog_publish,
    entry_add,
    occupation_set,
)
from upskill.catalog.tests.factories import designate
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Organisation, Region
from upskill.policy_admin.models import ParameterVersion
from upskill.policy_admin.services import parameter_version_add
from upskill.registry.models import Category
from upskill.registry.services import person_category_add
from upskill.subsidies.selectors import documents_checklist
from upskill.subsidies.services import (
    batch_create,
    claim_approve,
    claim_assemble,
    claim_assemble_township,
    claim_document_upload,
    claim_line_decide,
    claim_release_due,
    claim_submit,
    claim_take,
    fund_set,
    payee_account_set,
)
from upskill.supervision.models import Evidence, Inspection
from upskill.training import services
from upskill.training.tests.factories import catalog_entries

_numbers = itertools.count(1)


def entries() -> dict:
    """Classroom projects of 2023: Gong'an's (cook 4, domestic 5) and two of Jingzhou city's
    catalogue (pastry cook 5, e-commerce 4), so a trainee can have four distinct trainings."""
    made = dict(catalog_entries())
    city = Region.objects.get(code="421000")
    existing = Catalog.objects.filter(kind="projects", region=city, year=2023).first()
    if existing is None:
        occupations = catalog_create(actor=SYSTEM, kind="occupations", region=city, year=2023)
        pastry = occupation_set(
            actor=SYSTEM, catalog=occupations, name="中式面点师", level=5, price=Decimal("1500")
        )
        shop = occupation_set(
            actor=SYSTEM, catalog=occupations, name="电子商务师", level=4, price=Decimal("2000")
        )
        catalog_publish(actor=SYSTEM, catalog=occupations)
        existing = catalog_create(actor=SYSTEM, kind="projects", region=city, year=2023)
        for occupation in (pastry, shop):
            entry_add(
                actor=SYSTEM,
                catalog=existing,
                program="employment",
                occupation=occupation,
                standard_hours=Decimal(40),
            )
        catalog_publish(actor=SYSTEM, catalog=existing)
    for entry in CatalogEntry.objects.filter(catalog=existing).select_related("occupation"):
        made["pastry" if entry.occupation.name == "中式面点师" else "shop"] = entry
    return made


def _compliance_records(training_class) -> None:
    """What the supervision checklist reads (GA23-INS-1, GA23-PHO-1, GA23-VID-1, GA23-EXM-1):
    the bureau's inspections and the organiser's photos and videos."""
    held = timezone.make_aware(timezone.datetime.combine(training_class.start_date, time(9, 0)))
    for kind, mode in (
        ("opening", "on_site"),
        ("during", "on_site"),
        ("closing", "on_site"),
        ("exam", "video"),
    ):
        Inspection.objects.create(
            training_class=training_class,
            kind=kind,
            mode=mode,
            status="done",
            held_at=held,
            findings="符合要求",
            result="satisfactory",
        )
    for media, scenes in (
        ("photo", ("opening", "theory", "practice", "exam")),
        ("video", ("theory", "practice", "exam")),
    ):
        for scene in scenes:
            content = f"{training_class.pk}-{media}-{scene}-{next(_numbers)}".encode()
            evidence = Evidence(
                training_class=training_class,
                media=media,
                scene=scene,
                specialty=training_class.name,
                original_name=f"{scene}.{'jpg' if media == 'photo' else 'mp4'}",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                file_format="jpeg" if media == "photo" else "mp4",
                duration=Decimal(120) if media == "video" else None,
            )
            evidence.file.save(evidence.original_name, ContentFile(content), save=False)
            evidence.save()


def _exam(training_class, enrolments, passed: set[int]) -> None:
    """The final exam through the assessment services: scores entered, results confirmed, the
    training certificate issued to each trainee who passed (GA23-CRT-1)."""
    session = exams.session_create(
        actor=SYSTEM,
        training_class=training_class,
        date=training_class.end_date,
        place="实训楼",
        examiners="王考评、李考评",
    )
    for attempt in session.attempts.select_related("enrolment"):
        ok = attempt.enrolment_id in passed
        exams.attempt_record(
            actor=SYSTEM,
            attempt=attempt,
            theory_score=Decimal(80 if ok else 20),
            practical_score=Decimal(85 if ok else 20),
        )
    exams.session_close(actor=SYSTEM, session=session)


def finished_class(
    world,
    persons: list,
    *,
    entry: str | CatalogEntry = "cook",
    organisation: str = "inst1",
    start: date = date(2023, 5, 8),
    days: int = 4,
    compliant: bool = True,
    failed: tuple = (),
    township: str = "421022101",
    insured_months: int | None = None,
):
    """A class held, attended in full by ``persons``, examined (all passed but ``failed``),
    finished; compliant with the supervision checklist unless told otherwise."""
    entry_obj = entry if isinstance(entry, CatalogEntry) else entries()[entry]
    owner = world[organisation]
    teacher = services.teacher_create(
        actor=SYSTEM,
        organisation=owner,
        name="周老师",
        certificate_kind="职业技能等级证书",
        certificate_number=f"S2023{next(_numbers):05d}",
    )
    end = start + timedelta(days=days - 1)
    # HB45-CAT-1: an institution files only while designated for the county and year
    designate(owner, region=township[:6], year=start.year)
    online = entry_obj.program == "online_skill_level"
    training_class = services.class_create(
        actor=SYSTEM,
        organisation=owner,
        platform=_platform_in_catalogue(world, township[:6], start.year) if online else None,
        name=f"{entry_obj.occupation.name}培训班{next(_numbers)}",
        catalog_entry=entry_obj,
        township=Region.objects.get(code=township),
        venue="斗湖堤镇油江路12号实训楼",
        start_date=start,
        end_date=end,
        planned_places=60,
        assessment_method="理论笔试加实操考核",
        teachers=[teacher],
    )
    for day in range(days):
        for index, (kind, hours) in enumerate((("theory", 2), ("practice", 4))):
            services.lesson_create(
                actor=SYSTEM,
                training_class=training_class,
                date=start + timedelta(days=day),
                start_time=time(8 + index * 3, 0),
                end_time=time((10, 14)[index], 0),  # 2 and 4 class hours of 45 minutes
                hours=Decimal(hours),
                kind=kind,
                content=f"第{day + 1}天{kind}",
                teacher=teacher,
            )
    for action in ("submit", "approve", "start"):
        # started on a later day than planned: the reason is kept (issue 15.6)
        services.class_transition(
            actor=SYSTEM, training_class=training_class, action=action, reason="补录开班"
        )
    enrolments = [
        services.enrolment_create(
            actor=SYSTEM,
            training_class=training_class,
            id_number=p.id_number,
            name=p.name,
            insured_months=insured_months,
        )
        for p in persons
    ]
    for lesson in training_class.lessons.all():
        services.attendance_mark_all_present(actor=SYSTEM, lesson=lesson)
    services.first_lesson_record(
        actor=SYSTEM, training_class=training_class, date=start, content="补贴政策宣讲"
    )
    for person in persons:
        services.survey_answer(
            training_class=training_class,
            id_number=person.id_number,
            name=person.name,
            answers={"content": 5, "teachers": 5, "practice": 4, "organisation": 5},
        )
    if compliant:
        _compliance_records(training_class)
    services.class_transition(actor=SYSTEM, training_class=training_class, action="finish")
    failed_ids = {enrolments[i].pk for i in failed}
    _exam(training_class, enrolments, {e.pk for e in enrolments} - failed_ids)
    training_class.refresh_from_db()
    return training_class


def documents(claim, actor=SYSTEM) -> None:
    """The claim's HB61-DOC-1 documents (certificates are left to the system's check)."""
    for check in documents_checklist(claim):
        if not check.done:
            claim_document_upload(
                actor=actor,
                claim=claim,
                key=check.key,
                upload=ContentFile(b"%PDF-1.4 scanned", name=f"{check.key}.pdf"),
            )


def fund(world, *, budget: str = "100000.00", source: str = "employment_fund", year: int = 2023):
    return fund_set(
        actor=SYSTEM,
        source=source,
        region=Region.objects.get(code="421022"),
        year=year,
        budget=Decimal(budget),
    )


def training_standard(amounts: dict | None = None):
    """GA23-TRN-1 as the county administrator sets it: per occupation and level."""
    return parameter_version_add(
        actor=SYSTEM,
        parameter="training_subsidy.standard",
        region_code="421022",
        valid_from=date(2023, 1, 1),
        valid_until=date(2023, 12, 31),
        value=amounts
        or {
            "中式烹调师": {"4": 1200},
            "家政服务员": {"5": 900},
            "中式面点师": {"5": 900},
            "电子商务师": {"4": 1200},
        },
        document="公人社发〔2023〕5号",
        clause="三(五)",
        rule="GA23-TRN-1",
    )


def submitted_claim(world, make_person, clerk=SYSTEM):
    """A one-trainee cook class claimed and submitted by inst1."""
    if not _has_standard():
        training_standard()
    training_class = finished_class(world, [make_person()], days=1)
    claim = claim_assemble(actor=clerk, training_class=training_class)
    documents(claim, clerk)
    return claim_submit(actor=clerk, claim=claim)


def _has_standard() -> bool:
    return ParameterVersion.objects.filter(parameter="training_subsidy.standard").exists()


def noticed_claim(world, make_person, reviewer=SYSTEM, fund_obj=None):
    """Submitted, every line approved, charged to the fund, under public notice from
    2023-06-02 to 2023-06-08."""
    claim = submitted_claim(world, make_person)
    claim_take(actor=reviewer, claim=claim)
    for line in claim.lines.filter(decision="pending"):
        claim_line_decide(actor=reviewer, line=line, approve=True)
    return claim_approve(
        actor=reviewer, claim=claim, fund=fund_obj or fund(world), today=date(2023, 6, 1)
    )


def organiser_batch(world, make_person):
    """The institution's subsidy of a noticed claim, gathered into a batch after the notice."""
    claim = noticed_claim(world, make_person)
    payee_account_set(
        actor=SYSTEM,
        organisation=world["inst1"],
        account_name="公安县职业技术培训学校",
        account_number="42050110010000000123",
        bank_name="中国建设银行公安支行",
    )
    return batch_create(actor=SYSTEM, fund=claim.fund, payee="organiser", today=date(2023, 6, 20))


def poverty_persons(make_person, names) -> list:
    """Residents of 斗湖堤镇 on the rural revitalisation bureau's poverty-alleviated roster."""
    people = [make_person(name=name) for name in names]
    for person in people:
        person_category_add(
            actor=SYSTEM,
            person=person,
            category=Category.objects.get(code="poverty_alleviated"),
            source="县乡村振兴局脱贫人口名册",
            valid_from=date(2020, 1, 1),
        )
        # recorded by the bureau, as its roster import records it (GA23-OBJ-2 wants the source)
        person.categories.update(
            source_organisation=Organisation.objects.get(name="公安县乡村振兴局")
        )
    return people


def payable_poverty_claim(world, make_person, *, names=("刘强",)):
    """inst1's domestic-service class of poverty-alleviated trainees of 斗湖堤镇, claimed,
    every line approved and past its public notice: their township fees (GA23-FEE-1) are
    claimable by the township centre."""
    if not _has_standard():
        training_standard()
    people = poverty_persons(make_person, names)
    training_class = finished_class(world, people, entry="domestic", days=1)
    claim = claim_assemble(actor=SYSTEM, training_class=training_class)
    documents(claim)
    claim_submit(actor=SYSTEM, claim=claim)
    claim_take(actor=SYSTEM, claim=claim)
    for line in claim.lines.filter(decision="pending"):
        claim_line_decide(actor=SYSTEM, line=line, approve=True)
    claim = claim_approve(actor=SYSTEM, claim=claim, fund=fund(world), today=date(2023, 6, 1))
    claim_release_due(actor=SYSTEM, today=claim.notice_until + timedelta(days=1))
    return claim


def township_claim(world, make_person, clerk):
    """斗湖堤镇's management-fee claim (GA23-FEE-1) for its trainee of a payable claim, drafted
    by its clerk."""
    payable_poverty_claim(world, make_person)
    return claim_assemble_township(actor=clerk, year=2023)


def wh20_entries() -> dict:
    """WH20's online skill-level projects of 2020 (Gong'an's catalogue standing in for the
    programme's): 劳动关系协调员 level 3, 车工 level 4, at the catalogue price of 1,500."""
    gongan = Region.objects.get(code="421022")
    existing = Catalog.objects.filter(kind="projects", region=gongan, year=2020).first()
    if existing is None:
        occupations = catalog_create(actor=SYSTEM, kind="occupations", region=gongan, year=2020)
        made = [
            occupation_set(
                actor=SYSTEM, catalog=occupations, name=name, level=level, price=Decimal(1500)
            )
            for name, level in (("劳动关系协调员", 3), ("车工", 4))
        ]
        catalog_publish(actor=SYSTEM, catalog=occupations)
        existing = catalog_create(actor=SYSTEM, kind="projects", region=gongan, year=2020)
        for occupation in made:
            entry_add(
                actor=SYSTEM,
                catalog=existing,
                program="online_skill_level",
                occupation=occupation,
                standard_hours=Decimal(24),
            )
        catalog_publish(actor=SYSTEM, catalog=existing)
    found = CatalogEntry.objects.filter(catalog=existing).select_related("occupation")
    return {entry.occupation.level: entry for entry in found}


def skill_certificate(person, training_class, *, verified: bool = True, serial: str = ""):
    """The evaluation body's 职业技能等级证书 of the class's occupation and level, recorded and
    (unless told otherwise) verified by the bureau (HB61-CRT-1)."""
    occupation = training_class.occupation
    certificate = exams.certificate_record(
        actor=SYSTEM,
        person=person,
        kind="skill_level",
        serial=serial or f"Y{training_class.end_date:%Y}{next(_numbers):08d}",
        occupation_name=occupation.name,
        level=occupation.level,
        issuing_body="武汉市职业技能鉴定指导中心",
        issue_date=training_class.end_date + timedelta(days=10),
        institution_name=training_class.organisation.name,
    )
    if verified:
        exams.certificate_verify(actor=SYSTEM, certificate=certificate, verified=True)
    return certificate


def _platform_in_catalogue(world, region_code: str, year: int):
    """The world's online platform, listed with its three permits valid all ``year`` in a
    published platform catalogue of the class's county (WH20-PLT-1, HB61-PRJ-1)."""
    from upskill.catalog.models import Catalog, CatalogKind
    from upskill.catalog.services import catalog_create, catalog_publish, platform_add

    region = Region.objects.get(code=region_code)
    if not Catalog.objects.filter(kind=CatalogKind.PLATFORMS, region=region, year=year).exists():
        catalog = catalog_create(actor=SYSTEM, kind=CatalogKind.PLATFORMS, region=region, year=year)
        permits = {}
        for permit in ("project", "assessment", "training"):
            permits[f"{permit}_permit"] = f"{permit[0].upper()}-{year}"
            permits[f"{permit}_permit_valid_from"] = date(year, 1, 1)
            permits[f"{permit}_permit_valid_until"] = date(year, 12, 31)
        platform_add(
            actor=SYSTEM,
            catalog=catalog,
            name="明蛙线上职业培训平台",
            operator="湖北明蛙教育科技有限公司",
            organisation=world["platform"],
            **permits,
        )
        catalog_publish(actor=SYSTEM, catalog=catalog)
    return world["platform"]
