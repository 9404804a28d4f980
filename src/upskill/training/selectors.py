"""Reads of the training app, already scoped. Class pages fetch a fixed number of queries
whatever the class size (prefetches, one aggregate per matrix)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from upskill import policy
from upskill.core.hooks import PortalCard, PortalSection
from upskill.core.scoping import Actor, visible
from upskill.organisations.models import OrganisationKind
from upskill.policy_admin.services import parameters_in_effect
from upskill.registry.models import Category

from .models import (
    ENROLLING_STATES,
    SURVEY_QUESTIONS,
    Attendance,
    AttendanceStatus,
    ClassAction,
    ClassStatus,
    Enrolment,
    EnrolmentStatus,
    LeaveRequest,
    Lesson,
    LessonKind,
    SurveyResponse,
    Teacher,
    TrainingClass,
    Transition,
)
from .permissions import (
    ADD_ENROLMENT,
    ADD_LEAVE,
    CHANGE_ATTENDANCE,
    CHANGE_CLASS,
    DECIDE_LEAVE,
    RECORD_FIRST_LESSON,
)
from .transitions import TRANSITIONS, Move


def class_list(
    *, actor, status: str = "", query: str = "", township_id: int | None = None
) -> QuerySet[TrainingClass]:
    qs = (
        visible(TrainingClass, actor)
        .select_related("organisation", "township", "catalog_entry__occupation")
        .annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED))
        )
        .order_by("-start_date", "name", "pk")
    )
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(catalog_entry__occupation__name__contains=query))
    if township_id:
        qs = qs.filter(township_id=township_id)
    return qs


def class_detail_queryset(*, actor) -> QuerySet[TrainingClass]:
    return (
        visible(TrainingClass, actor)
        .select_related(
            "organisation",
            "township__parent",
            "catalog_entry__occupation",
            "catalog_entry__catalog",
            "first_lesson_recorded_by",
        )
        .prefetch_related(
            "teachers",
            Prefetch("lessons", queryset=Lesson.objects.select_related("teacher")),
            Prefetch(
                "transitions", queryset=Transition.objects.select_related("user", "organisation")
            ),
        )
    )


def teacher_list(*, actor) -> QuerySet[Teacher]:
    return visible(Teacher, actor).select_related("organisation", "occupation")


def hours_per_day(training_class: TrainingClass, params=None):
    """The class hours that count as one day for the class's county on its end date
    (GA23-DAY-1), or None when no version is in force."""
    params = params or parameters_in_effect()
    return params.lookup(
        "attendance.hours_per_day", training_class.county_code, training_class.end_date
    )


@dataclass
class RosterLine:
    enrolment: Enrolment
    attended_hours: Decimal
    attended_days: int | None
    cells: list  # one Attendance or None per lesson, in lesson order
    category_names: list[str]


def category_names() -> dict[str, str]:
    """Display names of the policy category codes kept on enrolments (one query)."""
    names = {"rural": gettext("Rural household registration")}
    for category in Category.objects.all():
        names[category.policy_code or category.code] = category.name
    return names


@dataclass
class Matrix:
    lessons: list[Lesson]
    lines: list[RosterLine]
    per_day: object  # the Version of attendance.hours_per_day, or None
    total_hours: Decimal


def attendance_days(hours: Decimal, per_day) -> int | None:
    """Whole days of attended hours (GA23-DAY-1: e.g. 6 class hours count as 1 day)."""
    if per_day is None or not per_day.value:
        return None
    return int(hours // Decimal(str(per_day.value)))


def attendance_matrix(training_class: TrainingClass, *, include_withdrawn: bool = False) -> Matrix:
    """Every trainee against every lesson, with attended hours and days per trainee: three
    queries whatever the size of the class (lessons are taken from the class's prefetch when
    present)."""
    lessons = list(training_class.lessons.all())
    enrolments = (
        Enrolment.objects.filter(training_class=training_class)
        .select_related("person", "person__township")
        .order_by("person__name", "pk")
    )
    if not include_withdrawn:
        enrolments = enrolments.filter(status=EnrolmentStatus.ENROLLED)
    enrolments = list(enrolments)
    attendances = {
        (a.enrolment_id, a.lesson_id): a
        for a in Attendance.objects.filter(lesson__training_class=training_class)
    }
    per_day = hours_per_day(training_class)
    names = category_names()
    lines = []
    for enrolment in enrolments:
        cells = [attendances.get((enrolment.pk, lesson.pk)) for lesson in lessons]
        hours = sum(
            (
                lesson.hours
                for lesson, cell in zip(lessons, cells, strict=True)
                if cell is not None and cell.status == AttendanceStatus.PRESENT
            ),
            Decimal(0),
        )
        lines.append(
            RosterLine(
                enrolment,
                hours,
                attendance_days(hours, per_day),
                cells,
                [names.get(code, code) for code in enrolment.categories],
            )
        )
    total = sum((lesson.hours for lesson in lessons), Decimal(0))
    return Matrix(lessons=lessons, lines=lines, per_day=per_day, total_hours=total)


def attended_hours(enrolment: Enrolment) -> Decimal:
    """Hours of the lessons the trainee was present at (GA23-SYS-1)."""
    return sum(
        Attendance.objects.filter(enrolment=enrolment, status=AttendanceStatus.PRESENT).values_list(
            "lesson__hours", flat=True
        ),
        Decimal(0),
    )


def attended_hours_by_enrolment(training_class: TrainingClass) -> dict[int, Decimal]:
    """:func:`attended_hours` for every enrolment of a class, in one query."""
    return attended_hours_by_enrolment_many([training_class])


def attended_hours_by_enrolment_many(classes, *, kind: str | None = None) -> dict[int, Decimal]:
    """:func:`attended_hours` for every enrolment of many classes, in one query; with ``kind``
    (``practice``) only the lessons of that kind."""
    lessons = {"lesson__kind": kind} if kind else {}
    return dict(
        Attendance.objects.filter(
            enrolment__training_class__in=classes, status=AttendanceStatus.PRESENT, **lessons
        )
        .values("enrolment_id")
        .annotate(hours=Sum("lesson__hours"))
        .values_list("enrolment_id", "hours")
    )


def class_hours_many(classes) -> dict[int, tuple[Decimal, Decimal]]:
    """Each class's curriculum hours (total, practical), in one query: class pk → hours."""
    hours = {training_class.pk: [Decimal(0), Decimal(0)] for training_class in classes}
    for class_pk, kind, lesson_hours in Lesson.objects.filter(
        training_class__in=list(hours)
    ).values_list("training_class_id", "kind", "hours"):
        hours[class_pk][0] += lesson_hours
        if kind == "practice":
            hours[class_pk][1] += lesson_hours
    return {pk: (total, practical) for pk, (total, practical) in hours.items()}


def lesson_sheet(lesson: Lesson) -> list[tuple[Enrolment, Attendance | None]]:
    """The tablet page of one lesson: every enrolled trainee and their mark (two queries)."""
    enrolments = list(
        Enrolment.objects.filter(
            training_class_id=lesson.training_class_id, status=EnrolmentStatus.ENROLLED
        )
        .select_related("person")
        .order_by("person__name", "pk")
    )
    marks = {a.enrolment_id: a for a in Attendance.objects.filter(lesson=lesson)}
    return [(enrolment, marks.get(enrolment.pk)) for enrolment in enrolments]


@dataclass
class SurveyResults:
    responses: int
    enrolled: int
    averages: list[tuple[str, Decimal | None]]
    comments: list[str]


def survey_results(training_class: TrainingClass, *, enrolled: int | None = None) -> SurveyResults:
    """Answers, averages per question and comments (GA23-SYS-1); ``enrolled`` when the caller
    has counted the trainees already."""
    responses = list(
        SurveyResponse.objects.filter(enrolment__training_class=training_class).order_by(
            "submitted_at"
        )
    )
    if enrolled is None:
        enrolled = Enrolment.objects.filter(
            training_class=training_class, status=EnrolmentStatus.ENROLLED
        ).count()
    averages = []
    for key, label in SURVEY_QUESTIONS:
        values = [r.answers.get(key) for r in responses if r.answers.get(key)]
        averages.append(
            (
                label,
                (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")) if values else None,
            )
        )
    return SurveyResults(
        responses=len(responses),
        enrolled=enrolled,
        averages=averages,
        comments=[r.comment for r in responses if r.comment],
    )


def leave_requests(training_class: TrainingClass) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(enrolment__training_class=training_class).select_related(
        "enrolment__person", "lesson"
    )


def notices(
    *, township_id: int | None = None, occupation: str = "", start_from: date | None = None
) -> QuerySet[TrainingClass]:
    """Public enrolment notices (GA23-PUB-1): approved classes with open places."""
    qs = (
        TrainingClass.objects.published()
        .select_related("organisation", "township", "catalog_entry__occupation")
        .annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED))
        )
        .annotate(open_places=F("planned_places") - F("enrolled"))
        .filter(open_places__gt=0)
        .order_by("start_date", "pk")
    )
    if township_id:
        qs = qs.filter(township_id=township_id)
    if occupation:
        qs = qs.filter(catalog_entry__occupation__name__contains=occupation)
    if start_from:
        qs = qs.filter(start_date__gte=start_from)
    return qs


def person_is_trainee_of(*, person, organisation) -> bool:
    """Whether ``person`` is enrolled (not withdrawn) in a class ``organisation`` organises: the
    organiser records that trainee's allowance account (hook ``person.trainee_of``)."""
    return Enrolment.objects.filter(
        person=person, training_class__organisation=organisation, status=EnrolmentStatus.ENROLLED
    ).exists()


def phone_callers(*, organisation):
    """Hook ``person.phone_callers``: an institution calls the trainees enrolled in its classes
    (not those who withdrew; an enterprise calls nobody: registry decides that first)."""
    if organisation.kind != OrganisationKind.INSTITUTION:
        return None
    return Q(
        pk__in=Enrolment.objects.filter(
            training_class__organisation=organisation, status=EnrolmentStatus.ENROLLED
        ).values("person_id")
    )


# -- who acts for a class ----------------------------------------------------------------


def is_organiser(actor: Actor, training_class: TrainingClass) -> bool:
    """Whether ``actor`` acts for the organiser of ``training_class`` (its own organisation's
    class, or the superuser / the system): the one check behind every owner-only action of
    training, assessment and supervision."""
    organisation = getattr(actor, "organisation", None)
    return actor.is_superuser or (
        organisation is not None and organisation.pk == training_class.organisation_id
    )


def curriculum_sources(*, actor: Actor, training_class: TrainingClass) -> QuerySet[TrainingClass]:
    """The organiser's other classes with a curriculum, newest first: those the class's
    curriculum may be copied from (issue 15.4)."""
    return (
        visible(TrainingClass, actor)
        .filter(organisation_id=training_class.organisation_id, lessons__isnull=False)
        .exclude(pk=training_class.pk)
        .distinct()
        .order_by("-start_date", "-pk")
    )


# -- plan checks, the actor's moves (HB61-PRJ-1) ---------------------------------------------


def _reference_text(version) -> str:
    return version.reference.text() if version is not None else ""


@dataclass(frozen=True)
class PlanCheck:
    total_hours: Decimal
    practical_hours: Decimal
    problems: list[str]
    # The rules that could not be checked because no parameter of theirs is in force for the
    # class's county on its end date (issue 15.6: said so, never "meets the rules in force").
    unchecked: list[str] = field(default_factory=list)

    @property
    def meets_rules(self) -> bool:
        """Nothing refused and every rule checked: only then "meets the rules in force"."""
        return not self.problems and not self.unchecked


def _not_in_force(rule: str, name: str, training_class: TrainingClass) -> str:
    return _(
        "%(rule)s: no %(name)s rule is in force for %(year)s in %(county)s, so this was not "
        "checked."
    ) % {
        "rule": rule,
        "name": name,
        "year": training_class.end_date.year,
        "county": training_class.township.parent.name
        if training_class.township.parent_id
        else training_class.county_code,
    }


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
    unchecked: list[str] = []
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
    if share is None:
        unchecked.append(_not_in_force("GA23-HRS-1", _("practice-share"), training_class))
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
        if version is None:
            unchecked.append(_not_in_force(minimum[1], _("minimum class hours"), training_class))
        elif total < Decimal(str(version.value)):
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
    return PlanCheck(
        total_hours=total, practical_hours=practical, problems=problems, unchecked=unchecked
    )


def makes_move(actor: Actor, training_class: TrainingClass, move: Move) -> bool:
    """Whether ``actor`` is the one who makes ``move`` on the class: a bureau for the
    reviewer's moves, else the organiser (HB61-PRJ-1); the permission and the state are
    checked apart."""
    if actor.is_superuser:
        return True
    if move.by_reviewer:
        organisation = getattr(actor, "organisation", None)
        return (
            organisation is not None
            and bool(organisation.jurisdiction_prefix)
            and reviewer_may_decide(organisation=organisation, training_class=training_class)
        )
    return is_organiser(actor, training_class)


def reviewer_may_decide(*, organisation, training_class: TrainingClass) -> bool:
    """A reviewer does not approve or return a class its own organisation organises (the
    county training centre's own classes are decided by the bureau, GA23 三(五))."""
    return organisation is None or organisation.pk != training_class.organisation_id


def class_recruiter(*, actor: Actor, training_class: TrainingClass) -> bool:
    """Whether the actor's organisation recruits for the class: its organiser, or the township
    centre of the township it is held in (组织招生, GA23 三(五)). Permissions are asked apart."""
    if getattr(actor, "is_superuser", False):
        return True
    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        return False
    if organisation.pk == training_class.organisation_id:
        return True
    return (
        organisation.kind == OrganisationKind.TOWNSHIP_CENTRE
        and organisation.region_id == training_class.township_id
    )


def _transitions_for(actor: Actor, training_class: TrainingClass) -> tuple[ClassAction, ...]:
    """The moves (``transitions.TRANSITIONS``) the actor may make on the class now."""
    return tuple(
        ClassAction(action)
        for action, move in TRANSITIONS.items()
        if training_class.status in move.sources
        and actor.has_perm(move.perm)
        and makes_move(actor, training_class, move)
    )


@dataclass(frozen=True)
class ClassPermissions:
    """What an actor may do with one class now, computed once (:func:`class_permissions`) for
    the class ledger's buttons, its template and the API."""

    is_organiser: bool
    edit: bool  # the plan and its curriculum, while editable
    enrol: bool  # trainees, one by one or by roster, once approved (HB61-PRJ-1); the organiser
    # or the township centre of the class's township (组织招生, GA23 三(五))
    withdraw: bool  # a trainee leaves by the organiser's decision (the township centre recruits)
    attend: bool  # attendance and the QR code, while running (GA23-SYS-1)
    first_lesson: bool
    leave: bool  # record a leave request, while running
    decide_leave: bool
    transitions: tuple[ClassAction, ...]  # the state moves offered as buttons


def class_permissions(*, actor: Actor, obj: TrainingClass) -> ClassPermissions:
    """The one answer to "what may ``actor`` do with this class": owner-only actions need the
    organiser (:func:`is_organiser`) and the permission; the services check the same again."""
    organiser = is_organiser(actor, obj)
    running = obj.status == ClassStatus.RUNNING
    return ClassPermissions(
        is_organiser=organiser,
        edit=organiser and obj.is_editable and actor.has_perm(CHANGE_CLASS),
        enrol=class_recruiter(actor=actor, training_class=obj)
        and obj.status in ENROLLING_STATES
        and actor.has_perm(ADD_ENROLMENT),
        withdraw=organiser and obj.status in ENROLLING_STATES and actor.has_perm(ADD_ENROLMENT),
        attend=organiser and running and actor.has_perm(CHANGE_ATTENDANCE),
        first_lesson=organiser and running and actor.has_perm(RECORD_FIRST_LESSON),
        leave=organiser and running and actor.has_perm(ADD_LEAVE),
        decide_leave=organiser and actor.has_perm(DECIDE_LEAVE),
        transitions=_transitions_for(actor, obj),
    )


# -- signed links of the public pages (GA23-SYS-1) ---------------------------------------

# The QR check-in of a lesson (GA23-SYS-1): the code shown in class is re-signed every minute
# and a scanned code is good for this long.
CHECKIN_TOKEN_MAX_AGE = timedelta(minutes=10)
# The survey link handed to trainees is good for this long (GA23-SYS-1).
SURVEY_TOKEN_MAX_AGE = timedelta(days=30)


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


def portal_sections(*, person, user) -> list[PortalSection]:
    """The learner's portal (``/me/``): their enrolments, through the learner's own scope."""
    enrolments = (
        visible(Enrolment, user)
        .filter(person=person)
        .select_related("training_class__organisation", "training_class__catalog_entry__occupation")
        .order_by("-training_class__start_date", "-pk")
    )
    cards = []
    for enrolment in enrolments:
        training_class = enrolment.training_class
        occupation = training_class.occupation
        lines = [
            training_class.organisation.name,
            f"{training_class.start_date:%Y-%m-%d} – {training_class.end_date:%Y-%m-%d}",
        ]
        if occupation is not None:
            level = (
                gettext("level %(level)s") % {"level": occupation.level} if occupation.level else ""
            )
            lines.append(" ".join(part for part in (occupation.name, level) if part))
        cards.append(
            PortalCard(
                title=training_class.name,
                state=(
                    enrolment.get_status_display()
                    if enrolment.status != EnrolmentStatus.ENROLLED
                    else training_class.get_status_display()
                ),
                lines=tuple(lines),
            )
        )
    return [
        PortalSection(
            key="enrolments",
            title=gettext("My classes"),
            order=10,
            cards=cards,
            empty=gettext("You are not enrolled in a class yet."),
        )
    ]
