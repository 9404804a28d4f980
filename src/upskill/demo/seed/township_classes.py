"""Stage 13: small finished poverty-alleviation classes held in the other townships of Gong'an
(GA23-OBJ-2), so that the townships' year-end evaluation (GA23-EVAL-1) ranks real figures:
every township has done something, the bottom three differ and none stands at zero."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from upskill.core import clock
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Organisation, Region, User
from upskill.registry.models import Person
from upskill.training import services as training
from upskill.training.models import TrainingClass

from ._common import _enrol, _plan, _weekdays

TOWNSHIP_CLASS_SUFFIX = "脱贫劳动力就近培训班（乡镇）"


def township_classes(o: dict[str, Organisation]) -> int:
    """One finished class in each Gong'an township that has none yet, of 2 to 8 of the
    county's poverty-alleviated residents (its own residents first): 农作物植保员 (a specialty
    project, inst1) in every other township, 家政服务员 (inst3) in the rest, so that both
    evaluation items differ from township to township. Through the training services, each
    class attended, its first lesson and surveys recorded, then finished."""
    if TrainingClass.objects.filter(name__endswith=TOWNSHIP_CLASS_SUFFIX).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__contains="_")}
    reviewer = users["ga_reviewer"]
    held = set(
        TrainingClass.objects.filter(
            township__parent__code="421022", status="finished", end_date__year=2023
        ).values_list("township__code", flat=True)
    )
    townships = [
        t
        for t in Region.objects.filter(parent__code="421022", level="township").order_by("code")
        if t.code not in held
    ]
    made = 0
    for index, township in enumerate(townships):
        size = 2 + (index * 5) % 7  # 2 … 8, a different mix from township to township
        trainees = _trainees(township, size)
        if len(trainees) < 2:
            continue
        if index % 2 == 0:
            clerk, occupation, days, theory, hours = (
                users["inst1_clerk"],
                "农作物植保员",
                _weekdays(date(2023, 7, 3) + timedelta(days=7 * index), 9),
                3,
                None,
            )
        else:
            clerk, occupation, days, theory, hours = (
                users["inst3_clerk"],
                "家政服务员",
                _weekdays(date(2023, 7, 3) + timedelta(days=7 * index), 10),
                4,
                Decimal(6),
            )
        course = _plan(
            clerk,
            "赵德胜" if index % 2 == 0 else "孙桂芳",
            f"GA2023-TS-{index + 1:04d}",
            "poverty",
            occupation,
            township.code,
            f"{township.name}人社服务中心培训室",
            days,
            theory,
            30,
            f"2023年{township.name}{occupation}{TOWNSHIP_CLASS_SUFFIX}",
            hours_per_lesson=hours,
        )
        training.class_transition(actor=clerk, training_class=course, action="submit")
        training.class_transition(actor=reviewer, training_class=course, action="approve")
        _enrol(clerk, course, trainees)
        with clock.frozen(course.start_date):
            training.class_transition(actor=clerk, training_class=course, action="start")
        training.first_lesson_record(
            actor=SYSTEM,
            training_class=course,
            date=course.start_date,
            content="宣讲脱贫劳动力培训政策（GA23-OBJ-2）与每天40元生活费补贴（GA23-LIV-2）",
        )
        for lesson in course.lessons.order_by("date"):
            training.attendance_mark_all_present(actor=SYSTEM, lesson=lesson)
        for trainee in trainees:
            training.survey_answer(
                training_class=course,
                id_number=trainee.id_number,
                name=trainee.name,
                answers={"content": 5, "teachers": 4, "practice": 5, "organisation": 4},
            )
        training.class_transition(actor=clerk, training_class=course, action="finish")
        made += 1
    return made


def _trainees(township: Region, size: int) -> list[Person]:
    """``size`` poverty-alleviated Gong'an residents not yet in any class, the township's own
    first."""
    free = (
        Person.objects.filter(
            county__code="421022", categories__category__code="poverty_alleviated"
        )
        .exclude(enrolments__isnull=False)
        .distinct()
    )
    own = list(free.filter(township=township).order_by("pk")[:size])
    if len(own) < size:
        own += list(
            free.exclude(pk__in=[p.pk for p in own])
            .exclude(township=township)
            .order_by("pk")[: size - len(own)]
        )
    return own
