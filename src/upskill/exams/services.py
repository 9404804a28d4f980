"""Writes of the online theory exam (WH20-EXM-1, HB61-ONL-1): the platform's question banks
(added one by one or imported from Excel, all or nothing) and blueprints; a learner's attempts:
started with a paper the server draws, choices saved as given, ended at the deadline or on
submission, graded on the server; a passing result becomes the theory part of the assessment
through ``assessment.services.attempt_online_theory_apply``."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from upskill.assessment.services import attempt_online_theory_apply
from upskill.core import clock
from upskill.core.hooks import OnlineTheoryResult
from upskill.core.imports import Column, RowProblem, RowProblems, read_rows, run_import
from upskill.core.jobs import import_job_start
from upskill.core.scoping import Actor, get_visible_or_404, person_of, require_perm
from upskill.organisations.models import OrganisationKind
from upskill.registry.models import Person
from upskill.training.models import Enrolment, EnrolmentStatus

from . import grading
from .models import (
    MANAGE_BANK,
    AttemptStatus,
    Blueprint,
    BlueprintPart,
    Difficulty,
    ExamAttempt,
    PaperQuestion,
    Question,
    QuestionBank,
    QuestionKind,
)
from .tasks import questions_import_task

TRUE_FALSE_OPTIONS = ("正确", "错误")
MAX_OPTIONS = 8
LETTERS = "ABCDEFGH"


def _platform(actor: Actor):
    require_perm(actor, MANAGE_BANK)
    organisation = getattr(actor, "organisation", None)
    if organisation is None or organisation.kind != OrganisationKind.PLATFORM:
        raise PermissionDenied(MANAGE_BANK)
    return organisation


# --- question banks --------------------------------------------------------------------------


@transaction.atomic
def bank_create(*, actor: Actor, occupation_name: str, level: int, title: str) -> QuestionBank:
    """A platform's question bank for an occupation and level (one each)."""
    platform = _platform(actor)
    occupation_name = " ".join(str(occupation_name).split())
    if QuestionBank.objects.filter(
        platform=platform, occupation_name=occupation_name, level=level
    ).exists():
        raise ValidationError(_("The platform already has a bank for this occupation and level."))
    bank = QuestionBank(
        platform=platform, occupation_name=occupation_name, level=level, title=title.strip()
    )
    bank.full_clean()
    bank.save()
    return bank


def _own_bank(actor: Actor, bank: QuestionBank) -> QuestionBank:
    bank = get_visible_or_404(QuestionBank, actor, perm=MANAGE_BANK, pk=bank.pk)
    _platform(actor)
    return bank


@dataclass(frozen=True)
class QuestionData:
    """A question checked and ready to store."""

    kind: str
    stem: str
    options: list[str]
    answer: list[int]
    explanation: str = ""
    knowledge_area: str = ""
    difficulty: int = Difficulty.MEDIUM


def question_check(
    *,
    kind: str,
    stem: str,
    options: Sequence[str],
    answer: Sequence[int],
    explanation: str = "",
    knowledge_area: str = "",
    difficulty: int = Difficulty.MEDIUM,
) -> QuestionData:
    """The rules of a question: a stem; a choice question 2 to 8 options, a true/false question
    the two options 正确 and 错误; a single-choice or true/false question exactly one key
    option, a multiple-choice question at least two."""
    problems: dict[str, str] = {}
    stem = " ".join(str(stem).split())
    options = [" ".join(str(option).split()) for option in options if str(option).strip()]
    if kind == QuestionKind.TRUE_FALSE:
        options = list(TRUE_FALSE_OPTIONS)
    if kind not in QuestionKind.values:
        problems["kind"] = _("The type is single choice, multiple choice or true/false.")
    if not stem:
        problems["stem"] = _("Write the question.")
    if not 2 <= len(options) <= MAX_OPTIONS:
        problems["options"] = _("A choice question has 2 to %(n)d options.") % {"n": MAX_OPTIONS}
    key = sorted(set(answer))
    if any(index < 0 or index >= len(options) for index in key):
        problems["answer"] = _("The key names an option the question does not have.")
    elif kind == QuestionKind.MULTIPLE and len(key) < 2:
        problems["answer"] = _("A multiple-choice question has at least two right options.")
    elif kind != QuestionKind.MULTIPLE and len(key) != 1:
        problems["answer"] = _("This type of question has exactly one right option.")
    if problems:
        raise ValidationError(problems)
    return QuestionData(
        kind=kind,
        stem=stem,
        options=options,
        answer=key,
        explanation=" ".join(str(explanation).split()),
        knowledge_area=" ".join(str(knowledge_area).split())[:64],
        difficulty=int(difficulty),
    )


def _store(bank: QuestionBank, questions: Iterable[QuestionData]) -> list[Question]:
    return Question.objects.bulk_create(
        Question(
            bank=bank,
            kind=q.kind,
            stem=q.stem,
            options=q.options,
            answer=q.answer,
            explanation=q.explanation,
            knowledge_area=q.knowledge_area,
            difficulty=q.difficulty,
        )
        for q in questions
    )


@transaction.atomic
def questions_add(
    *, actor: Actor, bank: QuestionBank, questions: Iterable[QuestionData]
) -> list[Question]:
    """Add checked questions (:func:`question_check`) to the platform's bank, in bulk."""
    bank = _own_bank(actor, bank)
    return _store(bank, questions)


# --- the Excel import (core/imports.py) ------------------------------------------------------


def question_columns() -> list[Column]:
    return [
        Column("kind", ("题型", "题目类型", "Type"), gettext_lazy("Type")),
        Column("stem", ("题干", "题目", "Question"), gettext_lazy("Question")),
        Column("options", ("选项", "Options"), gettext_lazy("Options"), required=False),
        Column("answer", ("答案", "正确答案", "Key"), gettext_lazy("Key")),
        Column(
            "explanation", ("解析", "Explanation"), pgettext_lazy("question", "Explanation"), False
        ),
        Column(
            "knowledge_area", ("知识点", "Knowledge area"), gettext_lazy("Knowledge area"), False
        ),
        Column("difficulty", ("难度", "Difficulty"), gettext_lazy("Difficulty"), required=False),
    ]


KIND_WORDS = {
    QuestionKind.SINGLE: ("单选", "单选题", "单项选择", "单项选择题", "single"),
    QuestionKind.MULTIPLE: ("多选", "多选题", "多项选择", "多项选择题", "multiple"),
    QuestionKind.TRUE_FALSE: ("判断", "判断题", "是非题", "true/false", "true_false"),
}
DIFFICULTY_WORDS = {
    Difficulty.EASY: ("易", "容易", "简单", "1", "easy"),
    Difficulty.MEDIUM: ("中", "中等", "一般", "2", "medium"),
    Difficulty.HARD: ("难", "较难", "困难", "3", "hard"),
}
TRUE_WORDS = ("正确", "对", "是", "√", "T", "TRUE", "A", "Y")
FALSE_WORDS = ("错误", "错", "否", "×", "X", "F", "FALSE", "B", "N")
_OPTION_SPLIT = re.compile(r"\s*[|;]\s*")
_OPTION_LABEL = re.compile(r"^[A-Ha-h]\s*[.、:)]\s*")


def _word(value: str, table: dict) -> object | None:
    text = value.strip().casefold()
    for result, words in table.items():
        if text in (word.casefold() for word in words):
            return result
    return None


def parse_options(text: str) -> list[str]:
    """``A. 甲|B. 乙|C. 丙`` (or separated by ``;``): the options without their letters."""
    return [_OPTION_LABEL.sub("", part).strip() for part in _OPTION_SPLIT.split(text) if part]


def parse_key(text: str, kind: str) -> list[int]:
    """``A``, ``ABD``, ``A,B,D`` as option indexes; a true/false key as 对/错, 正确/错误, √/×."""
    text = text.strip().upper()
    if kind == QuestionKind.TRUE_FALSE:
        if text in TRUE_WORDS:
            return [0]
        if text in FALSE_WORDS:
            return [1]
        raise ValueError(text)
    letters = re.sub(r"[\s,，、;]", "", text)
    if not letters or any(letter not in LETTERS for letter in letters):
        raise ValueError(text)
    return sorted({LETTERS.index(letter) for letter in letters})


def questions_import(*, actor: Actor, bank: QuestionBank, upload):
    """Import questions into the bank as a background job (core/jobs.py); returns the Job."""
    bank = _own_bank(actor, bank)
    return import_job_start(
        actor=actor,
        upload=upload,
        kind="exams.questions_import",
        title=lambda filename: _("Questions: %(file)s") % {"file": filename[:120]},
        task=questions_import_task,
        default_name="questions",
        bank_id=bank.pk,
    )


def questions_import_run(*, actor: Actor, upload, bank_id: int, progress=None) -> dict:
    """Read the sheet (题型, 题干, 选项, 答案, 解析, 知识点, 难度) and add its questions to the
    bank, all or nothing (core/imports.py): every problem is reported with its row and column;
    a question already in the bank (the same type and wording) or twice in the sheet is one."""
    bank = _own_bank(actor, QuestionBank(pk=bank_id))
    columns = question_columns()
    labels = {column.key: column.name for column in columns}
    rows = read_rows(upload, columns)
    known = set(bank.questions.values_list("kind", "stem"))
    seen: dict[tuple[str, str], int] = {}

    def validate(number: int, values: dict[str, str]) -> QuestionData:
        problems: list[RowProblem] = []
        kind = _word(values.get("kind", ""), KIND_WORDS)
        if kind is None:
            problems.append(
                RowProblem(labels["kind"], _("Write 单选, 多选 or 判断 (the question's type)."))
            )
        options = parse_options(values.get("options", ""))
        answer: list[int] = []
        if kind is not None:
            try:
                answer = parse_key(values.get("answer", ""), kind)
            except ValueError:
                problems.append(
                    RowProblem(
                        labels["answer"],
                        _("Write the key as 对 or 错.")
                        if kind == QuestionKind.TRUE_FALSE
                        else _("Write the key as the option letters, e.g. A or ACD."),
                    )
                )
        difficulty = Difficulty.MEDIUM
        if (values.get("difficulty") or "").strip():
            difficulty = _word(values["difficulty"], DIFFICULTY_WORDS)
            if difficulty is None:
                problems.append(RowProblem(labels["difficulty"], _("Write 易, 中 or 难.")))
                difficulty = Difficulty.MEDIUM
        question = None
        if kind is not None:
            try:
                question = question_check(
                    kind=kind,
                    stem=values.get("stem", ""),
                    options=options,
                    answer=answer,
                    explanation=values.get("explanation", ""),
                    knowledge_area=values.get("knowledge_area", ""),
                    difficulty=difficulty,
                )
            except ValidationError as exc:
                reported = {problem.field for problem in problems}
                problems.extend(
                    RowProblem(labels[field], " ".join(messages))
                    for field, messages in exc.message_dict.items()
                    if labels[field] not in reported
                )
        if problems or question is None:
            raise RowProblems(problems)
        identity = (question.kind, question.stem)
        if identity in known:
            raise RowProblem(labels["stem"], _("This question is already in the bank."))
        if identity in seen:
            raise RowProblem(
                labels["stem"], _("The same question is in row %(row)d.") % {"row": seen[identity]}
            )
        seen[identity] = number
        return question

    def apply(checked: list[tuple[int, QuestionData]]) -> int:
        return len(_store(bank, (question for _number, question in checked)))

    added = run_import(rows=rows, validate=validate, apply=apply, progress=progress)
    return {"rows": len(rows), "added": added}


# --- blueprints --------------------------------------------------------------------------------


@transaction.atomic
def blueprint_create(
    *,
    actor: Actor,
    occupation_name: str,
    level: int,
    title: str,
    pass_mark: Decimal,
    time_limit_minutes: int,
    wait_minutes: int | None = None,
) -> Blueprint:
    """An exam of the platform for an occupation and level (not yet open to learners)."""
    platform = _platform(actor)
    blueprint = Blueprint(
        platform=platform,
        occupation_name=" ".join(str(occupation_name).split()),
        level=level,
        title=title.strip(),
        pass_mark=Decimal(pass_mark),
        time_limit_minutes=time_limit_minutes,
        wait_minutes=wait_minutes,
    )
    blueprint.full_clean()
    blueprint.save()
    return blueprint


def _own_blueprint(actor: Actor, blueprint: Blueprint) -> Blueprint:
    blueprint = get_visible_or_404(
        Blueprint.objects.select_for_update(), actor, perm=MANAGE_BANK, pk=blueprint.pk
    )
    _platform(actor)
    return blueprint


@transaction.atomic
def blueprint_update(
    *,
    actor: Actor,
    blueprint: Blueprint,
    pass_mark: Decimal,
    time_limit_minutes: int,
    wait_minutes: int | None,
) -> Blueprint:
    """Change the pass mark, time limit or waiting time; attempts already started keep the
    pass mark and deadline they began with."""
    blueprint = _own_blueprint(actor, blueprint)
    blueprint.pass_mark = Decimal(pass_mark)
    blueprint.time_limit_minutes = time_limit_minutes
    blueprint.wait_minutes = wait_minutes
    blueprint.full_clean()
    blueprint.save()
    return blueprint


@transaction.atomic
def blueprint_part_add(
    *,
    actor: Actor,
    blueprint: Blueprint,
    kind: str,
    count: int,
    points: Decimal,
    knowledge_area: str = "",
) -> BlueprintPart:
    """``count`` questions of ``kind`` (and ``knowledge_area``, blank: any), ``points`` each."""
    blueprint = _own_blueprint(actor, blueprint)
    part = BlueprintPart(
        blueprint=blueprint,
        kind=kind,
        knowledge_area=" ".join(str(knowledge_area).split()),
        count=count,
        points=Decimal(points),
    )
    part.full_clean()
    part.save()
    return part


@transaction.atomic
def blueprint_part_remove(*, actor: Actor, part: BlueprintPart) -> None:
    part = get_visible_or_404(BlueprintPart, actor, perm=MANAGE_BANK, pk=part.pk)
    blueprint = _own_blueprint(actor, part.blueprint)
    if blueprint.active:
        raise ValidationError(_("Close the exam to learners before changing its parts."))
    part.delete()


def blueprint_problems(blueprint: Blueprint) -> list[str]:
    """Why the exam cannot be drawn: no parts, a pass mark above the full marks, or a part
    needing more questions than the bank holds."""
    from .selectors import blueprint_shortages

    parts = list(blueprint.parts.all())
    if not parts:
        return [_("Add at least one part.")]
    problems = []
    full = sum((part.count * part.points for part in parts), Decimal(0))
    if blueprint.pass_mark > full:
        problems.append(
            _("The pass mark %(p)s is above the full marks %(f)s.")
            % {"p": blueprint.pass_mark, "f": full}
        )
    for shortage in blueprint_shortages(blueprint):
        problems.append(
            _("%(part)s: the bank holds %(have)d of the %(need)d questions needed.")
            % {"part": shortage.label, "have": shortage.available, "need": shortage.needed}
        )
    return problems


@transaction.atomic
def blueprint_activate(*, actor: Actor, blueprint: Blueprint, active: bool = True) -> Blueprint:
    """Open the exam to the learners of the platform's classes (or close it); it opens only
    when a paper can be drawn (:func:`blueprint_problems`)."""
    blueprint = _own_blueprint(actor, blueprint)
    if active and (problems := blueprint_problems(blueprint)):
        raise ValidationError(problems)
    blueprint.active = active
    blueprint.save(update_fields=["active"])
    return blueprint


# --- attempts ----------------------------------------------------------------------------------


def _learner(actor: Actor) -> Person:
    person = person_of(actor)
    if person is None:
        raise PermissionDenied(_("Only the learner takes their exam."))
    return person


def enrolment_for(person: Person, blueprint: Blueprint) -> Enrolment | None:
    """The learner's enrolment in an online class of the blueprint's platform, occupation and
    level (the latest)."""
    return (
        Enrolment.objects.filter(
            person=person,
            status=EnrolmentStatus.ENROLLED,
            training_class__platform=blueprint.platform_id,
            training_class__catalog_entry__occupation__name=blueprint.occupation_name,
            training_class__catalog_entry__occupation__level=blueprint.level,
        )
        .order_by("-training_class__start_date", "-pk")
        .first()
    )


def next_start(blueprint: Blueprint, attempts: Sequence[ExamAttempt]) -> object | None:
    """When the learner may start again after ``attempts`` (newest first): None when now."""
    closed = [attempt for attempt in attempts if attempt.closed_at is not None]
    if not closed:
        return None
    moment = max(attempt.closed_at for attempt in closed) + blueprint.wait
    return moment if moment > clock.now() else None


def _draw(blueprint: Blueprint, rng: random.Random) -> list[tuple[Question, Decimal, list[int]]]:
    """The paper: per part, ``count`` questions drawn at random among those of its type (and
    knowledge area) not drawn yet, each with its options shuffled (true/false kept in order)."""
    pool = list(
        Question.objects.filter(
            bank__platform=blueprint.platform_id,
            bank__occupation_name=blueprint.occupation_name,
            bank__level=blueprint.level,
        ).only("pk", "kind", "knowledge_area", "options")
    )
    drawn: set[int] = set()
    paper = []
    for part in blueprint.parts.all():
        candidates = [
            q
            for q in pool
            if q.kind == part.kind
            and q.pk not in drawn
            and (not part.knowledge_area or q.knowledge_area == part.knowledge_area)
        ]
        if len(candidates) < part.count:
            raise ValidationError(
                _(
                    "The exam cannot be drawn now: the question bank is short of questions. "
                    "Tell the platform."
                )
            )
        for question in rng.sample(candidates, part.count):
            drawn.add(question.pk)
            order = list(range(len(question.options)))
            if question.kind != QuestionKind.TRUE_FALSE:
                rng.shuffle(order)
            paper.append((question, part.points, order))
    return paper


@transaction.atomic
def attempt_start(
    *, actor: Actor, blueprint: Blueprint, rng: random.Random | None = None
) -> ExamAttempt:
    """The learner starts an attempt (or resumes the open one). Refused once passed, during
    the waiting time after the last attempt (WH20-EXM-1), or without an enrolment in an online
    class of the exam's platform, occupation and level."""
    person = _learner(actor)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one start at a time
    blueprint = get_visible_or_404(Blueprint, actor, pk=blueprint.pk)
    attempts = list(ExamAttempt.objects.filter(person=person, blueprint=blueprint))
    for attempt in attempts:
        if attempt.is_open and not _close_if_expired(attempt):
            return attempt
    if any(attempt.passed for attempt in attempts):
        raise ValidationError(_("You have passed this exam."))
    if (moment := next_start(blueprint, attempts)) is not None:
        raise ValidationError(
            _("WH20-EXM-1: the next attempt may start at %(at)s.")
            % {"at": date_format(localtime(moment), "DATETIME_FORMAT")}
        )
    enrolment = enrolment_for(person, blueprint)
    if enrolment is None:
        raise ValidationError(_("You are not enrolled in an online class for this exam."))
    paper = _draw(blueprint, rng or random.SystemRandom())
    now = clock.now()
    attempt = ExamAttempt.objects.create(
        person=person,
        blueprint=blueprint,
        training_class_id=enrolment.training_class_id,
        enrolment=enrolment,
        number=len(attempts) + 1,
        started_at=now,
        deadline=now + timedelta(minutes=blueprint.time_limit_minutes),
        full_marks=sum((points for _q, points, _o in paper), Decimal(0)),
        pass_mark=blueprint.pass_mark,
    )
    PaperQuestion.objects.bulk_create(
        PaperQuestion(
            attempt=attempt, position=number, question=question, points=points, order=order
        )
        for number, (question, points, order) in enumerate(paper, start=1)
    )
    return attempt


def _own_attempt(actor: Actor, attempt: ExamAttempt) -> ExamAttempt:
    person = _learner(actor)
    attempt = get_visible_or_404(
        ExamAttempt.objects.select_for_update().select_related("blueprint__platform"),
        actor,
        pk=attempt.pk,
    )
    if attempt.person_id != person.pk:  # the scope says so; the write says it again
        raise PermissionDenied
    return attempt


def _choice(paper_question: PaperQuestion, kind: str, choice: Iterable) -> list[int]:
    try:
        positions = sorted({int(position) for position in choice})
    except (TypeError, ValueError):
        raise ValidationError(_("Choose among the options shown.")) from None
    if any(position < 0 or position >= len(paper_question.order) for position in positions):
        raise ValidationError(_("Choose among the options shown."))
    if kind != QuestionKind.MULTIPLE and len(positions) > 1:
        raise ValidationError(_("Choose one option."))
    return positions


def _time_up() -> ValidationError:
    return ValidationError(
        _("The time is up: the attempt ended at its deadline with the choices saved before it.")
    )


def attempt_save(
    *, actor: Actor, attempt: ExamAttempt, position: int, choice: Iterable
) -> PaperQuestion:
    """Save the learner's choice on one question of the paper (displayed positions), as
    given; refused once the attempt has ended (the deadline closes it, and stays closed)."""
    with transaction.atomic():
        attempt = _own_attempt(actor, attempt)
        ended = not attempt.is_open or _close_if_expired(attempt)
        if not ended:
            paper_question = (
                attempt.paper.select_related("question").filter(position=position).first()
            )
            if paper_question is None:
                raise ValidationError(_("The paper has no question %(n)s.") % {"n": position})
            paper_question.choice = _choice(paper_question, paper_question.question.kind, choice)
            paper_question.saved_at = clock.now()
            paper_question.save(update_fields=["choice", "saved_at"])
            return paper_question
    raise _time_up()


@transaction.atomic
def attempt_submit(
    *, actor: Actor, attempt: ExamAttempt, choices: dict[int, Iterable] | None = None
) -> ExamAttempt:
    """The learner hands the paper in, with any choices not saved yet (``choices``: position →
    displayed positions); after the deadline only what was saved before it counts."""
    attempt = _own_attempt(actor, attempt)
    if not attempt.is_open:
        return attempt
    if _close_if_expired(attempt):
        return attempt
    now = clock.now()
    if choices:
        by_position = {pq.position: pq for pq in attempt.paper.select_related("question")}
        changed = []
        for position, choice in choices.items():
            paper_question = by_position.get(int(position))
            if paper_question is None:
                continue
            paper_question.choice = _choice(paper_question, paper_question.question.kind, choice)
            paper_question.saved_at = now
            changed.append(paper_question)
        PaperQuestion.objects.bulk_update(changed, ["choice", "saved_at"])
    _close(attempt, AttemptStatus.SUBMITTED, now)
    return attempt


@transaction.atomic
def attempt_touch(*, actor: Actor, attempt: ExamAttempt) -> ExamAttempt:
    """The learner opens the attempt: past its deadline it is closed now (graded with what was
    saved before the deadline)."""
    attempt = _own_attempt(actor, attempt)
    _close_if_expired(attempt)
    return attempt


def _close_if_expired(attempt: ExamAttempt) -> bool:
    """Close an open attempt whose deadline has passed (when next touched, or by the periodic
    task); True if it is (now) closed that way."""
    if attempt.is_open and clock.now() >= attempt.deadline:
        _close(attempt, AttemptStatus.EXPIRED, attempt.deadline)
        return True
    return False


def _close(attempt: ExamAttempt, status: str, at) -> None:
    """Grade the paper on the server (a multiple-choice question all or nothing) and close the
    attempt; a pass becomes the theory part of the assessment (HB61-ONL-1)."""
    paper = list(attempt.paper.select_related("question"))
    for paper_question in paper:
        paper_question.awarded = grading.awarded(
            paper_question.question.answer,
            paper_question.order,
            paper_question.choice,
            paper_question.points,
        )
    PaperQuestion.objects.bulk_update(paper, ["awarded"])
    attempt.score = sum((pq.awarded for pq in paper), Decimal(0))
    attempt.passed = grading.passed(attempt.score, attempt.pass_mark)
    attempt.status = status
    attempt.closed_at = at
    attempt._change_reason = "WH20-EXM-1"
    attempt.save()
    if attempt.passed:
        attempt_online_theory_apply(enrolment=attempt.enrolment, result=online_result(attempt))


def online_result(attempt: ExamAttempt) -> OnlineTheoryResult:
    return OnlineTheoryResult(
        score=attempt.score, full_marks=attempt.full_marks, reference=attempt.reference
    )


def attempts_close_expired() -> int:
    """Close every open attempt past its deadline (the periodic task); how many."""
    closed = 0
    for pk in ExamAttempt.objects.filter(
        status=AttemptStatus.OPEN, deadline__lte=clock.now()
    ).values_list("pk", flat=True):
        with transaction.atomic():
            attempt = (
                ExamAttempt.objects.select_for_update()
                .select_related("blueprint__platform")
                .get(pk=pk)
            )
            closed += _close_if_expired(attempt)
    return closed


def parse_decimal(value) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(_("Give a number.")) from None
