"""Stage 10: a Wuhan 2020 project-based class with its advance paid (HB45-ADV-1)."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from upskill.catalog.models import Catalog, CatalogEntry, CatalogKind
from upskill.catalog.services import catalog_create, catalog_publish, entry_add, occupation_set
from upskill.core import clock
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Organisation, Region, User
from upskill.registry.models import AffiliationKind, Person
from upskill.subsidies import services as subsidy_services
from upskill.subsidies.models import Advance
from upskill.training import services as training

ADVANCE_CLASS = "2020年第3期数控车工（四级）岗位技能提升培训班"
START = date(2020, 6, 1)


def _street() -> Region:
    """东西湖区吴家山街道: the demo's regions stop at Wuhan's districts; the class needs the
    street (township level) it is held in."""
    street, _created = Region.objects.get_or_create(
        code="420112001",
        defaults={
            "name": "吴家山街道",
            "level": "township",
            "parent": Region.objects.get(code="420112"),
        },
    )
    return street


def _lathe_project() -> CatalogEntry:
    """Wuhan's 2020 post-skill training project for 数控车工 (level 4), published."""
    wuhan = Region.objects.get(code="420100")
    projects = Catalog.objects.filter(kind=CatalogKind.PROJECTS, region=wuhan, year=2020).first()
    if projects is None:
        occupations = catalog_create(
            actor=SYSTEM,
            kind=CatalogKind.OCCUPATIONS,
            region=wuhan,
            year=2020,
            title="武汉市2020年职业（工种）目录",
        )
        lathe = occupation_set(
            actor=SYSTEM, catalog=occupations, name="数控车工", level=4, price=Decimal("2000")
        )
        catalog_publish(actor=SYSTEM, catalog=occupations)
        projects = catalog_create(
            actor=SYSTEM,
            kind=CatalogKind.PROJECTS,
            region=wuhan,
            year=2020,
            title="武汉市2020年补贴性培训项目目录",
        )
        entry_add(
            actor=SYSTEM,
            catalog=projects,
            program="post_skill",
            occupation=lathe,
            standard_hours=Decimal(24),
        )
        catalog_publish(actor=SYSTEM, catalog=projects)
    return CatalogEntry.objects.filter(catalog=projects, program="post_skill").first()


def advances(o: dict[str, Organisation]) -> int:
    """江城精密 (wh_ent1_hr) files a 2020 post-skill class of 数控车工 for three of its
    employees, the city bureau's reviewer approves it, the class starts; the enterprise applies
    for its advance (HB45-ADV-1: half of 3 × 300, HB61-PS-2, as if all pass: 450), the reviewer
    charges it to the district's 2020 skills account, and the payment clerk pays it through an
    organiser batch and the bank's file. The class is still running: its final claim will
    deduct the advance. Made once, by the demo users through the services."""
    if Advance.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__startswith="wh_")}
    hr, reviewer, payer = users["wh_ent1_hr"], users["wh_reviewer"], users["wh_payment"]
    employees = list(
        Person.objects.filter(
            affiliations__organisation=o["wh_ent1"], affiliations__kind=AffiliationKind.EMPLOYEE
        ).order_by("pk")[:3]
    )
    if not employees:
        return 0
    teacher = training.teacher_create(
        actor=hr,
        name="吴建华",
        certificate_kind="职业技能等级证书（二级）",
        certificate_number="WH2020-JS-0007",
        phone="13907160007",
    )
    days = 4
    training_class = training.class_create(
        actor=hr,
        name=ADVANCE_CLASS,
        catalog_entry=_lathe_project(),
        township=_street(),
        venue="东西湖区吴家山三店街江城精密实训车间",
        start_date=START,
        end_date=START + timedelta(days=days - 1),
        planned_places=30,
        assessment_method="理论笔试加实操考核",
        teachers=[teacher],
    )
    for day in range(days):
        for index, (kind, hours) in enumerate((("theory", 2), ("practice", 4))):
            training.lesson_create(
                actor=hr,
                training_class=training_class,
                date=START + timedelta(days=day),
                start_time=time(8 + index * 3, 0),
                end_time=time((10, 14)[index], 0),  # 2 and 4 class hours of 45 minutes
                hours=Decimal(hours),
                kind=kind,
                content=f"数控车床编程与操作 第{day + 1}天",
                teacher=teacher,
            )
    training.class_transition(actor=hr, training_class=training_class, action="submit")
    training.class_transition(actor=reviewer, training_class=training_class, action="approve")
    for person in employees:
        training.enrolment_create(
            actor=hr, training_class=training_class, id_number=person.id_number, name=person.name
        )
    with clock.frozen(training_class.start_date):  # started on its start date (issue 15.6)
        training.class_transition(actor=hr, training_class=training_class, action="start")

    fund = subsidy_services.fund_set(
        actor=users["wh_admin"],
        source="skills_account",
        region=Region.objects.get(code="420112"),
        year=2020,
        budget=Decimal("2000000.00"),
    )
    advance = subsidy_services.advance_apply(actor=hr, training_class=training_class)
    subsidy_services.advance_approve(actor=reviewer, advance=advance, fund=fund, today=START)
    subsidy_services.payee_account_set(
        actor=payer,
        organisation=o["wh_ent1"],
        account_name="武汉江城精密机械有限公司",
        account_number="42001860000052500123",
        bank_name="中国工商银行武汉东西湖支行",
        branch_code="102521000456",
    )
    batch = subsidy_services.batch_create(actor=payer, fund=fund, payee="organiser", today=START)
    subsidy_services.batch_export(actor=payer, batch=batch, fmt="csv")
    payment = batch.items.get()
    answer = ContentFile(f"参考号,结果\n{payment.reference},成功\n".encode(), name="bank.csv")
    subsidy_services.batch_results_import(actor=payer, batch=batch, upload=answer)
    return 1
