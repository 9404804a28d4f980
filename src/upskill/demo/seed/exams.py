"""Stage: the online theory exam (WH20-EXM-1, HB61-ONL-1, issue 17 item 5).

明蛙's operator keeps a question bank of 60 questions for the occupation and level of the first
online class the Wuhan enrolment stage filed, and an exam drawing 25 of them (100 points, pass
mark 60, 60 minutes, the default waiting time between attempts). Of the class's learners with
an account, the first has passed (the result is their theory part, HB61-ONL-1) and the second
has failed and waits to retake. Made once, through the services, the questions in bulk."""

from __future__ import annotations

import random
from decimal import Decimal

from upskill.exams import services
from upskill.exams.models import QuestionBank, QuestionKind
from upskill.organisations.models import Organisation, OrganisationKind, User
from upskill.registry.models import Person
from upskill.training.models import EnrolmentStatus, TrainingClass

AREAS = ("安全生产法律法规", "危险源辨识", "安全评价方法")
PARTS = (
    (QuestionKind.SINGLE, 10, 4),
    (QuestionKind.MULTIPLE, 5, 6),
    (QuestionKind.TRUE_FALSE, 10, 3),
)


def _questions() -> list[services.QuestionData]:
    """30 single choice, 15 multiple choice and 15 true/false questions over three areas."""
    made = []
    for index in range(30):
        area = AREAS[index % 3]
        made.append(
            services.question_check(
                kind=QuestionKind.SINGLE,
                stem=f"【{area}】单选第{index + 1}题：下列说法中正确的是哪一项？",
                options=[
                    f"正确说法{index + 1}",
                    f"干扰项甲{index + 1}",
                    f"干扰项乙{index + 1}",
                    f"干扰项丙{index + 1}",
                ],
                answer=[0],
                explanation=f"依据{area}的相关规定，只有“正确说法{index + 1}”成立。",
                knowledge_area=area,
                difficulty=1 + index % 3,
            )
        )
    for index in range(15):
        area = AREAS[index % 3]
        made.append(
            services.question_check(
                kind=QuestionKind.MULTIPLE,
                stem=f"【{area}】多选第{index + 1}题：下列哪些做法符合要求？",
                options=[
                    f"做法一{index + 1}",
                    f"做法二{index + 1}",
                    f"不当做法{index + 1}",
                    f"违规做法{index + 1}",
                ],
                answer=[0, 1],
                explanation=f"做法一、做法二均符合{area}的要求。",
                knowledge_area=area,
                difficulty=2,
            )
        )
    for index in range(15):
        area = AREAS[index % 3]
        made.append(
            services.question_check(
                kind=QuestionKind.TRUE_FALSE,
                stem=f"【{area}】判断第{index + 1}题：生产经营单位应当建立健全安全生产责任制。",
                options=[],
                answer=[0] if index % 2 == 0 else [1],
                explanation=f"{area}：见相关条款。",
                knowledge_area=area,
                difficulty=1,
            )
        )
    return made


def _take(learner, blueprint, *, right: int, rng: random.Random):
    """An attempt with the first ``right`` questions right and the rest wrong, handed in."""
    attempt = services.attempt_start(actor=learner, blueprint=blueprint, rng=rng)
    choices = {}
    for index, pq in enumerate(attempt.paper.select_related("question").order_by("position")):
        key = set(pq.question.answer)
        shown = [s for s, original in enumerate(pq.order) if original in key]
        wrong = [next(s for s, original in enumerate(pq.order) if original not in key)]
        choices[pq.position] = shown if index < right else wrong
    return services.attempt_submit(actor=learner, attempt=attempt, choices=choices)


def exams(o: dict[str, Organisation]) -> int:
    """The bank, the exam and two learners' attempts; how many attempts were made."""
    operator = User.objects.filter(username="mingwa_operator").first()
    training_class = (
        TrainingClass.objects.filter(
            platform__kind=OrganisationKind.PLATFORM,
            catalog_entry__program="online_skill_level",
        )
        .select_related("catalog_entry__occupation")
        .order_by("pk")
        .first()
    )
    if operator is None or training_class is None:
        return 0
    occupation = training_class.catalog_entry.occupation
    if QuestionBank.objects.filter(
        platform=operator.organisation, occupation_name=occupation.name, level=occupation.level
    ).exists():
        return 0
    label = f"{occupation.name}（{occupation.get_level_display()}）"
    bank = services.bank_create(
        actor=operator,
        occupation_name=occupation.name,
        level=occupation.level,
        title=f"{label}理论题库",
    )
    services.questions_add(actor=operator, bank=bank, questions=_questions())
    blueprint = services.blueprint_create(
        actor=operator,
        occupation_name=occupation.name,
        level=occupation.level,
        title=f"{label}线上理论考试",
        pass_mark=Decimal(60),
        time_limit_minutes=60,
    )
    for kind, count, points in PARTS:
        services.blueprint_part_add(
            actor=operator, blueprint=blueprint, kind=kind, count=count, points=Decimal(points)
        )
    services.blueprint_activate(actor=operator, blueprint=blueprint)
    learners = list(
        Person.objects.filter(
            account__isnull=False,
            enrolments__training_class=training_class,
            enrolments__status=EnrolmentStatus.ENROLLED,
        )
        .select_related("account")
        .order_by("pk")[:2]
    )
    rng = random.Random(2020)
    made = 0
    if learners:
        _take(learners[0].account, blueprint, right=22, rng=rng)  # 40 + 30 + 18 = 88: passed
        made += 1
    if len(learners) > 1:
        _take(learners[1].account, blueprint, right=8, rng=rng)  # 32: failed, waits to retake
        made += 1
    return made
