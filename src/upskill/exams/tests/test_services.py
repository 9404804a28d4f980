"""The online theory exam (WH20-EXM-1, HB61-ONL-1): the draw respects the blueprint, options
are shuffled, grading (a multiple-choice question all or nothing), the deadline, the waiting
time between attempts, the passing result as the assessment's theory part."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from upskill.core import clock
from upskill.exams import grading, selectors, services
from upskill.exams.models import AttemptStatus, ExamAttempt, QuestionKind
from upskill.exams.tests.factories import answer_all, exam_world, right_choice

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("key", "order", "choice", "correct"),
    [
        ([0], [0, 1, 2, 3], [0], True),
        ([0], [2, 0, 3, 1], [1], True),  # option 0 shown second
        ([0], [2, 0, 3, 1], [0], False),
        ([0], [0, 1], [], False),  # nothing chosen
        ([0, 2], [0, 1, 2, 3], [0, 2], True),
        ([0, 2], [3, 2, 1, 0], [1, 3], True),
        ([0, 2], [0, 1, 2, 3], [0], False),  # one missing: all or nothing
        ([0, 2], [0, 1, 2, 3], [0, 1, 2], False),  # one too many
        ([1], [0, 1], [1, 1], True),  # a repeated position counts once
    ],
)
def test_grading_table(key, order, choice, correct):
    assert grading.is_correct(key, order, choice) is correct
    expected = Decimal(5) if correct else Decimal(0)
    assert grading.awarded(key, order, choice, Decimal(5)) == expected


def test_the_draw_respects_the_blueprint_and_shuffles_the_options(world, make_user, make_person):
    blueprint, learner = exam_world(
        world,
        make_user,
        make_person,
        parts=(
            (QuestionKind.SINGLE, "安全生产", 3, 10),
            (QuestionKind.SINGLE, "", 2, 10),
            (QuestionKind.MULTIPLE, "", 3, 10),
            (QuestionKind.TRUE_FALSE, "", 2, 10),
        ),
    )
    attempt = services.attempt_start(actor=learner, blueprint=blueprint, rng=random.Random(7))
    paper = list(attempt.paper.select_related("question"))
    assert [pq.position for pq in paper] == list(range(1, 11))
    kinds = Counter(pq.question.kind for pq in paper)
    assert kinds == {QuestionKind.SINGLE: 5, QuestionKind.MULTIPLE: 3, QuestionKind.TRUE_FALSE: 2}
    assert all(pq.question.knowledge_area == "安全生产" for pq in paper[:3])
    assert len({pq.question_id for pq in paper}) == 10  # no question twice
    assert attempt.full_marks == 100
    for pq in paper:
        assert sorted(pq.order) == list(range(len(pq.question.options)))
        if pq.question.kind == QuestionKind.TRUE_FALSE:
            assert pq.order == [0, 1]
    assert any(pq.order != sorted(pq.order) for pq in paper), "options are shuffled"


def test_each_attempt_draws_its_own_paper(world, make_user, make_person):
    blueprint, learner = exam_world(world, make_user, make_person)
    first = services.attempt_start(actor=learner, blueprint=blueprint, rng=random.Random(1))
    services.attempt_submit(actor=learner, attempt=first)
    second = services.attempt_start(actor=learner, blueprint=blueprint, rng=random.Random(2))
    assert second.pk != first.pk and second.number == 2
    assert [(pq.question_id, pq.order) for pq in first.paper.all()] != [
        (pq.question_id, pq.order) for pq in second.paper.all()
    ]


def test_a_short_bank_refuses_the_draw_and_the_activation(world, make_user, make_person):
    from upskill.exams.tests.factories import bank, blueprint

    bank(make_user)
    with pytest.raises(ValidationError) as refused:
        blueprint(make_user, parts=((QuestionKind.MULTIPLE, "", 5, 20),))
    assert "the bank holds 4 of the 5 questions needed" in str(refused.value)
    made = blueprint(make_user, parts=((QuestionKind.MULTIPLE, "", 5, 20),), activate=False)
    assert [s.needed for s in selectors.blueprint_shortages(made)] == [5]
    from upskill.learning.tests.factories import operator

    # the first, refused only its opening, stays as a closed draft: both are short
    assert made in selectors.short_blueprints(actor=operator(make_user))


def test_grading_counts_saved_choices_and_passes_at_the_mark(world, make_user, make_person):
    blueprint, learner = exam_world(world, make_user, make_person)
    attempt = services.attempt_start(actor=learner, blueprint=blueprint)
    answer_all(learner, attempt, right=5)  # 4 singles (40) + 1 multiple (20) = 60
    attempt = services.attempt_submit(actor=learner, attempt=attempt)
    assert (attempt.status, attempt.score, attempt.passed) == (AttemptStatus.SUBMITTED, 60, True)


def test_a_multiple_choice_with_one_option_missing_earns_nothing(world, make_user, make_person):
    blueprint, learner = exam_world(world, make_user, make_person)
    attempt = services.attempt_start(actor=learner, blueprint=blueprint)
    multiple = attempt.paper.select_related("question").filter(question__kind=QuestionKind.MULTIPLE)
    first, second = list(multiple)
    services.attempt_save(
        actor=learner, attempt=attempt, position=first.position, choice=right_choice(first)
    )
    services.attempt_save(
        actor=learner, attempt=attempt, position=second.position, choice=right_choice(second)[:1]
    )
    attempt = services.attempt_submit(actor=learner, attempt=attempt)
    assert attempt.score == 20 and attempt.passed is False


def test_choices_are_checked(world, make_user, make_person):
    blueprint, learner = exam_world(world, make_user, make_person)
    attempt = services.attempt_start(actor=learner, blueprint=blueprint)
    single = attempt.paper.filter(question__kind=QuestionKind.SINGLE).first()
    with pytest.raises(ValidationError, match="Choose one option"):
        services.attempt_save(
            actor=learner, attempt=attempt, position=single.position, choice=[0, 1]
        )
    with pytest.raises(ValidationError, match="among the options"):
        services.attempt_save(actor=learner, attempt=attempt, position=single.position, choice=[9])
    with pytest.raises(ValidationError, match="no question"):
        services.attempt_save(actor=learner, attempt=attempt, position=99, choice=[0])


def test_a_reload_resumes_the_open_attempt(world, make_user, make_person):
    blueprint, learner = exam_world(world, make_user, make_person)
    attempt = services.attempt_start(actor=learner, blueprint=blueprint)
    services.attempt_save(actor=learner, attempt=attempt, position=1, choice=[2])
    again = services.attempt_start(actor=learner, blueprint=blueprint)
    assert again.pk == attempt.pk
    assert selectors.paper_of(again)[0].choice == [2]


def test_the_deadline_ends_the_attempt_with_what_was_saved_before_it(world, make_user, make_person):
    blueprint, learner = exam_world(world, make_user, make_person, minutes=10)
    attempt = services.attempt_start(actor=learner, blueprint=blueprint)
    answer_all(learner, attempt, right=2)  # 20 points saved in time
    clock.advance(timedelta(minutes=10, seconds=1))
    pq = attempt.paper.select_related("question").order_by("position")[2]
    with pytest.raises(ValidationError, match="time is up"):
        services.attempt_save(
            actor=learner, attempt=attempt, position=pq.position, choice=right_choice(pq)
        )
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED and attempt.closed_at == attempt.deadline
    # a submit after the deadline changes nothing, whatever it carries
    late = services.attempt_submit(
        actor=learner, attempt=attempt, choices={pq.position: right_choice(pq)}
    )
    assert late.score == 20 and late.passed is False


def test_a_submit_after_the_deadline_counts_only_what_was_saved(world, make_user, make_person):
    blueprint, learner = exam_world(world, make_user, make_person, minutes=10)
    attempt = services.attempt_start(actor=learner, blueprint=blueprint)
    answer_all(learner, attempt, right=1)
    clock.advance(timedelta(minutes=11))
    paper = attempt.paper.select_related("question")
    late = services.attempt_submit(
        actor=learner, attempt=attempt, choices={pq.position: right_choice(pq) for pq in paper}
    )
    assert (late.status, late.score) == (AttemptStatus.EXPIRED, 10)


def test_the_periodic_task_closes_expired_attempts(world, make_user, make_person):
    blueprint, learner = exam_world(world, make_user, make_person, minutes=5)
    attempt = services.attempt_start(actor=learner, blueprint=blueprint)
    assert services.attempts_close_expired() == 0
    clock.advance(timedelta(minutes=6))
    assert services.attempts_close_expired() == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED and attempt.score == 0


def test_retakes_wait_for_the_waiting_time(world, make_user, make_person):
    blueprint, learner = exam_world(world, make_user, make_person, wait_minutes=120)
    attempt = services.attempt_start(actor=learner, blueprint=blueprint)
    attempt = services.attempt_submit(actor=learner, attempt=attempt)
    with pytest.raises(ValidationError, match="WH20-EXM-1: the next attempt may start at"):
        services.attempt_start(actor=learner, blueprint=blueprint)
    (exam,) = selectors.learner_exams(actor=learner)
    assert exam.next_start == attempt.closed_at + timedelta(minutes=120)
    clock.advance(timedelta(minutes=121))
    assert services.attempt_start(actor=learner, blueprint=blueprint).number == 2


@override_settings(UPSKILL_EXAM_RETAKE_WAIT_MINUTES=30)
def test_the_default_waiting_time_is_a_setting(world, make_user, make_person):
    blueprint, _learner = exam_world(world, make_user, make_person, wait_minutes=None)
    assert blueprint.wait == timedelta(minutes=30)


@pytest.fixture
def make_learner(make_person):
    """A learner enrolled nowhere."""
    from upskill.core.scoping import SYSTEM
    from upskill.registry.services import person_account_create

    def make():
        person = make_person()
        return person_account_create(
            actor=SYSTEM,
            person=person,
            username=f"stranger_{person.pk}",
            password="Test#Pass2023",
            check_password=False,
        )

    return make


def test_no_attempt_after_passing_and_none_without_an_enrolment(
    world, make_user, make_person, make_learner
):
    blueprint, learner = exam_world(world, make_user, make_person)
    attempt = services.attempt_start(actor=learner, blueprint=blueprint)
    answer_all(learner, attempt, right=8)
    assert services.attempt_submit(actor=learner, attempt=attempt).score == 100
    with pytest.raises(ValidationError, match="passed"):
        services.attempt_start(actor=learner, blueprint=blueprint)
    from django.http import Http404

    with pytest.raises(Http404):  # the exam of no class of theirs does not exist for them
        services.attempt_start(actor=make_learner(), blueprint=blueprint)


def test_only_the_learner_writes_their_attempt(world, make_user, make_person, make_learner):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    blueprint, learner = exam_world(world, make_user, make_person)
    attempt = services.attempt_start(actor=learner, blueprint=blueprint)
    with pytest.raises(PermissionDenied):
        services.attempt_save(
            actor=make_user("platform", "operator"), attempt=attempt, position=1, choice=[0]
        )
    with pytest.raises(Http404):
        services.attempt_submit(actor=make_learner(), attempt=attempt)


def _running_online_class_session(learner):
    """The learner's online class running and its first exam session scheduled by the
    enterprise (the class's lifecycle is training's: set directly here)."""
    from upskill.assessment import services as assessment
    from upskill.core.scoping import SYSTEM
    from upskill.training.models import TrainingClass

    enrolment = learner.person.enrolments.get()
    TrainingClass.objects.filter(pk=enrolment.training_class_id).update(status="running")
    return assessment.session_create(
        actor=SYSTEM,
        training_class=enrolment.training_class,
        date=date(2020, 8, 14),
        place="武汉市东西湖区实操考场",
        examiners="李考评",
    )


def test_a_pass_becomes_the_theory_part_of_the_open_assessment(world, make_user, make_person):
    """HB61-ONL-1: no clerk types the score; the attempt is named in the reference."""
    blueprint, learner = exam_world(world, make_user, make_person)
    session = _running_online_class_session(learner)
    failed = services.attempt_start(actor=learner, blueprint=blueprint)
    answer_all(learner, failed, right=3)
    services.attempt_submit(actor=learner, attempt=failed)
    theory = session.attempts.get()
    assert theory.theory_exempt is False  # a fail records nothing
    passed = services.attempt_start(actor=learner, blueprint=blueprint)
    answer_all(learner, passed, right=6)  # 4×10 + 2×20 = 80
    services.attempt_submit(actor=learner, attempt=passed)
    theory.refresh_from_db()
    assert theory.theory_exempt and theory.online_theory_score == Decimal("80.0")
    assert theory.online_theory_reference.endswith(f"EXAM-{passed.pk}")
    assert theory.result == "pending"  # the practical exam is still to come, offline


def test_a_session_scheduled_after_the_pass_takes_the_result(world, make_user, make_person):
    blueprint, learner = exam_world(world, make_user, make_person)
    attempt = services.attempt_start(actor=learner, blueprint=blueprint)
    answer_all(learner, attempt, right=8)
    services.attempt_submit(actor=learner, attempt=attempt)
    session = _running_online_class_session(learner)
    theory = session.attempts.get()
    assert theory.theory_exempt and theory.online_theory_score == 100


def test_the_learners_exam_states(world, make_user, make_person):
    blueprint, learner = exam_world(world, make_user, make_person, wait_minutes=60)
    (section,) = selectors.portal_sections(person=learner.person, user=learner)
    assert section.cards[0].state == "Exam available"
    attempt = services.attempt_start(actor=learner, blueprint=blueprint)
    (section,) = selectors.portal_sections(person=learner.person, user=learner)
    assert section.cards[0].state == "In progress"
    services.attempt_submit(actor=learner, attempt=attempt)
    (section,) = selectors.portal_sections(person=learner.person, user=learner)
    assert section.cards[0].state == "Not passed"
    assert section.cards[0].lines[0].startswith("Retake available at")
    assert ExamAttempt.objects.count() == 1
