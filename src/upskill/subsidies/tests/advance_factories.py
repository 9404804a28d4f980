"""Test data of the advance payments (HB45-ADV-1): a Wuhan 2020 project-based class of
江城精密 (post-skill training, HB61-PS-2: 300 per trainee who passes), running with its
trainees enrolled, then finished and examined; a Wuhan fund. Made through the services."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from upskill.catalog.models import Catalog, CatalogEntry
from upskill.catalog.services import catalog_create, catalog_publish, entry_add, occupation_set
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region
from upskill.subsidies.models import AdvanceDeduction
from upskill.subsidies.services import (
    advance_approve,
    batch_create,
    batch_export,
    batch_results_import,
    claim_approve,
    claim_assemble,
    claim_line_decide,
    claim_submit,
    claim_take,
    fund_set,
    payee_account_set,
)
from upskill.training import services

from . import factories

_numbers = itertools.count(1)
WUHAN_STREET = "420112001"  # 东西湖区吴家山街道, where the class is held
START = date(2020, 6, 1)


def wuhan_street() -> Region:
    """A street (township level) of 东西湖区: the demo's regions stop at Wuhan's districts."""
    street, _created = Region.objects.get_or_create(
        code=WUHAN_STREET,
        defaults={
            "name": "吴家山街道",
            "level": "township",
            "parent": Region.objects.get(code="420112"),
        },
    )
    return street


def wuhan_entry() -> CatalogEntry:
    """Wuhan's 2020 post-skill project for 数控车工 (level 4), from published catalogues."""
    wuhan = Region.objects.get(code="420100")
    projects = Catalog.objects.filter(kind="projects", region=wuhan, year=2020).first()
    if projects is None:
        occupations = catalog_create(actor=SYSTEM, kind="occupations", region=wuhan, year=2020)
        lathe = occupation_set(
            actor=SYSTEM, catalog=occupations, name="数控车工", level=4, price=Decimal("2000")
        )
        catalog_publish(actor=SYSTEM, catalog=occupations)
        projects = catalog_create(actor=SYSTEM, kind="projects", region=wuhan, year=2020)
        entry_add(
            actor=SYSTEM,
            catalog=projects,
            program="post_skill",
            occupation=lathe,
            standard_hours=Decimal(24),
        )
        catalog_publish(actor=SYSTEM, catalog=projects)
    return CatalogEntry.objects.filter(catalog=projects).get()


def running_class(
    world,
    persons: list,
    *,
    entry: CatalogEntry | None = None,
    organisation: str = "wh_ent1",
    township: str = WUHAN_STREET,
    start: date = START,
    days: int = 4,
):
    """A class approved and started, 6 class hours a day (2 theory, 4 practice), ``persons``
    enrolled: what an advance is applied for."""
    if township == WUHAN_STREET:
        wuhan_street()
    entry = entry or wuhan_entry()
    owner = world[organisation]
    teacher = services.teacher_create(
        actor=SYSTEM,
        organisation=owner,
        name="吴老师",
        certificate_kind="职业技能等级证书",
        certificate_number=f"A2020{next(_numbers):05d}",
    )
    training_class = services.class_create(
        actor=SYSTEM,
        organisation=owner,
        name=f"{entry.occupation.name}岗位技能提升培训班{next(_numbers)}",
        catalog_entry=entry,
        township=Region.objects.get(code=township),
        venue="东西湖区吴家山实训基地",
        start_date=start,
        end_date=start + timedelta(days=days - 1),
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
    for person in persons:
        services.enrolment_create(
            actor=SYSTEM,
            training_class=training_class,
            id_number=person.id_number,
            name=person.name,
        )
    training_class.refresh_from_db()
    return training_class


def finish(training_class, *, failed: tuple = ()) -> None:
    """Attended in full, compliant, finished and examined: all passed but the ``failed``
    (indexes of the enrolments)."""
    enrolments = list(training_class.enrolments.order_by("pk"))
    for lesson in training_class.lessons.all():
        services.attendance_mark_all_present(actor=SYSTEM, lesson=lesson)
    services.first_lesson_record(
        actor=SYSTEM,
        training_class=training_class,
        date=training_class.start_date,
        content="补贴政策宣讲",
    )
    for enrolment in enrolments:
        services.survey_answer(
            training_class=training_class,
            id_number=enrolment.person.id_number,
            name=enrolment.person.name,
            answers={"content": 5, "teachers": 5, "practice": 4, "organisation": 5},
        )
    factories._compliance_records(training_class)
    services.class_transition(actor=SYSTEM, training_class=training_class, action="finish")
    failed_ids = {enrolments[i].pk for i in failed}
    factories._exam(training_class, enrolments, {e.pk for e in enrolments} - failed_ids)
    training_class.refresh_from_db()


def wuhan_fund(*, source: str = "skills_account", budget: str = "100000.00"):
    return fund_set(
        actor=SYSTEM,
        source=source,
        region=Region.objects.get(code="420112"),
        year=2020,
        budget=Decimal(budget),
    )


def organiser_account(world, organisation: str = "wh_ent1"):
    return payee_account_set(
        actor=SYSTEM,
        organisation=world[organisation],
        account_name="武汉江城精密机械有限公司",
        account_number="42001860000052500123",
        bank_name="中国工商银行武汉东西湖支行",
        branch_code="102521000456",
    )


def final_claim_under_review(training_class, *, clerk=SYSTEM, reviewer=SYSTEM):
    """The organiser's final claim, submitted, taken and every payable line approved."""
    claim = claim_assemble(actor=clerk, training_class=training_class)
    factories.documents(claim, clerk)
    claim_submit(actor=clerk, claim=claim)
    claim_take(actor=reviewer, claim=claim)
    for line in claim.lines.filter(decision="pending"):
        claim_line_decide(actor=reviewer, line=line, approve=True)
    return claim


def paid(world, advance, fund):
    """The advance approved, gathered into an organiser batch, exported and paid by the bank."""
    advance_approve(actor=SYSTEM, advance=advance, fund=fund, today=START)
    organiser_account(world)
    batch = batch_create(actor=SYSTEM, fund=fund, payee="organiser", today=START)
    batch_export(actor=SYSTEM, batch=batch, fmt="csv")
    payment = batch.items.get()
    answer = ContentFile(f"参考号,结果\n{payment.reference},成功\n".encode(), name="answer.csv")
    batch_results_import(actor=SYSTEM, batch=batch, upload=answer)
    return batch


def deducted(world, advance, fund) -> AdvanceDeduction:
    """The advance paid, the class finished and its final claim approved: the first of the
    deductions it made."""
    paid(world, advance, fund)
    finish(advance.training_class)
    claim = final_claim_under_review(advance.training_class)
    claim_approve(actor=SYSTEM, claim=claim, fund=fund, today=date(2020, 6, 10))
    return AdvanceDeduction.objects.filter(advance=advance).order_by("pk").first()
