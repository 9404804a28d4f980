"""Attendance (GA23-SYS-1): the teacher's tablet page, the trainee's QR check-in, and leave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core import clock
from upskill.core.actor import user_of
from upskill.core.history import bulk_create_audited
from upskill.core.scoping import Actor, get_visible_or_404

from ..models import (
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    LeaveRequest,
    LeaveStatus,
    Lesson,
)
from ..permissions import ADD_LEAVE, CHANGE_ATTENDANCE, DECIDE_LEAVE
from ._common import _enrolment_by_identity, _own_class, _running

# The QR check-in of a lesson (GA23-SYS-1): check-in opens before the lesson starts and
# sign-out closes after it ends (how long a scanned code is good: training.selectors).
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)
CHECKIN_CLOSES_AFTER = timedelta(minutes=30)
SIGN_OUT_FROM_BEFORE_END = timedelta(minutes=30)


def _aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _lesson_window(lesson: Lesson) -> tuple[datetime, datetime]:
    return _aware(lesson.date, lesson.start_time), _aware(lesson.date, lesson.end_time)


def marking_opens_at(lesson: Lesson) -> datetime:
    """When the teacher may mark a lesson's attendance: when its QR check-in opens, 30 minutes
    before it starts (GA23-SYS-1, issue 15.6)."""
    return _lesson_window(lesson)[0] - CHECKIN_OPENS_BEFORE


def _check_marking_open(lesson: Lesson) -> None:
    opens = marking_opens_at(lesson)
    if clock.now() < opens:
        raise ValidationError(
            _(
                "GA23-SYS-1: attendance of this lesson is marked from %(open)s on %(day)s, "
                "when its check-in opens (30 minutes before it starts)."
            )
            % {"open": f"{timezone.localtime(opens):%H:%M}", "day": lesson.date.isoformat()}
        )


@transaction.atomic
def attendance_mark(
    *, actor: Actor, lesson: Lesson, enrolment: Enrolment, status: str, reason: str = ""
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
    _check_marking_open(lesson)
    if enrolment.training_class_id != lesson.training_class_id:
        raise ValidationError(_("The trainee is not in this class."))
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Choose present, absent or on leave.")})
    start, end = _lesson_window(lesson)
    existing = Attendance.objects.filter(lesson=lesson, enrolment=enrolment).first()
    reason = (reason or "").strip()
    if existing is not None and existing.status != status:
        correction = existing.method == AttendanceMethod.QR or clock.now() > end
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
def attendance_mark_all_present(*, actor: Actor, lesson: Lesson) -> int:
    """Every enrolled trainee not yet marked at the lesson is marked present (the tablet page's
    first step; exceptions are then fixed one by one)."""
    lesson = get_visible_or_404(
        Lesson.objects.select_related("training_class"),
        actor,
        perm=CHANGE_ATTENDANCE,
        pk=lesson.pk,
    )
    _running(lesson.training_class)
    _check_marking_open(lesson)
    start, end = _lesson_window(lesson)
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
    now = now or clock.now()
    lesson = Lesson.objects.select_related("training_class").get(pk=lesson.pk)
    _running(lesson.training_class)
    start, end = _lesson_window(lesson)
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
def leave_request_create(
    *, actor: Actor, enrolment: Enrolment, lesson: Lesson, reason: str, by_trainee: bool = True
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
def leave_request_decide(*, actor: Actor, leave: LeaveRequest, approve: bool) -> LeaveRequest:
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
