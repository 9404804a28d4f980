"""The demo: Gong'an County 2023 (GA23) and the Wuhan enterprise federation (WH20).

Everything goes through the same services the pages use. Idempotent: running it again on a
seeded database changes nothing. Later stages (classes, claims …) add their own functions here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from upskill.core.scoping import SYSTEM
from upskill.core.validators import DEMO_PASSWORD
from upskill.organisations.models import Organisation, Region, User
from upskill.organisations.models import OrganisationKind as K
from upskill.organisations.services import role_for, user_create
from upskill.registry.models import AffiliationBasis, AffiliationKind, Category, Hukou, Person
from upskill.registry.services import (
    affiliation_ensure,
    bank_account_set,
    person_category_add,
    person_register,
)

from . import people


@dataclass(frozen=True)
class Login:
    username: str
    organisation: str
    role: str


def _org(kind, name, region_code, parent=None, **extra) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        kind=kind,
        name=name,
        region=Region.objects.get(code=region_code),
        defaults={"parent": parent, **extra},
    )
    return organisation


def _user(username: str, organisation: Organisation, role_code: str, full_name: str) -> User:
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing
    return user_create(
        actor=SYSTEM,
        organisation=organisation,
        role=role_for(organisation.kind, role_code),
        username=username,
        password=DEMO_PASSWORD,
        full_name=full_name,
        check_password=False,  # the demo's published password, which no real account may choose
    )


def organisations() -> dict[str, Organisation]:
    o: dict[str, Organisation] = {}
    o["province"] = _org(K.PROVINCE_HR, "湖北省人力资源和社会保障厅", "420000")
    o["gongan"] = _org(
        K.COUNTY_HR,
        "公安县人力资源和社会保障局",
        "421022",
        o["province"],
        address="公安县斗湖堤镇",
        contact_phone="0716-5222000",
    )
    o["training_centre"] = _org(K.TRAINING_CENTRE, "公安县就业训练中心", "421022", o["gongan"])
    o["rural"] = _org(K.RURAL_REVITALISATION, "公安县乡村振兴局", "421022")
    o["hrsc"] = _org(K.HR_SERVICE_CENTRE, "公安县人力资源服务中心", "421022", o["gongan"])
    for township in Region.objects.filter(level="township", parent__code="421022"):
        o[f"township:{township.code}"] = _org(
            K.TOWNSHIP_CENTRE, f"{township.name}人社服务中心", township.code, o["gongan"]
        )
    o["inst1"] = _org(
        K.INSTITUTION,
        "公安县职业技术培训学校",
        "421022",
        o["gongan"],
        credit_code="52421022MJH000001X",
    )
    o["inst2"] = _org(K.INSTITUTION, "公安县阳光职业技能培训学校", "421022", o["gongan"])
    o["inst3"] = _org(K.INSTITUTION, "荆州楚韵家政服务培训中心公安分校", "421022", o["gongan"])
    o["ent1"] = _org(K.ENTERPRISE, "湖北公安凯达纺织有限公司", "421022", o["gongan"])
    o["ent2"] = _org(K.ENTERPRISE, "公安县荆楚农业科技有限公司", "421022", o["gongan"])
    o["wuhan"] = _org(K.CITY_HR, "武汉市人力资源和社会保障局", "420100", o["province"])
    o["federation"] = _org(K.ASSOCIATION, "武汉企业联合会", "420100", None, address="武汉市江汉区")
    o["wh_ent1"] = _org(K.ENTERPRISE, "武汉江城精密机械有限公司", "420112", o["wuhan"])
    o["wh_ent2"] = _org(K.ENTERPRISE, "武汉楚天食品有限公司", "420106", o["wuhan"])
    for member in (o["wh_ent1"], o["wh_ent2"]):
        member.associations.add(o["federation"])
    return o


def logins(o: dict[str, Organisation]) -> list[Login]:
    douhudi = o["township:421022101"]
    buhe = o["township:421022102"]
    wanted = [
        ("hb_policy", o["province"], "policy_admin", "省厅政策管理员"),
        ("ga_admin", o["gongan"], "admin", "县局管理员"),
        ("ga_reviewer", o["gongan"], "reviewer", "县局审核员"),
        ("ga_inspector", o["gongan"], "inspector", "县局检查员"),
        ("ga_payment", o["gongan"], "payment_clerk", "县局出纳"),
        ("ga_auditor", o["gongan"], "auditor", "县局审计"),
        ("ga_centre", o["training_centre"], "reviewer", "就业训练中心审核员"),
        ("ga_douhudi", douhudi, "clerk", "斗湖堤镇人社专干"),
        ("ga_buhe", buhe, "clerk", "埠河镇人社专干"),
        ("ga_rural", o["rural"], "clerk", "乡村振兴局专干"),
        ("ga_hrsc", o["hrsc"], "counsellor", "就业指导员"),
        ("inst1_admin", o["inst1"], "admin", "培训学校校长"),
        ("inst1_clerk", o["inst1"], "clerk", "培训学校教务"),
        ("inst1_teacher", o["inst1"], "teacher", "培训学校教师"),
        ("inst2_clerk", o["inst2"], "clerk", "阳光学校教务"),
        ("inst3_clerk", o["inst3"], "clerk", "楚韵家政教务"),
        ("ent1_hr", o["ent1"], "hr_clerk", "凯达纺织人事"),
        ("ent2_hr", o["ent2"], "hr_clerk", "荆楚农业人事"),
        ("wh_admin", o["wuhan"], "admin", "武汉市局管理员"),
        ("wh_reviewer", o["wuhan"], "reviewer", "武汉市局审核员"),
        ("whqlh_clerk", o["federation"], "clerk", "企联专干"),
        ("wh_ent1_hr", o["wh_ent1"], "hr_clerk", "江城精密人事"),
        ("wh_ent2_hr", o["wh_ent2"], "hr_clerk", "楚天食品人事"),
    ]
    result = []
    for username, organisation, role_code, full_name in wanted:
        user = _user(username, organisation, role_code, full_name)
        result.append(Login(username, organisation.name, user.role.name))
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", password=DEMO_PASSWORD, first_name="系统管理员")
    result.append(Login("admin", "—", "superuser"))
    return result


def persons(o: dict[str, Organisation], count: int = 320) -> int:
    """Gong'an residents (most with agricultural hukou, many on the poverty-alleviated roster)
    and Wuhan enterprise employees with unemployment-insurance months."""
    if Person.objects.exists():
        return 0
    rng = random.Random(2023)
    townships = list(Region.objects.filter(level="township", parent__code="421022"))
    categories = {c.code: c for c in Category.objects.all()}
    rural_bureau = o["rural"]
    roster_source = "县乡村振兴局脱贫人员名册（2023年3月）"
    made = 0
    for index in range(count):
        wuhan = index % 8 == 7
        born = people.birth_date(rng, 18, 60 if wuhan else 70)
        address = "420112" if wuhan else "421022"
        township = None if wuhan else rng.choice(townships)
        person = person_register(
            actor=SYSTEM,
            id_number=people.id_number(rng, address, born),
            name=people.name(rng),
            phone=people.phone(rng),
            county=Region.objects.get(code="420112") if wuhan else None,
            township=township,
            hukou=Hukou.NON_AGRICULTURAL if wuhan or rng.random() < 0.15 else Hukou.AGRICULTURAL,
            insured_months=rng.randint(6, 120) if wuhan else rng.choice([0, 0, 0, 3, 14]),
            insured_months_as_of=date(2023, 3, 31),
        )
        made += 1
        if wuhan:
            employer = o["wh_ent1"] if index % 16 == 7 else o["wh_ent2"]
            affiliation_ensure(
                person=person,
                organisation=employer,
                kind=AffiliationKind.EMPLOYEE,
                basis=AffiliationBasis.REGISTRATION,  # demo: as if it had registered them
                since=date(2019, 1, 1),
            )
            continue
        roll = rng.random()
        code = None
        if roll < 0.45:
            code = "poverty_alleviated"
        elif roll < 0.52:
            code = "monitored_household"
        elif roll < 0.56:
            code = "two_after_graduate"
        elif roll < 0.66:
            code = "employment_difficulty"
        elif roll < 0.72:
            code = "retired_fisher"
        if code:
            with_actor = code in {"poverty_alleviated", "monitored_household", "two_after_graduate"}
            person_category_add(
                actor=SYSTEM,
                person=person,
                category=categories[code],
                source=roster_source if with_actor else "县就业局认定",
                valid_from=date(2023, 1, 1),
            )
            if with_actor:
                person.categories.filter(category__code=code).update(
                    source_organisation=rural_bureau
                )
        if rng.random() < 0.7:
            bank_name, bin_prefix, branch = rng.choice(people.BANKS)
            bank_account_set(
                actor=SYSTEM,
                person=person,
                kind="card",
                account_name=person.name,
                account_number=people.card_number(rng, bin_prefix),
                bank_name=bank_name,
                branch_code=branch,
            )
        institution = (o["inst1"], o["inst2"], o["inst3"], None, None)[index % 5]
        if institution is not None:
            affiliation_ensure(
                person=person,
                organisation=institution,
                kind=AffiliationKind.TRAINEE,
                basis=AffiliationBasis.REGISTRATION,  # demo: as if it had registered them
                since=date(2023, 4, 1),
            )
        if index % 23 == 0:
            affiliation_ensure(
                person=person,
                organisation=o["ent1"],
                kind=AffiliationKind.EMPLOYEE,
                basis=AffiliationBasis.REGISTRATION,  # demo: as if it had registered them
                since=date(2021, 5, 1),
            )
    return made


# Occupations of the Gong'an project catalogue that WH20 attachment 2 does not list; the demo adds
# them to the provincial catalogue (demo prices, for illustration only).
_DEMO_OCCUPATIONS = [
    ("家政服务业", "家政服务员", 5, "1200"),
    ("养老服务业", "养老护理员", 5, "1200"),
    ("农业行业（农业部）", "农作物植保员", 5, "1200"),
    ("新兴行业（人社部）", "电子商务师", 4, "1500"),
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
    from decimal import Decimal

    from upskill.catalog.models import Catalog, CatalogKind, Occupation
    from upskill.catalog.services import (
        catalog_create,
        catalog_new_version,
        catalog_publish,
        entry_add,
        occupation_import,
        occupation_set,
        platform_add,
    )

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
            project_permit="鄂人社线上项目〔2020〕演示001",
            project_permit_valid_until=date(2020, 12, 31),
            assessment_permit="鄂人社评价〔2020〕演示002",
            assessment_permit_valid_until=date(2020, 12, 31),
            training_permit="鄂人社培训〔2020〕演示003",
            training_permit_valid_until=date(2020, 12, 31),
        )
        catalog_publish(actor=SYSTEM, catalog=platforms)


def _entry(program: str, occupation: str):
    from upskill.catalog.models import CatalogEntry

    return (
        CatalogEntry.objects.filter(
            catalog__region__code="421022",
            catalog__year=2023,
            catalog__published_at__isnull=False,
            program=program,
            occupation__name=occupation,
        )
        .order_by("-catalog__version")
        .first()
    )


def _weekdays(start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _plan(
    clerk,
    teacher_name,
    certificate,
    program,
    occupation,
    township,
    venue,
    days,
    theory_days,
    places,
    name,
    hours_per_lesson=None,
):
    """A class plan of ``days`` lessons (8 class hours a day unless told), theory first, with
    its teacher, filed by ``clerk`` (HB61-PRJ-1)."""
    from datetime import time
    from decimal import Decimal

    from upskill.training import services as training

    hours_per_lesson = hours_per_lesson or Decimal(8)
    teacher = training.teacher_create(
        actor=clerk,
        name=teacher_name,
        certificate_kind="职业技能等级证书（二级）",
        certificate_number=certificate,
        phone="13907160000",
    )
    training_class = training.class_create(
        actor=clerk,
        name=name,
        catalog_entry=_entry(program, occupation),
        township=Region.objects.get(code=township),
        venue=venue,
        start_date=days[0],
        end_date=days[-1],
        planned_places=places,
        assessment_method="理论知识笔试（闭卷）与实际操作考核，均60分及格",
        teachers=[teacher],
    )
    for index, day in enumerate(days):
        training.lesson_add(
            actor=clerk,
            training_class=training_class,
            date=day,
            start_time=time(8, 30),
            end_time=time(17, 30),
            hours=hours_per_lesson,
            kind="theory" if index < theory_days else "practice",
            content=("政策宣讲与理论：" if index == 0 else "")
            + ("理论知识" if index < theory_days else "实际操作训练")
            + f"（第{index + 1}天）",
            teacher=teacher,
        )
    return training_class


def _enrol(clerk, training_class, persons) -> None:
    from upskill.training import services as training

    for person in persons:
        training.enrolment_add(
            actor=clerk,
            training_class=training_class,
            id_number=person.id_number,
            name=person.name,
        )


def classes(o: dict[str, Organisation]) -> int:
    """Gong'an 2023 training classes, made by the demo users through the training services
    (HB61-PRJ-1): a finished 中式烹调师 class of inst1 in 斗湖堤镇 with attendance, first lesson
    and surveys; a running 家政服务员 poverty-alleviation class of inst3 in 埠河镇; one approved
    class open for enrolment (GA23-PUB-1) and one submitted, awaiting the bureau."""
    from decimal import Decimal

    from upskill.training import services as training
    from upskill.training.models import TrainingClass

    if TrainingClass.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__contains="_")}
    reviewer = users["ga_reviewer"]

    gongan_persons = Person.objects.filter(county__code="421022").order_by("pk")
    made = 0

    # 1. finished: 中式烹调师 (120 hours: 48 theory, 72 practice = 60%, GA23-HRS-1)
    clerk, teacher_user = users["inst1_clerk"], users["inst1_teacher"]
    cook = _plan(
        clerk,
        "周建国",
        "GA2023-JS-0001",
        "employment",
        "中式烹调师",
        "421022101",
        "斗湖堤镇油江路12号公安县职业技术培训学校实训楼",
        _weekdays(date(2023, 4, 10), 15),
        6,
        30,
        "2023年第1期中式烹调师（四级）培训班",
    )
    training.class_transition(actor=clerk, training_class=cook, action="submit")
    training.class_transition(actor=reviewer, training_class=cook, action="approve")
    _enrol(
        clerk,
        cook,
        list(gongan_persons.exclude(categories__category__code__in=["poverty_alleviated"])[:20]),
    )
    training.class_transition(actor=clerk, training_class=cook, action="start")
    training.first_lesson_record(
        actor=teacher_user,
        training_class=cook,
        date=date(2023, 4, 10),
        content="宣讲公人社发〔2023〕5号：培训补贴、生活费补贴、考勤与结业考核要求",
    )
    enrolments = list(cook.enrolments.select_related("person").order_by("pk"))
    for number, lesson in enumerate(cook.lessons.order_by("date")):
        training.attendance_mark_all_present(actor=teacher_user, lesson=lesson)
        if number in (3, 9):
            training.attendance_mark(
                actor=teacher_user,
                lesson=lesson,
                enrolment=enrolments[number % 7],
                status="absent",
                reason="当日未到，电话核实为家中有事",
            )
    for index, enrolment in enumerate(enrolments):
        training.survey_answer(
            training_class=cook,
            id_number=enrolment.person.id_number,
            name=enrolment.person.name,
            answers={
                "content": 5,
                "teachers": 5 - index % 2,
                "practice": 4 + index % 2,
                "organisation": 4,
            },
            comment="实操时间充足，老师很耐心" if index % 5 == 0 else "",
        )
    training.class_transition(actor=clerk, training_class=cook, action="finish")
    made += 1

    # 2. running: 家政服务员 for poverty-alleviated labour (60 hours: 24 theory, 36 practice)
    clerk3 = users["inst3_clerk"]
    domestic = _plan(
        clerk3,
        "刘春梅",
        "GA2023-JZ-0007",
        "poverty",
        "家政服务员",
        "421022102",
        "埠河镇人民路88号镇文化活动中心",
        _weekdays(date(2023, 11, 6), 10),
        4,
        25,
        "2023年脱贫劳动力家政服务员（五级）培训班",
        hours_per_lesson=Decimal(6),
    )
    training.class_transition(actor=clerk3, training_class=domestic, action="submit")
    training.class_transition(actor=reviewer, training_class=domestic, action="approve")
    _enrol(
        clerk3,
        domestic,
        list(
            gongan_persons.filter(categories__category__code="poverty_alleviated").distinct()[:15]
        ),
    )
    training.class_transition(actor=clerk3, training_class=domestic, action="start")
    # inst3 has no teacher account in the demo: the product records for it
    training.first_lesson_record(
        actor=SYSTEM,
        training_class=domestic,
        date=date(2023, 11, 6),
        content="宣讲脱贫劳动力培训政策（GA23-OBJ-2）与每天40元生活费补贴（GA23-LIV-2）",
    )
    for lesson in domestic.lessons.order_by("date")[:3]:
        training.attendance_mark_all_present(actor=SYSTEM, lesson=lesson)
    made += 1

    # 3. approved, open for enrolment (GA23-PUB-1)
    clerk2 = users["inst2_clerk"]
    care = _plan(
        clerk2,
        "王丽华",
        "GA2023-YL-0003",
        "employment",
        "养老护理员",
        "421022101",
        "斗湖堤镇荆江大道9号阳光职业技能培训学校",
        _weekdays(date(2023, 12, 4), 10),
        4,
        40,
        "2023年第2期养老护理员（五级）培训班",
    )
    training.class_transition(actor=clerk2, training_class=care, action="submit")
    training.class_transition(actor=reviewer, training_class=care, action="approve")
    made += 1

    # 4. submitted, awaiting the bureau's review
    baby = _plan(
        clerk,
        "陈晓燕",
        "GA2023-YY-0002",
        "employment",
        "育婴员",
        "421022101",
        "斗湖堤镇油江路12号公安县职业技术培训学校",
        _weekdays(date(2023, 12, 11), 12),
        4,
        30,
        "2023年第4期育婴员（四级）培训班",
        hours_per_lesson=Decimal("7.5"),
    )
    training.class_transition(actor=clerk, training_class=baby, action="submit")
    made += 1
    return made


def _picture(seed: int, caption: str, fmt: str = "JPEG"):
    """A small generated picture (the demo has no camera)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (640, 480), (rng.randrange(256), 200, rng.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(600), rng.randrange(440)
        shade = tuple(rng.randrange(256) for _ in range(3))
        draw.rectangle((x, y, x + rng.randrange(40, 200), y + rng.randrange(30, 150)), shade)
    draw.text((20, 20), caption, fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, fmt)
    suffix = "jpg" if fmt == "JPEG" else "png"
    return ContentFile(out.getvalue(), name=f"{caption}.{suffix}")


def _at(day: date, hour: int):
    from datetime import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def _supervise_class(
    training_class, *, inspector, clerk, specialty: str, seed: int, prefix: str
) -> None:
    """What makes a class's compliance checklist green (GA23-INS-1, GA23-PHO-1, GA23-VID-1,
    GA23-EXM-1): the inspector's four inspections (two by remote video, with screenshots), the
    institution's photos of the four scenes and, where ffmpeg is installed, a generated 65-second
    video of each of the three scenes."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from django.core.files.base import ContentFile

    from upskill.supervision import services as supervision

    lessons = list(training_class.lessons.order_by("date"))
    plan = (
        (
            "opening",
            "video",
            lessons[0].date,
            "开班检查：横幅、签到表、政策课均在",
            ("banner", "sign_in", "panorama"),
        ),
        ("during", "on_site", lessons[7].date, "现场检查：实操课，教师在岗，学员按计划实训", ()),
        (
            "closing",
            "video",
            lessons[-1].date,
            "结业检查：授课教师与学员听课特写清晰",
            ("teacher", "close_up"),
        ),
        ("exam", "on_site", lessons[-1].date, "结业考核现场督考：理论笔试与实操考核按规程进行", ()),
    )
    for index, (kind, mode, day, findings, shots) in enumerate(plan):
        supervision.inspection_record(
            actor=inspector,
            training_class=training_class,
            kind=kind,
            mode=mode,
            held_at=_at(day, 10 + index % 4),
            findings=findings,
            result="satisfactory",
            screenshots=[
                supervision.Screenshot(label, _picture(seed + 100 + index * 10 + n, label, "PNG"))
                for n, label in enumerate(shots)
            ],
        )
    scenes = (
        ("opening", "开班全景含政策课"),
        ("theory", "理论课"),
        ("practice", "实操课"),
        ("exam", "考试考核"),
    )
    for index, (scene, caption) in enumerate(scenes):
        supervision.evidence_upload(
            actor=clerk,
            training_class=training_class,
            media="photo",
            scene=scene,
            specialty=specialty,
            caption=f"{specialty} {training_class.start_date:%Y-%m-%d} {caption}",
            upload=_picture(seed + index, f"{prefix}-{scene}"),
        )
    if shutil.which("ffmpeg") and shutil.which("ffprobe"):
        with tempfile.TemporaryDirectory() as directory:
            for index, scene in enumerate(("theory", "practice", "exam")):
                path = Path(directory) / f"{prefix}-{scene}.mp4"
                subprocess.run(  # noqa: S603
                    [  # noqa: S607
                        "ffmpeg",
                        "-v",
                        "error",
                        "-y",
                        "-f",
                        "lavfi",
                        "-i",
                        f"testsrc2=duration=65:size=320x240:rate=5,hue=h={index * 90}",
                        "-pix_fmt",
                        "yuv420p",
                        str(path),
                    ],
                    check=True,
                    capture_output=True,
                )
                supervision.evidence_upload(
                    actor=clerk,
                    training_class=training_class,
                    media="video",
                    scene=scene,
                    specialty=specialty,
                    upload=ContentFile(path.read_bytes(), name=path.name),
                )


def supervision(o: dict[str, Organisation]) -> int:
    """Supervision of the finished 中式烹调师 class (GA23-INS-1, GA23-PHO-1, GA23-VID-1,
    GA23-EXM-1, GA23-SPT-1): the inspector's four inspections (two by remote video, with
    screenshots), the institution's photos of the four scenes (small generated pictures) and,
    where ffmpeg is installed, a generated 65-second video of each of the three scenes; the same
    practice photo also uploaded to inst3's class (one fraud signal to review); a telephone
    spot check of ten inst1 trainees with two failures (a rectification order)."""

    from upskill.supervision import services as supervision
    from upskill.supervision.models import Inspection
    from upskill.training.models import ClassStatus, TrainingClass

    if Inspection.objects.exists():
        return 0
    cook = TrainingClass.objects.filter(
        organisation=o["inst1"], status=ClassStatus.FINISHED
    ).first()
    domestic = TrainingClass.objects.filter(
        organisation=o["inst3"], status=ClassStatus.RUNNING
    ).first()
    if cook is None:
        return 0
    users = {u.username: u for u in User.objects.filter(username__contains="_")}
    inspector, clerk = users["ga_inspector"], users["inst1_clerk"]

    _supervise_class(
        cook, inspector=inspector, clerk=clerk, specialty="中式烹调师", seed=800, prefix="cook"
    )
    if domestic is not None:
        supervision.evidence_upload(
            actor=users["inst3_clerk"],
            training_class=domestic,
            media="photo",
            scene="practice",
            specialty="家政服务员",
            caption="家政服务员 实操课",
            upload=_picture(802, "cook-practice"),  # the same picture as inst1's practice photo
        )
    spot_check = supervision.spot_check_draw(
        actor=inspector,
        organisation=o["inst1"],
        subject="trainees",
        method="phone",
        size=10,
        seed="demo-2023",
    )
    for index, item in enumerate(spot_check.items.all()):
        supervision.spot_check_item_record(
            actor=inspector,
            item=item,
            result="failed" if index < 2 else "verified",
            note="电话无人接听三次，本人未确认参训" if index < 2 else "本人确认参训",
        )
    supervision.spot_check_close(actor=inspector, spot_check=spot_check)
    return 1


def assessment(o: dict[str, Organisation]) -> int:
    """Results and certificates of the finished 中式烹调师 class (GA23-CRT-1): the first exam
    with two failures and an absence, one online theory exemption (HB61-ONL-1), a retake
    (WH20-EXM-1); a skill-level certificate issued elsewhere, verified by the bureau
    (HB61-CRT-1); the county HR service centre's vacancy list and follow-ups of the certified
    trainees pushed to its queue (GA23-EMP-1). Made by the demo users through the services."""
    from decimal import Decimal

    from upskill.assessment import services as exams
    from upskill.assessment.models import ExamSession
    from upskill.employment import services as employment
    from upskill.employment.models import Referral
    from upskill.training.models import TrainingClass

    if ExamSession.objects.exists():
        return 0
    cook = TrainingClass.objects.filter(
        organisation=o["inst1"], status="finished", catalog_entry__occupation__name="中式烹调师"
    ).first()
    if cook is None:
        return 0
    users = {u.username: u for u in User.objects.filter(username__contains="_")}
    clerk, teacher = users["inst1_clerk"], users["inst1_teacher"]
    counsellor, reviewer = users["ga_hrsc"], users["ga_reviewer"]

    first = exams.session_create(
        actor=clerk,
        training_class=cook,
        date=cook.end_date,
        place="公安县职业技术培训学校实训楼二楼考场",
        examiners="李国华（考评员）、张敏（考评员）",
    )
    attempts = list(first.attempts.select_related("enrolment__person").order_by("enrolment_id"))
    for index, attempt in enumerate(attempts):
        if index == 2:  # passed the online theory test on the platform (HB61-ONL-1)
            exams.attempt_exempt_theory(
                actor=teacher, attempt=attempt, online_score="86", reference="明蛙在线 2023-0412"
            )
            exams.attempt_record(actor=teacher, attempt=attempt, practical_score="78")
        elif index == 5:
            exams.attempt_record(
                actor=teacher, attempt=attempt, theory_absent=True, practical_absent=True
            )
        else:
            theory = Decimal(62 + (index * 7) % 33)
            practical = (
                Decimal(55 + (index * 11) % 40)
                if index in (4, 9)
                else Decimal(66 + (index * 5) % 30)
            )
            exams.attempt_record(
                actor=teacher, attempt=attempt, theory_score=theory, practical_score=practical
            )
    exams.session_close(actor=teacher, session=first)
    retake = exams.session_create(
        actor=clerk,
        training_class=cook,
        date=date(2023, 5, 12),
        place="公安县职业技术培训学校实训楼二楼考场",
        examiners="李国华（考评员）",
    )
    for attempt in retake.attempts.order_by("enrolment_id"):
        exams.attempt_record(
            actor=teacher, attempt=attempt, theory_score="74", practical_score="71"
        )
    exams.session_close(actor=teacher, session=retake)

    # a skill-level certificate issued elsewhere, recorded for a skill-upgrade subsidy
    holder = Person.objects.filter(county__code="421022").exclude(enrolments__isnull=False).first()
    if holder is not None:
        recorded = exams.certificate_record(
            actor=reviewer,
            person=holder,
            kind="skill_level",
            serial="S000042102300123",
            occupation_name="电工",
            level=4,
            issuing_body="湖北省职业技能鉴定指导中心",
            issue_date=date(2023, 3, 15),
        )
        exams.certificate_verify(
            actor=reviewer,
            certificate=recorded,
            verified=True,
            note="已在职业技能等级证书全国联网查询系统核验",
        )

    douhudi = Region.objects.get(code="421022101")
    buhe = Region.objects.get(code="421022102")
    openings = (
        ("公安县荆江大酒店", "中餐厨师", "中式烹调师", douhudi, 3800, 5000, 3),
        ("公安县油江饭店", "帮厨", "中式烹调师", douhudi, 3000, 3800, 2),
        ("湖北公安凯达纺织有限公司", "挡车工", "纺织工", douhudi, 3500, 4800, 20),
        ("公安县荆楚农业科技有限公司", "电商专员", "电子商务师", buhe, 3200, 4500, 2),
        ("公安县福康养老院", "养老护理员", "养老护理员", buhe, 3000, 3600, 5),
    )
    vacancies = [
        employment.vacancy_create(
            actor=counsellor,
            employer=employer,
            title=title,
            job_type=job_type,
            township=township,
            wage_min=Decimal(low),
            wage_max=Decimal(high),
            places=places,
            contact=f"0716-523100{number}",
        )
        for number, (employer, title, job_type, township, low, high, places) in enumerate(
            openings, start=1
        )
    ]
    referrals = list(Referral.objects.filter(centre=o["hrsc"]).order_by("pk"))
    outcomes = [
        ("employed", vacancies[0]),
        ("employed", vacancies[1]),
        ("self_employed", None),
        ("not_seeking", None),
        ("interviewed", vacancies[0]),
        ("contacted", None),
    ]
    for referral, (kind, vacancy) in zip(referrals, outcomes, strict=False):
        employment.referral_wishes_set(
            actor=counsellor,
            referral=referral,
            job_type="厨师",
            township=douhudi,
            wage="3500",
        )
        employment.follow_up_record(
            actor=counsellor, referral=referral, kind="contacted", on=date(2023, 5, 22)
        )
        if vacancy is not None:
            employment.recommendation_add(actor=counsellor, referral=referral, vacancy=vacancy)
        if kind != "contacted":
            employment.follow_up_record(
                actor=counsellor,
                referral=referral,
                kind=kind,
                on=date(2023, 6, 5),
                vacancy=vacancy if kind == "employed" else None,
                employed_from=date(2023, 6, 8) if kind == "employed" else None,
                note="开办个体早餐店" if kind == "self_employed" else "",
            )
    return len(referrals)


def _claim_approved(training_class, *, clerk, reviewer, fund):
    """The organiser's claim for a finished class, assembled with its documents, submitted,
    every line approved by the reviewer and past its public notice (HB45-PUB-1). Left as a
    draft when it cannot be submitted (the checklist is red without ffmpeg's videos)."""
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    from upskill.subsidies import services as subsidies

    claim = subsidies.claim_assemble(actor=clerk, training_class=training_class)
    for check in subsidies.documents_checklist(claim):
        if not check.done:
            subsidies.claim_document_upload(
                actor=clerk,
                claim=claim,
                key=check.key,
                upload=ContentFile(b"%PDF-1.4 demo", name=f"{check.key}.pdf"),
            )
    try:
        subsidies.claim_submit(actor=clerk, claim=claim)
    except ValidationError:
        return claim
    subsidies.claim_take(actor=reviewer, claim=claim)
    for line in claim.lines.filter(decision="pending"):
        subsidies.claim_line_decide(actor=reviewer, line=line, approve=True)
    claim = subsidies.claim_approve(
        actor=reviewer, claim=claim, fund=fund, today=training_class.end_date
    )
    subsidies.release_due(today=claim.notice_until + timedelta(days=1))
    claim.refresh_from_db()
    return claim


def subsidies(o: dict[str, Organisation]) -> int:
    """Funds, the working-day calendar and the claim of the finished 中式烹调师 class
    (HB45-PUB-1, HB61-DOC-1): the 2023 budgets of the three fund sources, the official holidays
    of 2023–2025, inst1's claim assembled by the system and, when the class's compliance
    checklist is green, submitted, approved by the reviewer and past its public notice, with
    the trainees' living allowances gathered into a payment batch for the payment clerk to
    export. Made by the demo users through the services."""
    import contextlib
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from upskill.subsidies import services as subsidies
    from upskill.subsidies.models import Claim
    from upskill.training.models import TrainingClass

    subsidies.calendar_seed(years=[2023, 2024, 2025])
    if Claim.objects.exists():
        return 0
    admin = User.objects.get(username="ga_admin")
    gongan = Region.objects.get(code="421022")
    funds = {
        source: subsidies.fund_set(
            actor=admin, source=source, region=gongan, year=2023, budget=Decimal(budget)
        )
        for source, budget in (
            ("employment_fund", "3000000.00"),
            ("skills_account", "5000000.00"),
            ("unemployment_insurance", "1200000.00"),
        )
    }
    cook = TrainingClass.objects.filter(
        organisation=o["inst1"], status="finished", catalog_entry__occupation__name="中式烹调师"
    ).first()
    if cook is None:
        return 0
    claim = _claim_approved(
        cook,
        clerk=User.objects.get(username="inst1_clerk"),
        reviewer=User.objects.get(username="ga_reviewer"),
        fund=funds["employment_fund"],
    )
    if claim.status != "payable":
        return 1  # the checklist is red (no video without ffmpeg): the draft shows why
    payer = User.objects.get(username="ga_payment")
    # nothing may be payable to trainees (no living allowance in this class)
    with contextlib.suppress(ValidationError):
        subsidies.batch_create(
            actor=payer,
            fund=funds["employment_fund"],
            payee="trainee",
            today=claim.notice_until + timedelta(days=1),
        )
    return 1


POVERTY_CLASS = "2023年脱贫劳动力农作物植保员（五级）培训班"


def poverty_class(o: dict[str, Organisation]) -> int:
    """A finished poverty-alleviation class (农作物植保员, 72 class hours, June 2023) of inst1 for
    poverty-alleviated residents of 斗湖堤镇 and 埠河镇 (GA23-OBJ-2): attended, supervised,
    examined, claimed, approved and past its public notice, so that each township centre claims
    its management fee per trainee (GA23-FEE-1). 斗湖堤镇's fee claim is submitted for the
    reviewer; 埠河镇's is left as a draft for its clerk. Made through the services."""
    from django.core.files.base import ContentFile

    from upskill.assessment import services as exams
    from upskill.subsidies import services as subsidies
    from upskill.subsidies.models import Fund
    from upskill.training import services as training
    from upskill.training.models import TrainingClass

    if TrainingClass.objects.filter(name=POVERTY_CLASS).exists():
        return 0
    fund = Fund.objects.filter(source="employment_fund", region__code="421022", year=2023).first()
    trainees = list(
        Person.objects.filter(
            county__code="421022",
            township__code__in=["421022101", "421022102"],
            categories__category__code="poverty_alleviated",
        )
        .exclude(enrolments__isnull=False)
        .distinct()
        .order_by("pk")[:12]
    )
    if fund is None or len(trainees) < 2:
        return 0
    users = {u.username: u for u in User.objects.filter(username__contains="_")}
    clerk, teacher = users["inst1_clerk"], users["inst1_teacher"]
    reviewer, inspector = users["ga_reviewer"], users["ga_inspector"]

    plants = _plan(
        clerk,
        "刘振华",
        "GA2023-ZB-0005",
        "poverty",
        "农作物植保员",
        "421022101",
        "斗湖堤镇油江路12号公安县职业技术培训学校",
        _weekdays(date(2023, 6, 5), 9),
        3,  # 24 theory hours, 48 practice = 67% (GA23-HRS-1)
        30,
        POVERTY_CLASS,
    )
    training.class_transition(actor=clerk, training_class=plants, action="submit")
    training.class_transition(actor=reviewer, training_class=plants, action="approve")
    _enrol(clerk, plants, trainees)
    training.class_transition(actor=clerk, training_class=plants, action="start")
    training.first_lesson_record(
        actor=teacher,
        training_class=plants,
        date=plants.start_date,
        content="宣讲脱贫劳动力培训政策（GA23-OBJ-2）与每天40元生活费补贴（GA23-LIV-2）",
    )
    for lesson in plants.lessons.order_by("date"):
        training.attendance_mark_all_present(actor=teacher, lesson=lesson)
    for trainee in trainees:
        training.survey_answer(
            training_class=plants,
            id_number=trainee.id_number,
            name=trainee.name,
            answers={"content": 5, "teachers": 5, "practice": 5, "organisation": 4},
        )
    training.class_transition(actor=clerk, training_class=plants, action="finish")
    _supervise_class(
        plants,
        inspector=inspector,
        clerk=clerk,
        specialty="农作物植保员",
        seed=700,
        prefix="plants",
    )
    session = exams.session_create(
        actor=clerk,
        training_class=plants,
        date=plants.end_date,
        place="斗湖堤镇农业技术推广站试验田",
        examiners="李国华（考评员）、周玉兰（考评员）",
    )
    for index, attempt in enumerate(session.attempts.order_by("enrolment_id")):
        exams.attempt_record(
            actor=teacher,
            attempt=attempt,
            theory_score=str(66 + index % 25),
            practical_score=str(70 + (index * 3) % 22),
        )
    exams.session_close(actor=teacher, session=session)

    claim = _claim_approved(plants, clerk=clerk, reviewer=reviewer, fund=fund)
    if claim.status != "payable":
        return 1  # the checklist is red (no video without ffmpeg): the draft shows why

    for username, submit in (("ga_douhudi", True), ("ga_buhe", False)):
        township_clerk = users[username]
        fee_claim = subsidies.claim_assemble_township(actor=township_clerk, year=2023)
        if submit:
            subsidies.claim_document_upload(
                actor=township_clerk,
                claim=fee_claim,
                key="application",
                upload=ContentFile(b"%PDF-1.4 demo", name="application.pdf"),
            )
            subsidies.claim_submit(actor=township_clerk, claim=fee_claim)
    return 1


def enterprise_records(o: dict[str, Organisation]) -> int:
    """Wuhan enterprise records of 2020–2021 for its claims (HB61-PJ-1, HB61-CMP-1, HB45-APP-1,
    HB45-TEC-1, HB61-WFT-1): labour contracts of 江城精密's employees, a city competition
    finalist, an apprenticeship year, a new technician and work-for-training months, recorded
    by its HR clerk (wh_ent1_hr) through the services. Made once."""
    from decimal import Decimal

    from upskill.enterprise import services as enterprise
    from upskill.enterprise.models import EmploymentContract

    employer = o["wh_ent1"]
    if EmploymentContract.objects.filter(enterprise=employer).exists():
        return 0
    hr = User.objects.get(username="wh_ent1_hr")
    employees = list(
        Person.objects.filter(
            affiliations__organisation=employer, affiliations__kind=AffiliationKind.EMPLOYEE
        ).order_by("pk")[:6]
    )
    for index, person in enumerate(employees):
        enterprise.contract_record(
            actor=hr,
            person=person,
            signed=date(2020, 3 + index, 1),
            years=Decimal("0.5") if index == 5 else Decimal(3),
            consecutive_insured_months=6 + index,
            insured_as_of=date(2021, 3, 31),
            unemployment_insured_months=10 + 3 * index,
        )
    if len(employees) >= 4:
        enterprise.record_add(
            actor=hr,
            kind="competition",
            person=employees[0],
            on=date(2021, 10, 20),
            competition="武汉市数控车工职业技能竞赛",
            competition_level="city",
            finalist=True,
        )
        enterprise.record_add(actor=hr, kind="apprentice", person=employees[1], on=date(2021, 1, 1))
        enterprise.record_add(
            actor=hr,
            kind="technician",
            person=employees[2],
            on=date(2021, 6, 30),
            title="technician",
        )
        enterprise.record_add(
            actor=hr,
            kind="work_for_training",
            person=employees[3],
            on=date(2020, 6, 30),
            period_start=date(2020, 3, 1),
            months=4,
        )
    return len(employees)


@transaction.atomic
def seed() -> list[Login]:
    o = organisations()
    result = logins(o)
    persons(o)
    catalogs(o)
    classes(o)
    supervision(o)
    assessment(o)
    subsidies(o)
    poverty_class(o)
    enterprise_records(o)
    return result
