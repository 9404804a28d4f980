"""Stage 4: training classes in every state, from filed to finished."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from upskill.core import clock
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Organisation, User
from upskill.registry.models import Person
from upskill.training import services as training
from upskill.training.models import TrainingClass

from ._common import _enrol, _plan, _weekdays


def classes(o: dict[str, Organisation]) -> int:
    """Gong'an 2023 training classes, made by the demo users through the training services
    (HB61-PRJ-1): a finished 中式烹调师 class of inst1 in 斗湖堤镇 with attendance, first lesson
    and surveys; a running 家政服务员 poverty-alleviation class of inst3 in 埠河镇; one approved
    class open for enrolment (GA23-PUB-1) and one submitted, awaiting the bureau."""
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
    with clock.frozen(cook.start_date):  # started on its start date (issue 15.6)
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
    with clock.frozen(domestic.start_date):
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
