"""Stage 11: the Wuhan enterprise federation's 2020 call (WH20 三; WH20-ENR-1/2, WH20-OBJ-1,
WH20-FEE-1, WH20-LVE-1, WH20-USE-1), made through the services: the institution the notice
entrusts (湖北明蛙教育科技有限公司) files its online skill-level classes, the federation keeps its
members and opens the call (until 2020-07-20 inclusive); 江城精密 applies in time and 楚天食品
after the deadline (refused); the federation schedules 江城精密 into the first batch; its HR puts
five employees forward from a list, the one with 11 months of unemployment insurance refused
(the list is imported again without them), registers them at the on-site session, records the
fee receipts and the signed agreements; one employee leaves during training with the deduction
recorded; the institution states how the subsidy is used. Made once."""

from __future__ import annotations

import contextlib
from datetime import date, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from upskill.catalog.models import Catalog, CatalogKind, Occupation, OnlinePlatform
from upskill.catalog.services import (
    catalog_create,
    catalog_new_version,
    catalog_publish,
    entry_add,
    institution_designate,
    occupation_import,
)
from upskill.core.imports import ImportRejected
from upskill.core.scoping import SYSTEM
from upskill.enterprise.models import EmploymentContract
from upskill.nominations import services as nominations
from upskill.nominations.models import Call, Nomination
from upskill.nominations.pdf import agreements_pdf
from upskill.organisations.models import Organisation, OrganisationKind, Region, User
from upskill.training import services as training

from .advances import _street
from .organisations import Login, _org, _user

# The occupations the institution teaches online in 2020 (WH20 附件2): the two general ones of
# WH20 三(二) and the specialised ones 江城精密 asks for.
_OCCUPATIONS = [("安全评价师", 3), ("劳动关系协调员", 3), ("钳工", 3), ("钳工", 4), ("电工", 4)]
_START = date(2020, 8, 3)
# (general, specialised, specialised level, unemployment-insurance months on the list)
_PUT_FORWARD = [
    ("安全评价师", "钳工", 3, 26),
    ("劳动关系协调员", "钳工", 4, 19),
    ("安全评价师", "电工", 4, 15),
    ("劳动关系协调员", "钳工", 3, 13),
    ("安全评价师", "钳工", 4, 11),
]


def _catalogues(institution: Organisation) -> dict[tuple[str, int], object]:
    hubei = Region.objects.get(code="420000")
    wuhan = Region.objects.get(code="420100")
    occupations = Catalog.objects.filter(
        kind=CatalogKind.OCCUPATIONS, region=hubei, year=2020
    ).first()
    if occupations is None:
        occupations = catalog_create(
            actor=SYSTEM,
            kind=CatalogKind.OCCUPATIONS,
            region=hubei,
            year=2020,
            title="湖北省2020年国家职业资格证工种表（武企联【2020】14号附件2）",
        )
        occupation_import(actor=SYSTEM, catalog=occupations)
        catalog_publish(actor=SYSTEM, catalog=occupations)
    wanted = [
        Occupation.objects.get(catalog=occupations, name=n, level=lv) for n, lv in _OCCUPATIONS
    ]
    # Wuhan's 2020 project catalogue (the advances stage published it): a new version adds
    # the online skill-level projects (HB45-CAT-1, dynamic adjustment)
    published = (
        Catalog.objects.filter(kind=CatalogKind.PROJECTS, region=wuhan, year=2020)
        .order_by("-version")
        .first()
    )
    projects = (
        catalog_new_version(actor=SYSTEM, catalog=published, note="增加线上职业技能等级培训项目")
        if published is not None
        else catalog_create(
            actor=SYSTEM,
            kind=CatalogKind.PROJECTS,
            region=wuhan,
            year=2020,
            title="武汉市2020年补贴性培训项目目录",
        )
    )
    entries = {}
    for occupation in wanted:
        entries[(occupation.name, occupation.level)] = entry_add(
            actor=SYSTEM,
            catalog=projects,
            program="online_skill_level",
            occupation=occupation,
            standard_hours=Decimal("80"),
        )
    catalog_publish(actor=SYSTEM, catalog=projects)
    institutions = catalog_create(
        actor=SYSTEM,
        kind=CatalogKind.INSTITUTIONS,
        region=wuhan,
        year=2020,
        title="武汉市2020年线上培训机构目录",
    )
    institution_designate(
        actor=SYSTEM, catalog=institutions, organisation=institution, occupations=wanted
    )
    catalog_publish(actor=SYSTEM, catalog=institutions)
    return entries


def _class(clerk, reviewer, teacher, entry, township: Region):
    """An online class of ten days, 32 theory and 48 practical hours (GA23-HRS-1 share),
    filed by the institution and approved by the city bureau (HB61-PRJ-1)."""
    days = []
    day = _START
    while len(days) < 10:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    training_class = training.class_create(
        actor=clerk,
        name=f"2020年线上{entry.occupation.name}（{entry.occupation.get_level_display()}）培训班",
        catalog_entry=entry,
        township=township,
        venue="明蛙线上职业培训平台（线下实操：武昌区中北路实训基地）",
        platform=Organisation.objects.get(
            kind=OrganisationKind.PLATFORM, name="明蛙线上职业培训平台"
        ),
        start_date=days[0],
        end_date=days[-1],
        planned_places=50,
        assessment_method="线上理论考试，线下实操考核（附件3 三）",
        teachers=[teacher],
    )
    for index, day in enumerate(days):
        training.lesson_create(
            actor=clerk,
            training_class=training_class,
            date=day,
            start_time=time(9, 0),
            end_time=time(17, 0),
            hours=Decimal(8),
            kind="theory" if index < 4 else "practice",
            content="线上理论课程" if index < 4 else "线下实际操作训练",
            teacher=teacher,
        )
    training.class_transition(actor=clerk, training_class=training_class, action="submit")
    training.class_transition(actor=reviewer, training_class=training_class, action="approve")
    return training_class


def _list_file(rows) -> ContentFile:
    header = "身份证号,姓名,通用工种,通用工种等级,专用工种,专用工种等级,失业保险累计月数,截至日期\n"
    body = "".join(
        f"{person.id_number},{person.name},{general},3,{special},{level},{months},2020-07-15\n"
        for person, (general, special, level, months) in rows
    )
    return ContentFile((header + body).encode("utf-8"), name="江城精密报名名单.csv")


def wuhan_enrolment(o: dict[str, Organisation]) -> list[Login]:
    """The federation's 2020 call and 江城精密's employees put forward (see the module)."""
    institution = _org(
        OrganisationKind.INSTITUTION, "湖北明蛙教育科技有限公司", "420106", o["wuhan"]
    )
    o["wh_inst"] = institution
    clerk = _user("mingwa_clerk", institution, "clerk", "明蛙教务")
    logins = [Login("mingwa_clerk", institution.name, clerk.role.name)]
    if Call.objects.filter(association=o["federation"]).exists():
        return logins
    users = {u.username: u for u in User.objects.filter(username__startswith="wh")}
    association, hr1, hr2 = users["whqlh_clerk"], users["wh_ent1_hr"], users["wh_ent2_hr"]
    reviewer = users["wh_reviewer"]

    entries = _catalogues(institution)
    teacher = training.teacher_create(
        actor=clerk,
        name="曾妮",
        certificate_kind="职业技能等级证书（二级）",
        certificate_number="WH2020-JS-0001",
        phone="13907160001",
    )
    township = _street()
    for entry in entries.values():
        _class(clerk, reviewer, teacher, entry, township)

    for number, key in enumerate(("wh_ent1", "wh_ent2"), start=1):
        nominations.membership_add(
            actor=association,
            enterprise=o[key],
            joined_on=date(2018, 3, 1),
            number=f"WQL-{number:03d}",
        )
    call = nominations.call_create(
        actor=association,
        title="2020线上职业技能等级培训",
        document="武企联【2020】14号",
        year=2020,
        deadline=date(2020, 7, 20),
        advanced_exam_fee=Decimal("320"),
    )
    application = nominations.application_submit(
        actor=hr1,
        call=call,
        industry="机械制造",
        hr_lead="王建华",
        hr_lead_phone="13871000001",
        occupations_wanted="安全评价师、劳动关系协调员；钳工、电工",
        eligible_employees=5,
        dispatched_included=1,
        received_on=date(2020, 7, 10),
    )
    # after the deadline: refused (WH20-ENR-1)
    with contextlib.suppress(ValidationError):
        nominations.application_submit(
            actor=hr2,
            call=call,
            industry="食品制造",
            hr_lead="李秀英",
            hr_lead_phone="13871000002",
            occupations_wanted="劳动关系协调员；中式面点师",
            eligible_employees=8,
            received_on=date(2020, 7, 22),
        )
    batch = nominations.batch_create(
        actor=association,
        call=call,
        name="2020年第一批",
        institution=institution,
        platform=OnlinePlatform.objects.get(name="明蛙线上职业培训平台"),
        start_date=date(2020, 8, 1),
        end_date=date(2020, 10, 31),
    )
    nominations.application_schedule(actor=association, application=application, batch=batch)

    contracts = list(
        EmploymentContract.objects.filter(enterprise=o["wh_ent1"], ended__isnull=True)
        .select_related("person")
        .order_by("pk")
    )
    persons = []
    for contract in contracts:
        if contract.person not in persons:
            persons.append(contract.person)
    rows = list(zip(persons, _PUT_FORWARD, strict=False))
    # the list with the employee of 11 months: refused as a whole (WH20-OBJ-1)
    with contextlib.suppress(ImportRejected):
        nominations.nominations_import(actor=hr1, application=application, upload=_list_file(rows))
    made = nominations.nominations_import(
        actor=hr1,
        application=application,
        upload=_list_file([row for row in rows if row[1][3] >= 12]),
    )
    for nomination in made:
        nominations.nomination_register(actor=hr1, nomination=nomination, channel="onsite")
        nominations.receipt_record(
            actor=clerk,
            nomination=nomination,
            amount=Decimal("3000"),
            paid_on=date(2020, 7, 28),
            number=f"MW2020-{nomination.pk:04d}",
        )
        nominations.agreements_upload(
            actor=hr1,
            nomination=nomination,
            upload=ContentFile(agreements_pdf(nomination), name="signed.pdf"),
        )
    leaving = Nomination.objects.get(pk=made[-1].pk)
    nominations.nomination_leave(
        actor=hr1, nomination=leaving, left_on=date(2020, 9, 15), reason="个人原因离职"
    )
    for category, amount in (
        ("teaching", "4000"),
        ("courses", "3200"),
        ("materials", "1200"),
        ("assessment", "2560"),
    ):
        nominations.subsidy_use_record(
            actor=clerk, batch=batch, category=category, amount=Decimal(amount)
        )
    return logins
