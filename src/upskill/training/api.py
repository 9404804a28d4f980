"""Training classes over JSON: classes, lessons, enrolments and attendance, with the same scope
as the pages (outside it 404, without the permission 403)."""

from __future__ import annotations

from datetime import date, datetime, time
from datetime import timezone as dt_timezone
from decimal import Decimal
from typing import Annotated

from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import WithJsonSchema

from upskill.core.api import actor_of, permitted_actor
from upskill.core.pagination import PageNumberPagination
from upskill.core.scoping import get_visible_or_404, visible

from . import selectors, services
from .models import Attendance, Enrolment, Lesson, TrainingClass

router = Router(tags=["training"])


class ClassOut(Schema):
    id: int
    name: str
    organisation: str
    program: str
    occupation: str
    level: int
    township_code: str
    venue: str
    start_date: date
    end_date: date
    planned_places: int
    status: str
    status_reason: str
    first_lesson_date: date | None

    @staticmethod
    def resolve_organisation(obj: TrainingClass) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_program(obj: TrainingClass) -> str:
        return obj.catalog_entry.program

    @staticmethod
    def resolve_occupation(obj: TrainingClass) -> str:
        return obj.catalog_entry.occupation.name

    @staticmethod
    def resolve_level(obj: TrainingClass) -> int:
        return obj.catalog_entry.occupation.level

    @staticmethod
    def resolve_township_code(obj: TrainingClass) -> str:
        return obj.township.code


class ClassPermissionsOut(Schema):
    """What the calling token may do with the class now (``selectors.class_permissions``, the
    same answer the class page shows as buttons)."""

    is_organiser: bool
    edit: bool
    enrol: bool
    attend: bool
    first_lesson: bool
    leave: bool
    decide_leave: bool
    transitions: list[str]


class ClassDetailOut(ClassOut):
    permissions: ClassPermissionsOut

    @staticmethod
    def resolve_permissions(obj: TrainingClass, context) -> ClassPermissionsOut:
        actor = actor_of(context["request"])
        return ClassPermissionsOut.from_orm(selectors.class_permissions(actor=actor, obj=obj))


# ``format: time`` is RFC 3339 ``full-time``: the offset is part of it. A lesson's times are
# local; they are given with the offset of that day in the deployment's time zone
# (``08:00:00+08:00``): bare ``08:00:00`` is not a valid ``format: time``.
LocalTime = Annotated[str, WithJsonSchema({"type": "string", "format": "time"})]


class LessonOut(Schema):
    id: int
    class_id: int
    date: date
    start_time: LocalTime
    end_time: LocalTime
    hours: Decimal
    kind: str
    teacher: str | None
    content: str

    @staticmethod
    def resolve_class_id(obj: Lesson) -> int:
        return obj.training_class_id

    @staticmethod
    def resolve_teacher(obj: Lesson) -> str | None:
        return obj.teacher.name if obj.teacher_id else None

    @staticmethod
    def resolve_start_time(obj: Lesson) -> str:
        return _local_time(obj.date, obj.start_time)

    @staticmethod
    def resolve_end_time(obj: Lesson) -> str:
        return _local_time(obj.date, obj.end_time)


def _local_time(day: date, clock: time) -> str:
    offset = datetime.combine(day, clock, tzinfo=timezone.get_default_timezone()).utcoffset()
    return clock.replace(tzinfo=dt_timezone(offset)).isoformat()


class EnrolmentOut(Schema):
    id: int
    class_id: int
    person_id: int
    name: str
    id_number_masked: str
    categories: list[str]
    status: str

    @staticmethod
    def resolve_class_id(obj: Enrolment) -> int:
        return obj.training_class_id

    @staticmethod
    def resolve_name(obj: Enrolment) -> str:
        return obj.person.name

    @staticmethod
    def resolve_id_number_masked(obj: Enrolment) -> str:
        return obj.person.id_number_masked


class AttendanceOut(Schema):
    id: int
    lesson_id: int
    enrolment_id: int
    status: str
    method: str
    signed_in_at: datetime | None
    signed_out_at: datetime | None


class RosterLineOut(Schema):
    enrolment_id: int
    name: str
    attended_hours: Decimal
    attended_days: int | None


class EnrolIn(Schema):
    id_number: str
    name: str
    hukou: str = ""
    phone: str = ""
    categories: list[str] = []
    insured_months: int | None = None


class MarkIn(Schema):
    enrolment_id: int
    status: str
    reason: str = ""


class TransitionIn(Schema):
    action: str
    reason: str = ""


def _class(actor, class_id: int) -> TrainingClass:
    return get_visible_or_404(
        selectors.class_detail_queryset(actor=actor),
        actor,
        perm=services.VIEW_CLASS,
        pk=class_id,
    )


@router.get("/classes", response=list[ClassOut])
@paginate(PageNumberPagination)
def class_list(request, status: str = "", q: str = ""):
    actor = permitted_actor(request, services.VIEW_CLASS)
    return selectors.class_list(actor=actor, status=status, query=q)


@router.get("/classes/{class_id}", response=ClassDetailOut)
def class_detail(request, class_id: int):
    return _class(actor_of(request), class_id)


@router.post("/classes/{class_id}/transitions", response=ClassDetailOut)
def class_transition(request, class_id: int, payload: TransitionIn):
    """Submit, approve, return, start, finish or cancel (HB61-PRJ-1)."""
    actor = actor_of(request)
    training_class = get_visible_or_404(TrainingClass, actor, pk=class_id)
    services.class_transition(
        actor=actor, training_class=training_class, action=payload.action, reason=payload.reason
    )
    return _class(actor, class_id)


@router.get("/classes/{class_id}/lessons", response=list[LessonOut])
def lesson_list(request, class_id: int):
    actor = actor_of(request)
    return list(_class(actor, class_id).lessons.all())


@router.get("/lessons/{lesson_id}", response=LessonOut)
def lesson_detail(request, lesson_id: int):
    actor = actor_of(request)
    return get_visible_or_404(
        Lesson.objects.select_related("teacher"), actor, perm=services.VIEW_CLASS, pk=lesson_id
    )


@router.get("/classes/{class_id}/enrolments", response=list[EnrolmentOut])
def enrolment_list(request, class_id: int):
    actor = actor_of(request)
    training_class = _class(actor, class_id)
    return list(
        visible(Enrolment, actor).filter(training_class=training_class).select_related("person")
    )


@router.post("/classes/{class_id}/enrolments", response={201: EnrolmentOut})
def enrolment_add(request, class_id: int, payload: EnrolIn):
    """Enrol one trainee by ID number (checked with the policy engine, HB45-CAP-1)."""
    actor = actor_of(request)
    training_class = get_visible_or_404(TrainingClass, actor, pk=class_id)
    enrolment = services.enrolment_create(
        actor=actor,
        training_class=training_class,
        id_number=payload.id_number,
        name=payload.name,
        hukou=payload.hukou,
        phone=payload.phone,
        categories=payload.categories,
        insured_months=payload.insured_months,
    )
    return Status(201, enrolment)


class WithdrawIn(Schema):
    reason: str


@router.post("/enrolments/{enrolment_id}/withdraw", response=EnrolmentOut)
def enrolment_withdraw(request, enrolment_id: int, payload: WithdrawIn):
    """The trainee leaves a class still enrolling; the reason is kept in the history."""
    actor = actor_of(request)
    enrolment = get_visible_or_404(
        Enrolment.objects.select_related("person"),
        actor,
        perm=services.ADD_ENROLMENT,
        pk=enrolment_id,
    )
    return services.enrolment_withdraw(actor=actor, enrolment=enrolment, reason=payload.reason)


@router.get("/enrolments/{enrolment_id}", response=EnrolmentOut)
def enrolment_detail(request, enrolment_id: int):
    actor = actor_of(request)
    return get_visible_or_404(
        Enrolment.objects.select_related("person"),
        actor,
        perm=services.VIEW_CLASS,
        pk=enrolment_id,
    )


@router.get("/classes/{class_id}/attendance", response=list[RosterLineOut])
def attendance_summary(request, class_id: int):
    """Attended hours and days per trainee (GA23-SYS-1, GA23-DAY-1)."""
    matrix = selectors.attendance_matrix(_class(actor_of(request), class_id))
    return [
        {
            "enrolment_id": line.enrolment.pk,
            "name": line.enrolment.person.name,
            "attended_hours": line.attended_hours,
            "attended_days": line.attended_days,
        }
        for line in matrix.lines
    ]


@router.get("/lessons/{lesson_id}/attendance", response=list[AttendanceOut])
def lesson_attendance(request, lesson_id: int):
    actor = actor_of(request)
    lesson = get_visible_or_404(Lesson, actor, perm=services.VIEW_CLASS, pk=lesson_id)
    return list(visible(Attendance, actor).filter(lesson=lesson))


@router.post("/lessons/{lesson_id}/attendance", response=AttendanceOut)
def attendance_mark(request, lesson_id: int, payload: MarkIn):
    actor = actor_of(request)
    lesson = get_visible_or_404(Lesson, actor, pk=lesson_id)
    enrolment = get_visible_or_404(Enrolment, actor, pk=payload.enrolment_id)
    return services.attendance_mark(
        actor=actor,
        lesson=lesson,
        enrolment=enrolment,
        status=payload.status,
        reason=payload.reason,
    )


@router.get("/attendance/{attendance_id}", response=AttendanceOut)
def attendance_detail(request, attendance_id: int):
    actor = actor_of(request)
    return get_visible_or_404(Attendance, actor, perm=services.VIEW_CLASS, pk=attendance_id)
