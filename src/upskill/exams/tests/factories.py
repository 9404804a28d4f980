"""The online exam's test world (WH20-EXM-1): 明蛙's bank for 钳工 level 4 and an exam drawing
from it, with a learner of the platform's online class (learning's factories). Made through
the services."""

from __future__ import annotations

from decimal import Decimal

from upskill.core.scoping import SYSTEM
from upskill.exams import services
from upskill.exams.models import QuestionKind
from upskill.learning.tests.factories import VALID, file_online_class, operator, platform_catalog
from upskill.registry.services import person_account_create
from upskill.training.models import Enrolment

AREAS = ("安全生产", "钳工工艺")


def questions(n_single: int = 6, n_multiple: int = 4, n_true_false: int = 4):
    """Checked questions: the key of a single choice is its first option, of a multiple choice
    the first two, of a true/false 正确; alternating knowledge areas."""
    made = []
    for index in range(n_single):
        made.append(
            services.question_check(
                kind=QuestionKind.SINGLE,
                stem=f"单选题{index + 1}：锉削时应选用哪种锉刀？",
                options=[f"对{index}", f"错甲{index}", f"错乙{index}", f"错丙{index}"],
                answer=[0],
                explanation=f"解析单选{index}",
                knowledge_area=AREAS[index % 2],
            )
        )
    for index in range(n_multiple):
        made.append(
            services.question_check(
                kind=QuestionKind.MULTIPLE,
                stem=f"多选题{index + 1}：下列哪些属于安全操作？",
                options=[f"对一{index}", f"对二{index}", f"错一{index}", f"错二{index}"],
                answer=[0, 1],
                explanation=f"解析多选{index}",
                knowledge_area=AREAS[index % 2],
            )
        )
    for index in range(n_true_false):
        made.append(
            services.question_check(
                kind=QuestionKind.TRUE_FALSE,
                stem=f"判断题{index + 1}：操作台钻时不得戴手套。",
                options=[],
                answer=[0],
                explanation=f"解析判断{index}",
                knowledge_area=AREAS[index % 2],
            )
        )
    return made


def bank(make_user, **counts):
    actor = operator(make_user)
    made = services.bank_create(
        actor=actor, occupation_name="钳工", level=4, title="钳工（四级）理论题库"
    )
    services.questions_add(actor=actor, bank=made, questions=questions(**counts))
    return made


def blueprint(
    make_user,
    *,
    parts=(
        (QuestionKind.SINGLE, "", 4, 10),
        (QuestionKind.MULTIPLE, "", 2, 20),
        (QuestionKind.TRUE_FALSE, "", 2, 10),
    ),
    pass_mark: int = 60,
    minutes: int = 30,
    wait_minutes: int | None = 0,
    activate: bool = True,
):
    """An exam of 100 points by default: 4 single choice × 10, 2 multiple × 20, 2 true/false
    × 10; pass mark 60."""
    actor = operator(make_user)
    made = services.blueprint_create(
        actor=actor,
        occupation_name="钳工",
        level=4,
        title="钳工（四级）线上理论考试",
        pass_mark=Decimal(pass_mark),
        time_limit_minutes=minutes,
        wait_minutes=wait_minutes,
    )
    for kind, area, count, points in parts:
        services.blueprint_part_add(
            actor=actor,
            blueprint=made,
            kind=kind,
            knowledge_area=area,
            count=count,
            points=Decimal(points),
        )
    if activate:
        services.blueprint_activate(actor=actor, blueprint=made)
    return made


def learner_in_class(world, make_user, make_person):
    """A learner enrolled in 江城精密's online class on 明蛙's platform (as learning's factory
    makes one; the account named ``examinee_<pk>`` so that it never meets the ``learner_<n>``
    accounts of the scoping tests). The enrolment is written directly (training's to test)."""
    if not world["platform"].platform_entries.exists():
        platform_catalog(world, **VALID)
    training_class = file_online_class(make_user("wh_ent1", "hr_clerk"), platform=world["platform"])
    person = make_person()
    Enrolment.objects.create(training_class=training_class, person=person)
    return person_account_create(
        actor=SYSTEM,
        person=person,
        username=f"examinee_{person.pk}",
        password="Test#Pass2023",
        check_password=False,
    )


def exam_world(world, make_user, make_person, **blueprint_kwargs):
    """The bank, an open exam and a learner of the online class: (blueprint, learner)."""
    bank(make_user)
    made = blueprint(make_user, **blueprint_kwargs)
    return made, learner_in_class(world, make_user, make_person)


def right_choice(paper_question) -> list[int]:
    """The displayed positions of the key (tests only: the key is the server's)."""
    key = set(paper_question.question.answer)
    return [shown for shown, original in enumerate(paper_question.order) if original in key]


def wrong_choice(paper_question) -> list[int]:
    key = set(paper_question.question.answer)
    return [next(s for s, o in enumerate(paper_question.order) if o not in key)]


def answer_all(learner, attempt, *, right: int):
    """Save the right choice on the first ``right`` questions and a wrong one on the rest."""
    for index, pq in enumerate(attempt.paper.select_related("question").order_by("position")):
        services.attempt_save(
            actor=learner,
            attempt=attempt,
            position=pq.position,
            choice=right_choice(pq) if index < right else wrong_choice(pq),
        )
