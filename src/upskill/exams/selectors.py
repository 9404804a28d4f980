"""Reads of the online exam, already scoped (docs/roles.md): the platform's banks, questions and
blueprints with what a blueprint lacks; a learner's exams with when the next attempt may start;
an attempt's paper as the learner sees it (never the key); the result by knowledge area; the
learner portal's section and the passing result the assessment asks for (hooks)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from upskill.core import clock
from upskill.core.hooks import OnlineTheoryResult, PortalCard, PortalSection
from upskill.core.scoping import Actor, visible

from .models import (
    AttemptStatus,
    Blueprint,
    ExamAttempt,
    Question,
    QuestionBank,
    QuestionKind,
)


def banks_of(*, actor: Actor) -> QuerySet[QuestionBank]:
    return visible(QuestionBank, actor).annotate(question_count=Count("questions"))


def questions_of(
    *,
    actor: Actor,
    bank: QuestionBank,
    kind: str = "",
    knowledge_area: str = "",
    difficulty: str = "",
    search: str = "",
) -> QuerySet[Question]:
    """The bank's questions, filtered by type, knowledge area, difficulty and words of the stem."""
    qs = visible(Question, actor).filter(bank=bank)
    if kind:
        qs = qs.filter(kind=kind)
    if knowledge_area:
        qs = qs.filter(knowledge_area=knowledge_area)
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    if search:
        qs = qs.filter(stem__icontains=search.strip())
    return qs.order_by("pk")


def knowledge_areas(*, actor: Actor, bank: QuestionBank) -> list[str]:
    return list(
        visible(Question, actor)
        .filter(bank=bank)
        .exclude(knowledge_area="")
        .order_by("knowledge_area")
        .values_list("knowledge_area", flat=True)
        .distinct()
    )


def blueprints_of(*, actor: Actor) -> QuerySet[Blueprint]:
    return visible(Blueprint, actor).prefetch_related("parts")


@dataclass(frozen=True)
class Shortage:
    label: str
    needed: int
    available: int


def blueprint_shortages(blueprint: Blueprint) -> list[Shortage]:
    """The parts of a blueprint the bank cannot fill (each part counted with the parts of the
    same type before it, which draw from the same questions)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for kind, area, number in (
        Question.objects.filter(
            bank__platform=blueprint.platform_id,
            bank__occupation_name=blueprint.occupation_name,
            bank__level=blueprint.level,
        )
        .values_list("kind", "knowledge_area")
        .annotate(number=Count("pk"))
        .values_list("kind", "knowledge_area", "number")
    ):
        counts[(kind, area)] += number
    shortages = []
    used: dict[str, int] = defaultdict(int)
    for part in blueprint.parts.all():
        if part.knowledge_area:
            available = counts.get((part.kind, part.knowledge_area), 0)
        else:
            available = sum(n for (kind, _area), n in counts.items() if kind == part.kind)
        available = max(0, available - used[part.kind]) if not part.knowledge_area else available
        used[part.kind] += part.count
        if available < part.count:
            label = part.get_kind_display()
            if part.knowledge_area:
                label = f"{label} · {part.knowledge_area}"
            shortages.append(Shortage(label=label, needed=part.count, available=available))
    return shortages


def short_blueprints(*, actor: Actor) -> list[Blueprint]:
    """The platform's blueprints whose bank holds fewer questions than they need."""
    return [bp for bp in blueprints_of(actor=actor) if blueprint_shortages(bp)]


# --- the learner ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerExam:
    """One exam open to the learner: its attempts (newest first), the open one, whether
    passed, and when the next attempt may start (None: now)."""

    blueprint: Blueprint
    attempts: list[ExamAttempt]
    open_attempt: ExamAttempt | None
    passed: ExamAttempt | None
    next_start: datetime | None

    @property
    def available(self) -> bool:
        return self.passed is None and self.open_attempt is None and self.next_start is None


def learner_exams(*, actor: Actor) -> list[LearnerExam]:
    """The exams of the learner's online classes with their own attempts (WH20-EXM-1)."""
    from .services import next_start

    attempts = defaultdict(list)
    for attempt in visible(ExamAttempt, actor).order_by("-started_at", "-pk"):
        attempts[attempt.blueprint_id].append(attempt)
    now = clock.now()
    exams = []
    for blueprint in visible(Blueprint, actor).order_by("pk"):
        mine = attempts.get(blueprint.pk, [])
        open_attempt = next((a for a in mine if a.is_open and a.deadline > now), None)
        passed = next((a for a in mine if a.passed), None)
        exams.append(
            LearnerExam(
                blueprint=blueprint,
                attempts=mine,
                open_attempt=open_attempt,
                passed=passed,
                next_start=None if passed else next_start(blueprint, mine),
            )
        )
    return exams


@dataclass(frozen=True)
class PaperLine:
    """A question as the learner sees it: its number, type, stem, the options in the order
    shown and the positions chosen. Nothing of the key."""

    position: int
    kind: str
    kind_label: str
    stem: str
    options: list[tuple[int, str]]
    choice: list[int]
    points: Decimal

    @property
    def multiple(self) -> bool:
        return self.kind == QuestionKind.MULTIPLE


def paper_of(attempt: ExamAttempt) -> list[PaperLine]:
    """The attempt's paper in the learner's view: options in their shuffled order."""
    lines = []
    for pq in attempt.paper.select_related("question").order_by("position"):
        question = pq.question
        lines.append(
            PaperLine(
                position=pq.position,
                kind=question.kind,
                kind_label=str(question.get_kind_display()),
                stem=question.stem,
                options=[
                    (shown, question.options[original]) for shown, original in enumerate(pq.order)
                ],
                choice=list(pq.choice),
                points=pq.points,
            )
        )
    return lines


@dataclass(frozen=True)
class AreaResult:
    area: str
    right: int
    total: int
    points: Decimal


def result_by_area(attempt: ExamAttempt) -> list[AreaResult]:
    """A closed attempt's result per knowledge area (how many right), without the key."""
    areas: dict[str, list] = defaultdict(lambda: [0, 0, Decimal(0)])
    for pq in attempt.paper.select_related("question"):
        line = areas[pq.question.knowledge_area or _("Other")]
        line[1] += 1
        if pq.awarded:
            line[0] += 1
            line[2] += pq.awarded
    return [AreaResult(area, *values) for area, values in sorted(areas.items())]


def answered_count(attempt: ExamAttempt) -> int:
    return attempt.paper.exclude(choice=[]).count()


def _when(moment: datetime) -> str:
    return date_format(localtime(moment), "DATETIME_FORMAT")


def portal_sections(*, person, user) -> list[PortalSection]:
    """The learner's online exams: available, in progress, retake at …, or passed with the
    score (WH20-EXM-1, HB61-ONL-1)."""
    cards = []
    for exam in learner_exams(actor=user):
        blueprint = exam.blueprint
        url = reverse("exams_me:exam", kwargs={"pk": blueprint.pk})
        if exam.passed is not None:
            state = _("Passed")
            lines = (
                _("Score %(score)s of %(full)s (attempt %(n)d)")
                % {
                    "score": exam.passed.score,
                    "full": exam.passed.full_marks,
                    "n": exam.passed.number,
                },
                _("The result is the theory part of your assessment (HB61-ONL-1)."),
            )
            action = _("View")
        elif exam.open_attempt is not None:
            state = _("In progress")
            lines = (_("Ends at %(at)s") % {"at": _when(exam.open_attempt.deadline)},)
            action = _("Continue")
        elif exam.next_start is not None:
            state = _("Not passed")
            lines = (_("Retake available at %(at)s") % {"at": _when(exam.next_start)},)
            action = _("View")
        else:
            state = _("Retake available") if exam.attempts else _("Exam available")
            lines = (
                _("%(minutes)d minutes, pass mark %(mark)s")
                % {"minutes": blueprint.time_limit_minutes, "mark": blueprint.pass_mark},
            )
            action = _("Take the exam")
        cards.append(
            PortalCard(title=blueprint.title, state=state, lines=lines, url=url, action=action)
        )
    if not cards:
        return []
    return [
        PortalSection(
            key="exams",
            title=_("My online exams"),
            order=16,
            cards=cards,
            empty=_("No online exam yet."),
        )
    ]


def online_theory_result(*, enrolment) -> OnlineTheoryResult | None:
    """Hook ``enrolment.online_theory``: the best passing online exam of the trainee in the
    class (HB61-ONL-1), for an exam session scheduled after it."""
    attempt = (
        ExamAttempt.objects.select_related("blueprint__platform")
        .filter(enrolment=enrolment, passed=True)
        .order_by("-score", "-pk")
        .first()
    )
    if attempt is None:
        return None
    return OnlineTheoryResult(
        score=attempt.score, full_marks=attempt.full_marks, reference=attempt.reference
    )


def blueprint_attempts(*, actor: Actor, blueprint: Blueprint) -> QuerySet[ExamAttempt]:
    """The attempts on the platform's exam, newest first."""
    return (
        visible(ExamAttempt, actor)
        .filter(blueprint=blueprint)
        .select_related("person", "training_class")
        .order_by("-started_at", "-pk")
    )


def attempts_of_class(*, actor: Actor, training_class) -> QuerySet[ExamAttempt]:
    """The online exam attempts of a class (the bureau's and organiser's read-only view)."""
    return (
        visible(ExamAttempt, actor)
        .filter(training_class=training_class)
        .exclude(status=AttemptStatus.OPEN)
        .select_related("person", "blueprint")
    )
