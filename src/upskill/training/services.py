"""Writes of the training app. Every function takes the acting user or token first.

A class's state changes in ONE place, :func:`class_transition`, driven by the table
:data:`TRANSITIONS` (HB61-PRJ-1: nothing starts before the bureau approves it); every change is
kept in the history and as a :class:`~.models.Transition` with who, when and why.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from upskill import policy
from upskill.core import hooks
from upskill.core.actor import user_of
from upskill.core.history import bulk_create_audited
from upskill.core.imports import Column, ImportRejected, read_rows, run_import
from upskill.core.imports import RowProblem as ImportRowProblem
from upskill.core.imports import RowProblems as ImportRowProblems
from upskill.core.scoping import get_visible_or_404, require_perm
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.policy.contract import result_dict
from upskill.policy_admin.services import parameters_in_effect
from upskill.registry.identity import (
    IdentityError,
    ResidentId,
    normalise_digits,
    parse_resident_id,
)
from upskill.registry.lookup import persons_by_id_number_hash
from upskill.registry.models import AffiliationBasis, AffiliationKind, Category, Person
from upskill.registry.selectors import persons_categories_on
from upskill.registry.services import (
    NewPerson,
    affiliations_ensure_bulk,
    check_person_name,
    check_phone,
    id_number_hash,
    person_columns,
    person_name,
    persons_register_bulk,
    roster_words,
    township_index,
)
from upskill.registry.vocabulary import Vocabulary, vocabulary

from .models import (
    EDITABLE_STATES,
    ENROLLING_STATES,
    ORGANISER_KINDS,
    SURVEY_QUESTIONS,
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    LeaveRequest,
    LeaveStatus,
    Lesson,
    LessonKind,
    SurveyResponse,
    Teacher,
    TrainingClass,
    Transition,
)

VIEW_CLASS = "training.view_trainingclass"
ADD_CLASS = "training.add_trainingclass"
CHANGE_CLASS = "training.change_trainingclass"
REVIEW_CLASS = "training.review_trainingclass"
RECORD_FIRST_LESSON = "training.record_first_lesson"
ADD_TEACHER = "training.add_teacher"
CHANGE_TEACHER = "training.change_teacher"
ADD_ENROLMENT = "training.add_enrolment"
CHANGE_ATTENDANCE = "training.change_attendance"
ADD_LEAVE = "training.add_leaverequest"
DECIDE_LEAVE = "training.decide_leaverequest"

# core/hooks.py: later stages (supervision: a blacklisted organiser, HB45-BLK-1) refuse an
# organiser's filing; asked before a plan is filed and before it is submitted.
ORGANISER_REFUSALS = "organiser.refusals"


def _check_organiser(organisation: Organisation) -> None:
    refusals = hooks.problems(
        ORGANISER_REFUSALS, organisation=organisation, on=timezone.localdate()
    )
    if refusals:
        raise ValidationError(refusals)


# Categories that come only from the rural revitalisation bureau's roster (GA23-OBJ-2): a roster
# row may name them only for a person the registry already records in them.
ROSTER_ONLY_CATEGORIES = frozenset(
    {"poverty_alleviated", "monitored_household", "two_after_graduate"}
)
# Programs whose eligibility depends on the unemployment-insurance months (WH20-OBJ-1).
INSURANCE_PROGRAMS = frozenset({"online_skill_level"})
# Rules whose refusal keeps a person out of a class at enrolment: the caps (HB45-CAP-1) and
# who the program is for (…-OBJ-…).
ENROLMENT_RULES = re.compile(r"^HB45-CAP-1$|-OBJ-")

# The QR check-in of a lesson (GA23-SYS-1): the code shown in class is re-signed every minute
# and a scanned code is good for this long; check-in opens before the lesson starts and
# sign-out closes after it ends.
CHECKIN_TOKEN_MAX_AGE = timedelta(minutes=10)
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)
CHECKIN_CLOSES_AFTER = timedelta(minutes=30)
SIGN_OUT_FROM_BEFORE_END = timedelta(minutes=30)
# The survey link handed to trainees is good for this long (GA23-SYS-1).
SURVEY_TOKEN_MAX_AGE = timedelta(days=30)


def _lang() -> str:
    return "en" if (translation.get_language() or "zh").startswith("en") else "zh"


def _reference_text(version) -> str:
    return version.reference.text() if version is not None else ""


def _own_class(actor, training_class: TrainingClass, perm: str) -> TrainingClass:
    """The class if it is the actor's organisation's own (owner-only actions)."""
    training_class = get_visible_or_404(TrainingClass, actor, perm=perm, pk=training_class.pk)
    organisation = getattr(actor, "organisation", None)
    if not actor.is_superuser and (
        organisation is None or organisation.pk != training_class.organisation_id
    ):
        raise PermissionDenied(perm)
    return training_class


# -- teachers -------------------------------------------------------------------------------


def _teacher_phone(value: str | None) -> str:
    """Digits only, 7 to 15 of them (stored encrypted, shown masked)."""
    try:
        return check_phone(value or "")
    except ValueError as exc:
        raise ValidationError({"phone": str(exc)}) from None


@transaction.atomic
def teacher_create(
    *,
    actor,
    name: str,
    certificate_kind: str,
    certificate_number: str,
    phone: str = "",
    occupation=None,
    level: int | None = None,
    organisation: Organisation | None = None,
) -> Teacher:
    """Register a teacher of the actor's institution or enterprise."""
    require_perm(actor, ADD_TEACHER)
    organisation = organisation if actor.is_superuser and organisation else actor.organisation
    if organisation is None or organisation.kind not in ORGANISER_KINDS:
        raise ValidationError(_("Only an institution or an enterprise registers its teachers."))
    teacher = Teacher(
        organisation=organisation,
        name=" ".join(str(name).split()),
        phone=_teacher_phone(phone),
        certificate_kind=certificate_kind.strip(),
        certificate_number=normalise_digits(certificate_number),
        occupation=occupation,
        level=level,
    )
    teacher.full_clean()
    teacher.save()
    return teacher


@transaction.atomic
def teacher_update(*, actor, teacher: Teacher, **changes) -> Teacher:
    teacher = get_visible_or_404(Teacher, actor, perm=CHANGE_TEACHER, pk=teacher.pk)
    allowed = {
        "name",
        "phone",
        "certificate_kind",
        "certificate_number",
        "occupation",
        "level",
        "is_active",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    if "phone" in changes:
        changes["phone"] = _teacher_phone(changes["phone"])
    for name, value in changes.items():
        setattr(teacher, name, value)
    teacher.full_clean()
    teacher.save()
    return teacher


# -- class plans ----------------------------------------------------------------------------


def _check_township(township: Region) -> None:
    if township.level != "township":
        raise ValidationError({"township": _("Choose the township of the venue.")})


def _check_teachers(organisation_id: int, teachers: Iterable[Teacher]) -> list[Teacher]:
    teachers = list(teachers)
    for teacher in teachers:
        if teacher.organisation_id != organisation_id:
            raise ValidationError(
                {
                    "teachers": _("%(name)s does not teach for this organisation.")
                    % {"name": teacher.name}
                }
            )
    return teachers


@transaction.atomic
def class_create(
    *,
    actor,
    name: str,
    catalog_entry,
    township: Region,
    venue: str,
    start_date: date,
    end_date: date,
    planned_places: int,
    assessment_method: str,
    teachers: Sequence[Teacher] = (),
    organisation: Organisation | None = None,
) -> TrainingClass:
    """File a class plan (a draft) for the actor's institution or enterprise (HB61-PRJ-1)."""
    require_perm(actor, ADD_CLASS)
    organisation = organisation if actor.is_superuser and organisation else actor.organisation
    if organisation is None or organisation.kind not in ORGANISER_KINDS:
        raise ValidationError(_("Only an institution or an enterprise files class plans."))
    # Supervision hook: a blacklisted organiser files no classes (HB45-BLK-1).
    _check_organiser(organisation)
    _check_township(township)
    if not catalog_entry.is_active:
        raise ValidationError({"catalog_entry": _("This training project is no longer offered.")})
    training_class = TrainingClass(
        organisation=organisation,
        name=" ".join(str(name).split()),
        catalog_entry=catalog_entry,
        township=township,
        venue=venue,
        start_date=start_date,
        end_date=end_date,
        planned_places=planned_places,
        assessment_method=assessment_method,
        created_by=user_of(actor),
    )
    if end_date < start_date:
        raise ValidationError({"end_date": _("The class ends before it starts.")})
    training_class.full_clean()
    training_class.save()
    training_class.teachers.set(_check_teachers(organisation.pk, teachers))
    return training_class


PLAN_FIELDS = (
    "name",
    "catalog_entry",
    "township",
    "venue",
    "start_date",
    "end_date",
    "planned_places",
    "assessment_method",
)


def _editable(actor, training_class: TrainingClass) -> TrainingClass:
    training_class = _own_class(actor, training_class, CHANGE_CLASS)
    if training_class.status not in EDITABLE_STATES:
        raise ValidationError(
            _("The plan can be changed only as a draft or when it was returned (now: %(s)s).")
            % {"s": training_class.get_status_display()}
        )
    return training_class


@transaction.atomic
def class_update(
    *, actor, training_class: TrainingClass, teachers: Sequence[Teacher] | None = None, **changes
) -> TrainingClass:
    """Change a draft or returned plan; once submitted it is frozen until returned."""
    training_class = _editable(actor, training_class)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    for name, value in changes.items():
        setattr(training_class, name, value)
    _check_township(training_class.township)
    if training_class.end_date < training_class.start_date:
        raise ValidationError({"end_date": _("The class ends before it starts.")})
    training_class.full_clean()
    training_class.save()
    if teachers is not None:
        training_class.teachers.set(_check_teachers(training_class.organisation_id, teachers))
    return training_class


@transaction.atomic
def lesson_add(
    *,
    actor,
    training_class: TrainingClass,
    date: date,
    start_time: time,
    end_time: time,
    hours: Decimal,
    kind: str,
    content: str,
    teacher: Teacher | None = None,
) -> Lesson:
    """Add a lesson to the curriculum of a draft or returned plan."""
    training_class = _editable(actor, training_class)
    if not (training_class.start_date <= date <= training_class.end_date):
        raise ValidationError({"date": _("The lesson is outside the dates of the class.")})
    if end_time <= start_time:
        raise ValidationError({"end_time": _("The lesson ends before it starts.")})
    if kind not in LessonKind.values:
        raise ValidationError({"kind": _("Choose theory or practice.")})
    if teacher is not None:
        _check_teachers(training_class.organisation_id, [teacher])
    lesson = Lesson(
        training_class=training_class,
        date=date,
        start_time=start_time,
        end_time=end_time,
        hours=Decimal(hours),
        kind=kind,
        content=content,
        teacher=teacher,
    )
    lesson.full_clean()
    lesson.save()
    return lesson


@transaction.atomic
def lesson_remove(*, actor, lesson: Lesson) -> None:
    lesson = get_visible_or_404(Lesson, actor, perm=CHANGE_CLASS, pk=lesson.pk)
    _editable(actor, lesson.training_class)
    lesson.delete()


@dataclass(frozen=True)
class PlanCheck:
    total_hours: Decimal
    practical_hours: Decimal
    problems: list[str]


def plan_check(
    training_class: TrainingClass, params: policy.ParameterSet | None = None
) -> PlanCheck:
    """What keeps a plan from being submitted, from the policy parameters in force for the
    class's county on its end date: practice share (GA23-HRS-1), minimum hours of pre-job
    (HB61-PJ-1) and post-skill (HB61-PS-1) training."""
    params = params or parameters_in_effect()
    lessons = list(training_class.lessons.all())
    total = sum((lesson.hours for lesson in lessons), Decimal(0))
    practical = sum(
        (lesson.hours for lesson in lessons if lesson.kind == LessonKind.PRACTICE), Decimal(0)
    )
    problems: list[str] = []
    if not lessons:
        problems.append(_("The curriculum has no lessons."))
    if not training_class.teachers.exists():
        problems.append(_("Name at least one teacher."))
    if not training_class.assessment_method.strip():
        problems.append(_("Describe the assessment method."))
    entry = training_class.catalog_entry
    region, on = training_class.county_code, training_class.end_date
    share_version = params.lookup("practice.min_share", region, on)
    share = entry.min_practical_share
    reference = _("training project catalogue")
    if share is None and share_version is not None:
        share, reference = Decimal(str(share_version.value)), _reference_text(share_version)
    if share is not None and lessons and practical < total * share:
        problems.append(
            _(
                "GA23-HRS-1: practice is %(pct)s%% of the class hours (%(practical)s of "
                "%(total)s); at least %(min)s%% is required (%(ref)s)."
            )
            % {
                "pct": (practical * 100 / total).quantize(Decimal("0.1")),
                "practical": practical,
                "total": total,
                "min": f"{(share * 100).normalize():f}",  # 60, never 6E+1
                "ref": reference,
            }
        )
    minimum = {
        "pre_job": ("pre_job.min_hours", "HB61-PJ-1"),
        "post_skill": ("post_skill.min_hours", "HB61-PS-1"),
    }.get(entry.program)
    if minimum is not None:
        version = params.lookup(minimum[0], region, on)
        if version is not None and total < Decimal(str(version.value)):
            problems.append(
                _(
                    "%(rule)s: the curriculum has %(total)s class hours; at least %(min)s are "
                    "required (%(ref)s)."
                )
                % {
                    "rule": minimum[1],
                    "total": total,
                    "min": version.value,
                    "ref": _reference_text(version),
                }
            )
    return PlanCheck(total_hours=total, practical_hours=practical, problems=problems)


def _finish_problems(training_class: TrainingClass) -> list[str]:
    problems = []
    if training_class.first_lesson_date is None:
        problems.append(_("GA23-SYS-1: record the first lesson (policy briefing) first."))
    missing = (
        training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .filter(survey_response__isnull=True)
        .count()
    )
    if missing:
        problems.append(
            _("GA23-SYS-1: %(n)d trainees have not answered the satisfaction survey yet.")
            % {"n": missing}
        )
    return problems


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    perm: str
    by_reviewer: bool = False  # the bureau of the class's county, else the organiser
    needs_reason: bool = False


S = ClassStatus
TRANSITIONS: dict[str, Move] = {
    "submit": Move(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, CHANGE_CLASS),
    "approve": Move(frozenset({S.SUBMITTED}), S.APPROVED, REVIEW_CLASS, by_reviewer=True),
    "return": Move(
        frozenset({S.SUBMITTED}), S.RETURNED, REVIEW_CLASS, by_reviewer=True, needs_reason=True
    ),
    "start": Move(frozenset({S.APPROVED}), S.RUNNING, CHANGE_CLASS),
    "finish": Move(frozenset({S.RUNNING}), S.FINISHED, CHANGE_CLASS),
    "cancel": Move(
        frozenset({S.DRAFT, S.SUBMITTED, S.APPROVED, S.RETURNED, S.RUNNING}),
        S.CANCELLED,
        CHANGE_CLASS,
        needs_reason=True,
    ),
}


def actions_for(actor, training_class: TrainingClass) -> list[str]:
    """The transitions the actor may take on the class now (for the buttons on its page)."""
    organisation = getattr(actor, "organisation", None)
    result = []
    for action, move in TRANSITIONS.items():
        if training_class.status not in move.sources or not actor.has_perm(move.perm):
            continue
        if actor.is_superuser:
            result.append(action)
        elif move.by_reviewer:
            if organisation is not None and organisation.jurisdiction_prefix:
                result.append(action)
        elif organisation is not None and organisation.pk == training_class.organisation_id:
            result.append(action)
    return result


@transaction.atomic
def class_transition(
    *, actor, training_class: TrainingClass, action: str, reason: str = ""
) -> TrainingClass:
    """The one place a class changes state (HB61-PRJ-1). Refuses a move the table does not
    allow; submission is checked against the policy parameters (GA23-HRS-1, HB61-PJ-1,
    HB61-PS-1) and finishing against the class records (GA23-SYS-1)."""
    move = TRANSITIONS.get(action)
    if move is None:
        raise ValidationError(_("Unknown action."))
    training_class = get_visible_or_404(
        TrainingClass.objects.select_for_update(), actor, perm=move.perm, pk=training_class.pk
    )
    organisation = getattr(actor, "organisation", None)
    if not actor.is_superuser:
        if move.by_reviewer:
            if organisation is None or not organisation.jurisdiction_prefix:
                raise PermissionDenied(move.perm)
        elif organisation is None or organisation.pk != training_class.organisation_id:
            raise PermissionDenied(move.perm)
    if training_class.status not in move.sources:
        raise ValidationError(_refusal(action) % {"status": training_class.get_status_display()})
    reason = (reason or "").strip()
    if move.needs_reason and not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    if action == "submit":
        # Supervision hook: a blacklisted organiser submits no plans (HB45-BLK-1).
        problems = [
            *hooks.problems(
                ORGANISER_REFUSALS,
                organisation=training_class.organisation,
                on=timezone.localdate(),
            ),
            *plan_check(training_class).problems,
        ]
        if problems:
            raise ValidationError(problems)
    elif action == "finish":
        problems = _finish_problems(training_class)
        if problems:
            raise ValidationError(problems)
    before = training_class.status
    training_class.status = move.target
    training_class.status_reason = reason
    training_class.save(update_fields=["status", "status_reason", "updated_at"])
    Transition.objects.create(
        training_class=training_class,
        from_status=before,
        to_status=move.target,
        action=action,
        reason=reason,
        user=user_of(actor),
        organisation=organisation,
    )
    return training_class


def _refusal(action: str) -> str:
    """Why a move the table does not allow from the current state is refused."""
    return {
        "submit": _("A class that is “%(status)s” cannot be submitted."),
        "approve": _("A class that is “%(status)s” cannot be approved."),
        "return": _("A class that is “%(status)s” cannot be returned."),
        "start": _(
            "A class that is “%(status)s” cannot start: only an approved class starts (HB61-PRJ-1)."
        ),
        "finish": _("A class that is “%(status)s” cannot be finished."),
        "cancel": _("A class that is “%(status)s” cannot be cancelled."),
    }[action]


# -- enrolment ------------------------------------------------------------------------------


class RowProblem(ValidationError):
    """One enrolment row refused, naming the field (``id_number``, ``name`` …) of its first
    problem; ``problems`` holds every (field, message) of the row."""

    def __init__(
        self, field_name: str, message: str, *, more: Sequence[tuple[str, str]] = ()
    ) -> None:
        self.problems: list[tuple[str, str]] = [(field_name, str(message)), *more]
        grouped: dict[str, list[str]] = {}
        for name, text in self.problems:
            grouped.setdefault(name, []).append(text)
        super().__init__(grouped)
        self.field_name = field_name
        self.text = message


@dataclass
class RosterRow:
    id_number: str
    name: str
    person: Person | None
    resident: ResidentId | None = None
    digest: str = ""
    hukou: str = ""
    township: Region | None = None
    phone: str = ""
    categories: list[str] = field(default_factory=list)
    insured_months: int | None = None


_SPLIT = re.compile(r"[、,，;；/\s]+")
# How many roster rows are checked together: one policy-engine call per chunk (HB45-CAP-1).
ROSTER_CHUNK = 1000


def split_words(text: str) -> list[str]:
    """Category names as typed: separated by 、 , ; / or spaces."""
    return [word for word in _SPLIT.split(text or "") if word]


class RosterChecker:
    """Validates enrolment rows of one class against the registry and the policy engine.

    Everything a row needs from the database is fetched once for the whole roster (persons by
    ID-number hash, their categories, their other enrolments), so a large roster costs a few
    queries, not a few per row."""

    def __init__(self, training_class: TrainingClass, id_numbers: Iterable[str]) -> None:
        self.training_class = training_class
        entry = training_class.catalog_entry
        self.program = entry.program
        self.occupation = entry.occupation.name
        self.level = entry.occupation.level
        self.region = training_class.county_code
        self.on = training_class.end_date
        self.params = parameters_in_effect()
        lessons = list(training_class.lessons.all())
        self.total = sum((lesson.hours for lesson in lessons), Decimal(0))
        self.practical = sum(
            (lesson.hours for lesson in lessons if lesson.kind == LessonKind.PRACTICE), Decimal(0)
        )
        # Every ID number parsed and hashed once; the registered persons fetched by hash.
        self.parsed: dict[str, tuple[ResidentId, str] | IdentityError] = {}
        for raw in id_numbers:
            if raw in self.parsed:
                continue
            try:
                resident = parse_resident_id(raw)
            except IdentityError as exc:
                self.parsed[raw] = exc
                continue
            self.parsed[raw] = (resident, id_number_hash(resident.number))
        # The roster has the numbers: nothing is decrypted.
        self.persons: dict[str, Person] = persons_by_id_number_hash(
            item[1] for item in self.parsed.values() if isinstance(item, tuple)
        )
        self.held = persons_categories_on(self.persons.values(), self.on)
        person_ids = [person.pk for person in self.persons.values()]
        self.enrolled = set(
            Enrolment.objects.filter(training_class=training_class).values_list(
                "person_id", flat=True
            )
        )
        self.history: dict[int, list[tuple]] = defaultdict(list)
        others = (
            Enrolment.objects.filter(person_id__in=person_ids, status=EnrolmentStatus.ENROLLED)
            .exclude(training_class=training_class)
            .exclude(training_class__status=ClassStatus.CANCELLED)
            .filter(
                Q(training_class__end_date__year=self.on.year)
                | Q(
                    training_class__catalog_entry__occupation__name=self.occupation,
                    training_class__catalog_entry__occupation__level=self.level,
                )
            )
            .values_list(
                "training_class__name",
                "person_id",
                "training_class__end_date",
                "training_class__catalog_entry__occupation__name",
                "training_class__catalog_entry__occupation__level",
            )
        )
        for class_name, person_id, end, occupation, level in others:
            # the engine names the earlier training by this id in its explanation
            self.history[person_id].append((end, occupation, level, class_name))
        self.categories = {c.name: c for c in Category.objects.filter(is_active=True)}
        self.categories.update({c.code: c for c in self.categories.values()})
        # the roster vocabulary of the class's county (脱贫户, 边缘易致贫户 … and its own)
        self.vocabulary: Vocabulary = vocabulary(training_class.county_code)
        self.townships = township_index(self.region)
        self.seen: set[str] = set()

    def check(self, values: dict[str, str]) -> RosterRow:
        """One row (keys: id_number, name, and optionally hukou, township, phone, categories,
        insured_months); raises :class:`RowProblem` naming the first problem."""
        row = self._check_row(values)
        (problem,) = self._policy_problems([row])
        if problem:
            raise RowProblem("id_number", problem)
        return row

    def check_many(
        self, rows: Sequence[tuple[int, dict[str, str]]]
    ) -> dict[int, RosterRow | RowProblem]:
        """:meth:`check` for many rows, in order, with ONE policy-engine call for them all
        (one record a row, each with the person's history): each row's number to its checked
        row or its problem."""
        outcome: dict[int, RosterRow | RowProblem] = {}
        good: list[tuple[int, RosterRow]] = []
        for number, values in rows:
            try:
                good.append((number, self._check_row(values)))
            except RowProblem as problem:
                outcome[number] = problem
        problems = self._policy_problems([row for _number, row in good])
        for (number, row), problem in zip(good, problems, strict=True):
            outcome[number] = RowProblem("id_number", problem) if problem else row
        return outcome

    def _check_row(self, values: dict[str, str]) -> RosterRow:
        """Everything of a row but the policy engine's verdict; raises :class:`RowProblem`
        holding every problem of the row (a bad ID number does not hide the others)."""
        problems: list[tuple[str, str]] = []
        raw = values.get("id_number", "")
        parsed = self.parsed.get(raw)
        if parsed is None:
            try:
                resident = parse_resident_id(raw)
            except IdentityError as exc:
                parsed = exc
            else:
                parsed = (resident, id_number_hash(resident.number))
            self.parsed[raw] = parsed
        resident = None
        digest = number = ""
        if isinstance(parsed, IdentityError):
            problems.append(("id_number", str(parsed)))
        else:
            resident, digest = parsed
            number = resident.number
            if number in self.seen:
                problems.append(("id_number", _("This ID number appears twice in the roster.")))
            self.seen.add(number)
        name = ""
        try:
            name = check_person_name(values.get("name") or "")
        except ValueError as exc:
            problems.append(("name", str(exc)))
        person = self.persons.get(digest) if digest else None
        row = RosterRow(
            id_number=number, name=name, person=person, resident=resident, digest=digest
        )
        if person is not None:
            if name and person_name(person.name) != name:
                problems.append(
                    ("name", _("The name differs from the name registered for this ID number."))
                )
            if person.pk in self.enrolled:
                problems.append(("id_number", _("This person is already enrolled in the class.")))
        else:
            # a new person (or one whose ID number is wrong: what is written is still checked)
            hukou_text = values.get("hukou") or ""
            hukou = self.vocabulary.hukou(hukou_text)
            if hukou is None and (resident is not None or hukou_text.strip()):
                problems.append(
                    (
                        "hukou",
                        _(
                            "A new person needs the household registration (agricultural or "
                            "non-agricultural) to be registered."
                        ),
                    )
                )
            row.hukou = hukou or ""
            township_name = (values.get("township") or "").strip()
            if township_name:
                row.township = self.townships.get(roster_words(township_name))
                if row.township is None:
                    problems.append(
                        (
                            "township",
                            _("No township of the county is called “%(name)s”.")
                            % {"name": township_name},
                        )
                    )
            try:
                row.phone = check_phone(values.get("phone") or "")
            except ValueError as exc:
                problems.append(("phone", str(exc)))
        held = set(self.held[person.pk]) if person is not None else set()
        declared: list[str] = []
        for word in split_words(values.get("categories") or ""):
            category = self.categories.get(word)
            if category is None:
                code = self.vocabulary.category(word)
                category = self.categories.get(code) if code else None
            if category is None:
                problems.append(
                    ("categories", _("Unknown person category “%(name)s”.") % {"name": word})
                )
                continue
            code = category.policy_code or category.code
            if code in ROSTER_ONLY_CATEGORIES and code not in held and resident is not None:
                problems.append(
                    (
                        "categories",
                        _(
                            "GA23-OBJ-2: the registry does not record this person as "
                            "“%(name)s”; that category comes only from the rural "
                            "revitalisation bureau's roster."
                        )
                        % {"name": category.name},
                    )
                )
                continue
            declared.append(code)
        row.categories = sorted(held | set(declared))
        months_text = normalise_digits(values.get("insured_months") or "")
        if months_text:
            if not months_text.isdigit():
                problems.append(
                    ("insured_months", _("The insurance months must be a whole number."))
                )
            else:
                row.insured_months = int(months_text)
        elif person is not None and person.insured_months:
            row.insured_months = person.insured_months
        if (
            self.program in INSURANCE_PROGRAMS
            and row.insured_months is None
            and not (months_text and not months_text.isdigit())
        ):
            problems.append(
                (
                    "insured_months",
                    _("WH20-OBJ-1: this program needs the person's unemployment-insurance months."),
                )
            )
        if problems:
            (first_field, first_text), *more = problems
            raise RowProblem(first_field, first_text, more=more)
        return row

    def _policy_problems(self, rows: Sequence[RosterRow]) -> list[str]:
        """Eligibility and caps with the policy engine against each person's history
        (HB45-CAP-1), all rows in one call: for each row "" or the refusal in the engine's own
        words."""
        records = []
        history = []
        for index, row in enumerate(rows):
            record = {
                "id": str(index),
                "person_id": row.id_number,
                "region": self.region,
                "date": self.on.isoformat(),
                "program": self.program,
                "categories": [c for c in row.categories if c in policy.CATEGORIES],
                "passed": True,
                "occupation": self.occupation,
                "level": self.level,
                "total_hours": self.total,
                "practical_hours": self.practical,
                "attended_hours": self.total,
            }
            if row.insured_months is not None:
                record["insured_months"] = row.insured_months
            records.append(record)
            if row.person is not None:
                history.extend(
                    policy.PriorTraining(row.id_number, end, occupation, level, prior_id)
                    for end, occupation, level, prior_id in self.history.get(row.person.pk, [])
                )
        if not records:
            return []
        lang = _lang()
        problems = []
        for result in policy.run(records, self.params, history=history):
            reasons = (
                [
                    reason["message"]
                    for reason in result_dict(result, lang)["reasons"]
                    if ENROLMENT_RULES.search(reason["rule"])
                ]
                if result.status == "rejected"
                else []
            )
            problems.append(" ".join(reasons))
        return problems


def _enrolling_class(actor, training_class: TrainingClass) -> TrainingClass:
    training_class = _own_class(actor, training_class, ADD_ENROLMENT)
    if training_class.status not in ENROLLING_STATES:
        raise ValidationError(
            _("Trainees are enrolled once the class is approved (HB61-PRJ-1); it is “%(s)s”.")
            % {"s": training_class.get_status_display()}
        )
    return training_class


def roster_apply(
    *, actor, training_class: TrainingClass, rows: Sequence[RosterRow]
) -> list[Enrolment]:
    """Enrol checked rows: register the new persons (in bulk, as the registry registers them),
    link everyone to the organiser, and make the enrolments, each with its audit-trail row
    (call inside a transaction)."""
    if (
        training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() + len(rows)
        > training_class.planned_places
    ):
        raise ValidationError(
            _("The class has %(n)d planned places; this would enrol more.")
            % {"n": training_class.planned_places}
        )
    organisation = training_class.organisation
    kind = (
        AffiliationKind.EMPLOYEE
        if organisation.kind == OrganisationKind.ENTERPRISE
        else AffiliationKind.TRAINEE
    )
    new_rows = [row for row in rows if row.person is None]
    county = (
        Region.objects.get(code=training_class.county_code)
        if any(row.township is None for row in new_rows)
        else None
    )
    created = persons_register_bulk(
        actor=actor,
        basis=AffiliationBasis.ENROLMENT,
        persons=[
            NewPerson(
                resident=row.resident or parse_resident_id(row.id_number),
                digest=row.digest or id_number_hash(row.id_number),
                name=row.name,
                hukou=row.hukou,
                county=row.township.parent if row.township is not None else county,
                township=row.township,
                phone=row.phone,
                insured_months=row.insured_months or 0,
            )
            for row in new_rows
        ],
    )
    registered = {person.id_number_hash: person for person in created}
    persons = [
        row.person
        if row.person is not None
        else registered[row.digest or id_number_hash(row.id_number)]
        for row in rows
    ]
    affiliations_ensure_bulk(
        actor=actor,
        person_ids=[person.pk for person in persons],
        organisation=organisation,
        kind=kind,
        basis=AffiliationBasis.ENROLMENT,
    )
    enrolled_by = user_of(actor)
    enrolments = [
        Enrolment(
            training_class_id=training_class.pk,
            person_id=person.pk,
            categories=row.categories,
            insured_months=row.insured_months,
            enrolled_by_id=enrolled_by.pk if enrolled_by is not None else None,
        )
        for row, person in zip(rows, persons, strict=True)
    ]
    # bulk, with one history row per enrolment (the audit trail, as a save would write it)
    return bulk_create_audited(enrolments, Enrolment, actor=actor, batch_size=1000)


@transaction.atomic
def enrolment_add(
    *,
    actor,
    training_class: TrainingClass,
    id_number: str,
    name: str,
    hukou: str = "",
    township: Region | None = None,
    phone: str = "",
    categories: Sequence[str] = (),
    insured_months: int | None = None,
) -> Enrolment:
    """Enrol one trainee by ID number: a registered person (whose name must match) or a new one
    registered now; checked like a roster row (HB45-CAP-1)."""
    training_class = _enrolling_class(actor, training_class)
    require_perm(actor, "registry.view_person")
    checker = RosterChecker(training_class, [id_number])
    row = checker.check(
        {
            "id_number": id_number,
            "name": name,
            "hukou": hukou,
            "township": township.name if township else "",
            "phone": phone,
            "categories": "、".join(categories),
            "insured_months": "" if insured_months is None else str(insured_months),
        }
    )
    try:
        with transaction.atomic():
            (enrolment,) = roster_apply(actor=actor, training_class=training_class, rows=[row])
    except IntegrityError:  # registered or enrolled by someone else meanwhile
        raise ValidationError(
            {"id_number": _("This person was registered or enrolled meanwhile: try again.")}
        ) from None
    return enrolment


def roster_columns(words: Vocabulary | None = None) -> list[Column]:
    """The columns of a class roster (花名册) and the header wordings offices use for them: a
    person's columns as every roster names them (the registry's roster vocabulary ``words``,
    the general one if None), the categories declared and the unemployment-insurance months
    (WH20-OBJ-1)."""
    words = words or vocabulary()
    return [
        *person_columns(township_required=False, words=words),
        Column(
            "categories",
            words.headers("category"),
            _lazy("Categories"),
            required=False,
        ),
        Column(
            "insured_months",
            ("参保月数", "失业保险参保月数", "缴费月数", "Insurance months"),
            _lazy("Insurance months"),
            required=False,
        ),
    ]


def roster_import_run(*, actor, training_class: TrainingClass, upload, progress=None) -> dict:
    """Read, check and enrol a class roster now; all or nothing (core/imports.py): every bad
    row is reported with its row number and reason, and nothing is written."""
    training_class = _enrolling_class(actor, training_class)
    require_perm(actor, "registry.view_person")
    columns = roster_columns(vocabulary(training_class.county_code))
    labels = {column.key: str(column.name) for column in columns}
    rows = read_rows(upload, columns)
    checker = RosterChecker(training_class, [values.get("id_number", "") for _n, values in rows])

    # Rows are checked a chunk ahead, so the policy engine sees a chunk in one call.
    position = {number: index for index, (number, _values) in enumerate(rows)}
    ahead: dict[int, RosterRow | RowProblem] = {}

    def validate(number: int, values: dict[str, str]) -> RosterRow:
        if number not in ahead:
            start = position[number]
            ahead.update(checker.check_many(rows[start : start + ROSTER_CHUNK]))
        outcome = ahead.pop(number)
        if isinstance(outcome, RowProblem):
            raise ImportRowProblems(
                ImportRowProblem(labels.get(name, ""), text) for name, text in outcome.problems
            )
        return outcome

    def apply(checked: list[tuple[int, RosterRow]]) -> int:
        try:
            rows_ = [row for _number, row in checked]
            return len(roster_apply(actor=actor, training_class=training_class, rows=rows_))
        except ValidationError as exc:
            raise ImportRejected.file(" ".join(exc.messages)) from None

    try:
        enrolled = run_import(rows=rows, validate=validate, apply=apply, progress=progress)
    except IntegrityError:
        raise ImportRejected.file(
            _(
                "Someone enrolled or registered one of these persons while the file was being "
                "checked; nothing was imported. Upload the file again."
            )
        ) from None
    return {"rows": len(rows), "enrolled": enrolled}


def roster_import(*, actor, training_class: TrainingClass, upload):
    """Import a class roster as a background job (core/jobs.py); returns the Job, whose page
    shows the progress and then the result or every bad row."""
    from upskill.core.jobs import import_job_start

    from .tasks import roster_import_task

    training_class = _enrolling_class(actor, training_class)
    return import_job_start(
        actor=actor,
        upload=upload,
        kind="training.roster_import",
        title=lambda filename: (
            _("Class roster: %(file)s → %(cls)s")
            % {"file": filename[:120], "cls": training_class.name}
        ),
        task=roster_import_task,
        default_name="roster",
        class_id=training_class.pk,
    )


@transaction.atomic
def enrolment_withdraw(*, actor, enrolment: Enrolment, reason: str) -> Enrolment:
    """A trainee leaves a class that is still enrolling (approved or running); the reason is
    kept in the enrolment's history. A finished class's roster is what its claim rests on, so
    it no longer changes."""
    enrolment = get_visible_or_404(
        Enrolment.objects.select_for_update(), actor, perm=ADD_ENROLMENT, pk=enrolment.pk
    )
    if enrolment.training_class.status not in ENROLLING_STATES:
        raise ValidationError(
            _("A trainee leaves a class while it is approved or running; it is “%(s)s”.")
            % {"s": enrolment.training_class.get_status_display()}
        )
    _own_class(actor, enrolment.training_class, ADD_ENROLMENT)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise ValidationError(_("This trainee has already left the class."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment._change_reason = reason.strip()
    enrolment.save()
    return enrolment


# -- attendance (GA23-SYS-1) ----------------------------------------------------------------


def _aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def lesson_window(lesson: Lesson) -> tuple[datetime, datetime]:
    return _aware(lesson.date, lesson.start_time), _aware(lesson.date, lesson.end_time)


def _running(training_class: TrainingClass) -> None:
    if training_class.status != ClassStatus.RUNNING:
        raise ValidationError(
            _("Attendance is kept while the class is running (now: %(s)s).")
            % {"s": training_class.get_status_display()}
        )


@transaction.atomic
def attendance_mark(
    *, actor, lesson: Lesson, enrolment: Enrolment, status: str, reason: str = ""
) -> Attendance:
    """The teacher marks one trainee at one lesson. Changing a trainee's own QR check-in, or any
    mark after the lesson has ended, is a correction: it needs a reason, kept in the history."""
    lesson = get_visible_or_404(
        Lesson.objects.select_related("training_class"),
        actor,
        perm=CHANGE_ATTENDANCE,
        pk=lesson.pk,
    )
    _running(lesson.training_class)
    if enrolment.training_class_id != lesson.training_class_id:
        raise ValidationError(_("The trainee is not in this class."))
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Choose present, absent or on leave.")})
    start, end = lesson_window(lesson)
    existing = Attendance.objects.filter(lesson=lesson, enrolment=enrolment).first()
    reason = (reason or "").strip()
    if existing is not None and existing.status != status:
        correction = existing.method == AttendanceMethod.QR or timezone.now() > end
        if correction and not reason:
            raise ValidationError({"reason": _("A correction needs a reason (GA23-SYS-1).")})
    attendance = existing or Attendance(lesson=lesson, enrolment=enrolment)
    attendance.status = status
    attendance.method = AttendanceMethod.TEACHER
    attendance.reason = reason
    attendance.recorded_by = user_of(actor)
    if status == AttendanceStatus.PRESENT:
        attendance.signed_in_at = attendance.signed_in_at or start
        attendance.signed_out_at = attendance.signed_out_at or end
    else:
        attendance.signed_in_at = attendance.signed_out_at = None
    if reason:
        attendance._change_reason = reason
    attendance.save()
    return attendance


@transaction.atomic
def attendance_mark_all_present(*, actor, lesson: Lesson) -> int:
    """Every enrolled trainee not yet marked at the lesson is marked present (the tablet page's
    first step; exceptions are then fixed one by one)."""
    lesson = get_visible_or_404(
        Lesson.objects.select_related("training_class"),
        actor,
        perm=CHANGE_ATTENDANCE,
        pk=lesson.pk,
    )
    _running(lesson.training_class)
    start, end = lesson_window(lesson)
    marked = set(lesson.attendances.values_list("enrolment_id", flat=True))
    new = [
        Attendance(
            lesson=lesson,
            enrolment_id=enrolment_id,
            status=AttendanceStatus.PRESENT,
            method=AttendanceMethod.TEACHER,
            signed_in_at=start,
            signed_out_at=end,
            recorded_by=user_of(actor),
        )
        for enrolment_id in lesson.training_class.enrolments.filter(
            status=EnrolmentStatus.ENROLLED
        ).values_list("pk", flat=True)
        if enrolment_id not in marked
    ]
    return len(bulk_create_audited(new, Attendance, actor=actor))  # with their history rows


def _enrolment_by_identity(training_class: TrainingClass, id_number: str, name: str) -> Enrolment:
    """The trainee's enrolment in the class, from the ID number and name they type in. The
    refusal never says which of the two was wrong."""
    refusal = ValidationError(
        _("No trainee of this class has this ID number and name. Check both and try again.")
    )
    try:
        number = parse_resident_id(id_number).number
    except IdentityError as exc:
        raise ValidationError({"id_number": str(exc)}) from None
    enrolment = (
        Enrolment.objects.filter(
            training_class=training_class,
            person__id_number_hash=id_number_hash(number),
            status=EnrolmentStatus.ENROLLED,
        )
        .select_related("person")
        .first()
    )
    if enrolment is None or enrolment.person.name != " ".join(str(name).split()):
        raise refusal
    return enrolment


def checkin_token(lesson: Lesson) -> str:
    return signing.TimestampSigner(salt="training.checkin").sign(str(lesson.pk))


def lesson_from_checkin_token(token: str) -> Lesson:
    """The lesson of a scanned QR code; an expired or forged code is refused."""
    try:
        pk = signing.TimestampSigner(salt="training.checkin").unsign(
            token, max_age=CHECKIN_TOKEN_MAX_AGE
        )
    except signing.SignatureExpired:
        raise ValidationError(
            _("This QR code has expired. Scan the code shown in class again.")
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("This QR code is not valid.")) from None
    lesson = Lesson.objects.select_related("training_class").filter(pk=pk).first()
    if lesson is None:
        raise ValidationError(_("This QR code is not valid."))
    return lesson


@dataclass(frozen=True)
class CheckIn:
    attendance: Attendance
    signed_out: bool


@transaction.atomic
def attendance_check_in(
    *, lesson: Lesson, id_number: str, name: str, device_id: str, now: datetime | None = None
) -> CheckIn:
    """A trainee checks in on their phone (no account), confirming ID number and name: once per
    lesson, only inside the lesson's window; scanning again near the end signs out."""
    now = now or timezone.now()
    lesson = Lesson.objects.select_related("training_class").get(pk=lesson.pk)
    _running(lesson.training_class)
    start, end = lesson_window(lesson)
    local = timezone.localtime
    if now < start - CHECKIN_OPENS_BEFORE or now > end + CHECKIN_CLOSES_AFTER:
        raise ValidationError(
            _(
                "Check-in for this lesson is open from %(open)s to %(close)s on %(day)s; "
                "it is %(now)s now."
            )
            % {
                "open": f"{local(start - CHECKIN_OPENS_BEFORE):%H:%M}",
                "close": f"{local(end + CHECKIN_CLOSES_AFTER):%H:%M}",
                "day": lesson.date.isoformat(),
                "now": f"{local(now):%Y-%m-%d %H:%M}",
            }
        )
    enrolment = _enrolment_by_identity(lesson.training_class, id_number, name)
    existing = (
        Attendance.objects.select_for_update().filter(lesson=lesson, enrolment=enrolment).first()
    )
    if existing is not None and existing.status == AttendanceStatus.PRESENT:
        if existing.signed_out_at is None and now >= end - SIGN_OUT_FROM_BEFORE_END:
            existing.signed_out_at = now
            existing.save()
            return CheckIn(existing, signed_out=True)
        raise ValidationError(
            _("You have already checked in for this lesson at %(at)s.")
            % {"at": f"{local(existing.signed_in_at or now):%H:%M}"}
        )
    if now > end:
        raise ValidationError(_("This lesson has ended; check-in is closed."))
    attendance = existing or Attendance(lesson=lesson, enrolment=enrolment)
    attendance.status = AttendanceStatus.PRESENT
    attendance.method = AttendanceMethod.QR
    attendance.signed_in_at = now
    attendance.signed_out_at = None
    attendance.device_id = device_id[:64]
    attendance.save()
    return CheckIn(attendance, signed_out=False)


# -- leave ----------------------------------------------------------------------------------


@transaction.atomic
def leave_request_add(
    *, actor, enrolment: Enrolment, lesson: Lesson, reason: str, by_trainee: bool = True
) -> LeaveRequest:
    """Record a trainee's leave from a lesson (asked by the trainee, or noted by the teacher)."""
    enrolment = get_visible_or_404(Enrolment, actor, perm=ADD_LEAVE, pk=enrolment.pk)
    if lesson.training_class_id != enrolment.training_class_id:
        raise ValidationError(_("The lesson is not in the trainee's class."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    leave = LeaveRequest(
        enrolment=enrolment,
        lesson=lesson,
        reason=reason.strip(),
        requested_by_trainee=by_trainee,
        recorded_by=user_of(actor),
    )
    leave.full_clean()
    leave.save()
    return leave


@transaction.atomic
def leave_request_decide(*, actor, leave: LeaveRequest, approve: bool) -> LeaveRequest:
    """The institution approves or refuses a leave; an approved one marks the lesson "on
    leave" for the trainee (not attended hours)."""
    leave = get_visible_or_404(
        LeaveRequest.objects.select_related("enrolment__training_class", "lesson"),
        actor,
        perm=DECIDE_LEAVE,
        pk=leave.pk,
    )
    _own_class(actor, leave.enrolment.training_class, DECIDE_LEAVE)
    if leave.status != LeaveStatus.PENDING:
        raise ValidationError(_("This leave request was decided already."))
    leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
    leave.decided_by = user_of(actor)
    leave.decided_at = timezone.now()
    leave.save()
    if approve:
        attendance, _created = Attendance.objects.get_or_create(
            lesson=leave.lesson,
            enrolment=leave.enrolment,
            defaults={"status": AttendanceStatus.LEAVE, "method": AttendanceMethod.TEACHER},
        )
        if attendance.status != AttendanceStatus.LEAVE:
            attendance.status = AttendanceStatus.LEAVE
            attendance.signed_in_at = attendance.signed_out_at = None
            attendance.reason = leave.reason
            attendance._change_reason = leave.reason
            attendance.save()
    return leave


# -- class records (GA23-SYS-1) -------------------------------------------------------------


@transaction.atomic
def first_lesson_record(
    *, actor, training_class: TrainingClass, date: date, content: str
) -> TrainingClass:
    """The first lesson, the policy briefing, with its date and content (GA23-SYS-1)."""
    training_class = _own_class(actor, training_class, RECORD_FIRST_LESSON)
    _running(training_class)
    if not content.strip():
        raise ValidationError({"content": _("Describe what the briefing covered.")})
    if not (training_class.start_date <= date <= training_class.end_date):
        raise ValidationError({"date": _("The first lesson is outside the dates of the class.")})
    training_class.first_lesson_date = date
    training_class.first_lesson_content = content.strip()
    training_class.first_lesson_recorded_by = user_of(actor)
    training_class.save()
    return training_class


def survey_token(training_class: TrainingClass) -> str:
    return signing.TimestampSigner(salt="training.survey").sign(str(training_class.pk))


def class_from_survey_token(token: str) -> TrainingClass:
    try:
        pk = signing.TimestampSigner(salt="training.survey").unsign(
            token, max_age=SURVEY_TOKEN_MAX_AGE
        )
    except signing.SignatureExpired:
        raise ValidationError(_("This survey link has expired.")) from None
    except signing.BadSignature:
        raise ValidationError(_("This survey link is not valid.")) from None
    training_class = TrainingClass.objects.filter(pk=pk).first()
    if training_class is None:
        raise ValidationError(_("This survey link is not valid."))
    return training_class


@transaction.atomic
def survey_answer(
    *,
    training_class: TrainingClass,
    id_number: str,
    name: str,
    answers: dict[str, int],
    comment: str = "",
    device_id: str = "",
) -> SurveyResponse:
    """A trainee answers the satisfaction survey before the class finishes (GA23-SYS-1), once."""
    training_class = TrainingClass.objects.get(pk=training_class.pk)
    if training_class.status != ClassStatus.RUNNING:
        raise ValidationError(_("The survey is open while the class is running."))
    enrolment = _enrolment_by_identity(training_class, id_number, name)
    if SurveyResponse.objects.filter(enrolment=enrolment).exists():
        raise ValidationError(_("You have answered this survey already. Thank you."))
    clean: dict[str, int] = {}
    for key, _label in SURVEY_QUESTIONS:
        try:
            value = int(answers.get(key))
        except (TypeError, ValueError, InvalidOperation):
            value = 0
        if not 1 <= value <= 5:
            raise ValidationError({key: _("Answer with a mark from 1 to 5.")})
        clean[key] = value
    return SurveyResponse.objects.create(
        enrolment=enrolment, answers=clean, comment=comment.strip()[:2000], device_id=device_id[:64]
    )
