"""Class plans and their states (HB61-PRJ-1): filing and changing a plan and its curriculum,
and :func:`class_transition`, the ONE place a class changes state, driven by the table
:data:`~upskill.training.transitions.TRANSITIONS`; every change is kept in the history and as
a :class:`~upskill.training.models.Transition` with who, when and why."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core import clock, hooks
from upskill.core.actor import user_of
from upskill.core.scoping import Actor, get_visible_or_404, require_perm
from upskill.organisations.models import Organisation, Region, RegionLevel

from ..models import (
    EDITABLE_STATES,
    ClassAction,
    EnrolmentStatus,
    Lesson,
    LessonKind,
    Teacher,
    TrainingClass,
    Transition,
)
from ..permissions import ADD_CLASS, CHANGE_CLASS
from ..selectors import makes_move, plan_check
from ..transitions import TRANSITIONS
from ._common import _own_class
from .organisers import online_platform_problems, organiser_problems


def _check_organiser(organisation: Organisation) -> None:
    """Later stages refuse an organiser's filing through core/hooks.py (supervision: a
    blacklisted organiser, HB45-BLK-1); asked before a plan is filed and before it is
    submitted."""
    refusals = hooks.problems(
        hooks.ORGANISER_REFUSALS, organisation=organisation, on=timezone.localdate()
    )
    if refusals:
        raise ValidationError(refusals)


def _raise(problems: list[str]) -> None:
    if problems:
        raise ValidationError(problems)


def _check_township(township: Region) -> None:
    if township.level != RegionLevel.TOWNSHIP:
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
    actor: Actor,
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
    platform: Organisation | None = None,
) -> TrainingClass:
    """File a class plan (a draft) for the actor's institution or enterprise (HB61-PRJ-1); a
    class of an online programme names its platform, checked against the platform catalogue
    (WH20-PLT-1)."""
    require_perm(actor, ADD_CLASS)
    organisation = organisation if actor.is_superuser and organisation else actor.organisation
    # the kind of organiser (GA23 三(五)) and the designated-institution catalogue (HB45-CAT-1)
    _raise(
        organiser_problems(
            organisation=organisation,
            catalog_entry=catalog_entry,
            township=township,
            start_date=start_date,
        )
    )
    # Supervision hook: a blacklisted organiser files no classes (HB45-BLK-1).
    _check_organiser(organisation)
    _check_township(township)
    if not catalog_entry.is_active:
        raise ValidationError({"catalog_entry": _("This training project is no longer offered.")})
    if end_date >= start_date:
        _platform_check(catalog_entry, platform, township, start_date, end_date)
    training_class = TrainingClass(
        organisation=organisation,
        name=" ".join(str(name).split()),
        catalog_entry=catalog_entry,
        township=township,
        venue=venue,
        platform=platform,
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


def _platform_check(catalog_entry, platform, township, start: date, end: date) -> None:
    """WH20-PLT-1: an online class's platform, refused naming the missing permit."""
    problems = online_platform_problems(
        catalog_entry=catalog_entry, platform=platform, township=township, start=start, end=end
    )
    if problems:
        raise ValidationError({"platform": problems})


PLAN_FIELDS = (
    "name",
    "catalog_entry",
    "township",
    "venue",
    "platform",
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
    *,
    actor: Actor,
    training_class: TrainingClass,
    teachers: Sequence[Teacher] | None = None,
    **changes,
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
    _platform_check(
        training_class.catalog_entry,
        training_class.platform,
        training_class.township,
        training_class.start_date,
        training_class.end_date,
    )
    training_class.full_clean()
    training_class.save()
    # its dates, township or programme may have moved its records on the dashboards
    hooks.call(hooks.CLASS_FIGURES_CHANGED, class_ids=[training_class.pk])
    if teachers is not None:
        training_class.teachers.set(_check_teachers(training_class.organisation_id, teachers))
    return training_class


def minutes_per_class_hour() -> int:
    """How many minutes make one class hour (``UPSKILL_MINUTES_PER_CLASS_HOUR``, 45)."""
    return int(getattr(settings, "UPSKILL_MINUTES_PER_CLASS_HOUR", 45))


def slot_minutes(start_time: time, end_time: time) -> int:
    return (end_time.hour * 60 + end_time.minute) - (start_time.hour * 60 + start_time.minute)


def slot_hours(start_time: time, end_time: time) -> Decimal:
    """The whole class hours a time slot holds (08:30–11:45 holds 4 of 45 minutes)."""
    return Decimal(max(slot_minutes(start_time, end_time), 0) // minutes_per_class_hour())


def lesson_problems(
    training_class: TrainingClass,
    *,
    date: date,
    start_time: time,
    end_time: time,
    hours: Decimal,
    kind: str,
    teacher: Teacher | None = None,
    others: Iterable[Lesson] = (),
) -> dict[str, list[str]]:
    """What is wrong with one lesson of the class's curriculum, by field: its date within the
    class's dates, its times, its class hours within its slot (issue 15.6, at
    ``UPSKILL_MINUTES_PER_CLASS_HOUR`` minutes each), its kind, its teacher, and no overlap
    with ``others`` (the lessons it joins)."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if not (training_class.start_date <= date <= training_class.end_date):
        add(
            "date",
            _("The lesson is outside the dates of the class (%(start)s – %(end)s).")
            % {"start": training_class.start_date, "end": training_class.end_date},
        )
    if end_time <= start_time:
        add("end_time", _("The lesson ends before it starts."))
    else:
        minutes = slot_minutes(start_time, end_time)
        per_hour = minutes_per_class_hour()
        if Decimal(hours) * per_hour > minutes:
            add(
                "hours",
                _(
                    "%(hours)s class hours need %(need)s minutes (%(per)s minutes each); "
                    "%(start)s–%(end)s is %(minutes)s minutes."
                )
                % {
                    "hours": Decimal(hours).normalize(),
                    "need": f"{(Decimal(hours) * per_hour).normalize():f}",
                    "per": per_hour,
                    "start": f"{start_time:%H:%M}",
                    "end": f"{end_time:%H:%M}",
                    "minutes": minutes,
                },
            )
        for other in others:
            if other.date == date and other.start_time < end_time and start_time < other.end_time:
                add(
                    "start_time",
                    _("It overlaps the lesson of %(day)s %(start)s–%(end)s.")
                    % {
                        "day": other.date,
                        "start": f"{other.start_time:%H:%M}",
                        "end": f"{other.end_time:%H:%M}",
                    },
                )
                break
    if Decimal(hours) <= 0:
        add("hours", _("Give the class hours."))
    if kind not in LessonKind.values:
        add("kind", _("Choose theory or practice."))
    if teacher is not None and teacher.organisation_id != training_class.organisation_id:
        add("teacher", _("%(name)s does not teach for this organisation.") % {"name": teacher.name})
    return problems


@transaction.atomic
def lesson_create(
    *,
    actor: Actor,
    training_class: TrainingClass,
    date: date,
    start_time: time,
    end_time: time,
    hours: Decimal | None,
    kind: str,
    content: str,
    teacher: Teacher | None = None,
) -> Lesson:
    """Add a lesson to the curriculum of a draft or returned plan; class hours left out are
    those the slot holds (:func:`slot_hours`)."""
    training_class = _editable(actor, training_class)
    if hours is None and end_time > start_time:
        hours = slot_hours(start_time, end_time)
    problems = lesson_problems(
        training_class,
        date=date,
        start_time=start_time,
        end_time=end_time,
        hours=Decimal(hours or 0),
        kind=kind,
        teacher=teacher,
        others=training_class.lessons.filter(date=date),
    )
    if problems:
        raise ValidationError(problems)
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
def lesson_remove(*, actor: Actor, lesson: Lesson) -> None:
    lesson = get_visible_or_404(Lesson, actor, perm=CHANGE_CLASS, pk=lesson.pk)
    _editable(actor, lesson.training_class)
    lesson.delete()


def _check_start(training_class: TrainingClass, reason: str) -> None:
    """HB61-PRJ-1, issue 15.6: a class starts on its start date, not before; started later, the
    reason of the delay is kept with the move."""
    today = clock.today()
    if today < training_class.start_date:
        raise ValidationError(
            _(
                "HB61-PRJ-1: the class starts on %(start)s; it cannot be started before "
                "(today is %(today)s)."
            )
            % {"start": training_class.start_date, "today": today}
        )
    if today > training_class.start_date and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "HB61-PRJ-1: the class was to start on %(start)s; give the reason of the "
                    "late start."
                )
                % {"start": training_class.start_date}
            }
        )


def start_is_late(training_class: TrainingClass) -> bool:
    """Whether starting the class now needs the reason of a late start."""
    return clock.today() > training_class.start_date


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


@transaction.atomic
def class_transition(
    *, actor: Actor, training_class: TrainingClass, action: str, reason: str = ""
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
    if not makes_move(actor, training_class, move):
        raise PermissionDenied(move.perm)
    if training_class.status not in move.sources:
        raise ValidationError(_refusal(action) % {"status": training_class.get_status_display()})
    reason = (reason or "").strip()
    if move.needs_reason and not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    if action == ClassAction.SUBMIT:
        # Supervision hook: a blacklisted organiser submits no plans (HB45-BLK-1).
        problems = [
            *hooks.problems(
                hooks.ORGANISER_REFUSALS,
                organisation=training_class.organisation,
                on=timezone.localdate(),
            ),
            *plan_check(training_class).problems,
            *organiser_problems(
                organisation=training_class.organisation,
                catalog_entry=training_class.catalog_entry,
                township=training_class.township,
                start_date=training_class.start_date,
            ),
            *online_platform_problems(
                catalog_entry=training_class.catalog_entry,
                platform=training_class.platform,
                township=training_class.township,
                start=training_class.start_date,
                end=training_class.end_date,
            ),
        ]
        if problems:
            raise ValidationError(problems)
    elif action == ClassAction.START:
        _check_start(training_class, reason)
    elif action == ClassAction.FINISH:
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
    # started, completed or cancelled: the progress dashboards' summary follows (reports)
    hooks.call(hooks.CLASS_FIGURES_CHANGED, class_ids=[training_class.pk])
    return training_class


def _refusal(action: str) -> str:
    """Why a move the table does not allow from the current state is refused."""
    return {
        ClassAction.SUBMIT: _("A class that is “%(status)s” cannot be submitted."),
        ClassAction.APPROVE: _("A class that is “%(status)s” cannot be approved."),
        ClassAction.RETURN: _("A class that is “%(status)s” cannot be returned."),
        ClassAction.START: _(
            "A class that is “%(status)s” cannot start: only an approved class starts (HB61-PRJ-1)."
        ),
        ClassAction.FINISH: _("A class that is “%(status)s” cannot be finished."),
        ClassAction.CANCEL: _("A class that is “%(status)s” cannot be cancelled."),
    }[action]
