"""Attendance pages (GA23-SYS-1): the tablet page of a lesson, its QR code, the trainee's
public check-in, and leave."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core import clock
from upskill.core.forms import apply_service_errors, error_text, service_action
from upskill.core.scoping import get_visible_or_404

from .. import selectors, services
from ..forms import IdentityForm, LeaveForm
from ..models import (
    AttendanceStatus,
    ClassStatus,
    Enrolment,
    LeaveRequest,
    Lesson,
    TrainingClass,
)
from ._common import _device_id, _qr_svg, _with_device
from .curriculum import start_state


def _sheet_context(request, lesson: Lesson) -> dict:
    """The sheet, and why it cannot be marked yet (issue 15.5/15.6): the class is not started
    (the clerk who may start it gets the button here), or the lesson's check-in window has not
    opened."""
    training_class = lesson.training_class
    running = training_class.status == ClassStatus.RUNNING
    opens_at = services.marking_opens_at(lesson)
    return {
        "lesson": lesson,
        "training_class": training_class,
        "c": training_class,
        "sheet": selectors.lesson_sheet(lesson),
        "statuses": AttendanceStatus.choices,
        "running": running,
        "open_now": running and clock.now() >= opens_at,
        "opens_at": opens_at,
        "can": selectors.class_permissions(actor=request.user, obj=training_class),
        "start_state": start_state(training_class),
    }


@login_required
def lesson_attendance(request, pk: int):
    """The tablet page of a lesson (GA23-SYS-1): one big row per trainee; "all present" first,
    then the exceptions."""
    lesson = get_visible_or_404(
        Lesson.objects.select_related("training_class", "teacher"),
        request.user,
        perm=services.CHANGE_ATTENDANCE,
        pk=pk,
    )
    if request.method == "POST":
        try:
            if "all_present" in request.POST:
                count = services.attendance_mark_all_present(actor=request.user, lesson=lesson)
                messages.success(request, _("%(n)d trainees marked present.") % {"n": count})
            else:
                enrolment = get_visible_or_404(
                    Enrolment, request.user, pk=request.POST.get("enrolment")
                )
                services.attendance_mark(
                    actor=request.user,
                    lesson=lesson,
                    enrolment=enrolment,
                    status=request.POST.get("status", ""),
                    reason=request.POST.get("reason", ""),
                )
        except ValidationError as exc:
            if request.headers.get("HX-Request"):
                context = _sheet_context(request, lesson)
                context["error"] = error_text(exc)
                return render(request, "training/_attendance_rows.html", context)
            messages.error(request, error_text(exc))
        if request.headers.get("HX-Request"):
            return render(
                request, "training/_attendance_rows.html", _sheet_context(request, lesson)
            )
        return redirect("training:lesson_attendance", pk=pk)
    return render(request, "training/lesson_attendance.html", _sheet_context(request, lesson))


@login_required
def lesson_qr(request, pk: int):
    """The lesson's QR code for the trainees' phones; re-signed on every load (the page reloads
    it each minute), each code good for a few minutes only."""
    lesson = get_visible_or_404(
        Lesson.objects.select_related("training_class"),
        request.user,
        perm=services.CHANGE_ATTENDANCE,
        pk=pk,
    )
    url = request.build_absolute_uri(
        reverse("training:checkin", args=[selectors.checkin_token(lesson)])
    )
    context = {"lesson": lesson, "url": url, "svg": _qr_svg(url, scale=8)}
    if request.headers.get("HX-Request"):
        return render(request, "training/_qr.html", context)
    return render(request, "training/lesson_qr.html", context)


def checkin(request, token: str):
    """Public (no account): a trainee checks in at a lesson from its QR code, confirming ID
    number and name (GA23-SYS-1). The device (a cookie) and the time are recorded."""
    device = _device_id(request)
    try:
        lesson = selectors.lesson_from_checkin_token(token)
    except ValidationError as exc:
        return _with_device(
            render(
                request,
                "training/public_message.html",
                {"title": _("Check-in"), "error": error_text(exc)},
                status=400,
            ),
            device,
        )
    form = IdentityForm(request.POST or None)
    done = None
    if request.method == "POST" and form.is_valid():
        try:
            done = services.attendance_check_in(
                lesson=lesson,
                id_number=form.cleaned_data["id_number"],
                name=form.cleaned_data["name"],
                device_id=device,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return _with_device(
        render(request, "training/checkin.html", {"lesson": lesson, "form": form, "done": done}),
        device,
    )


@login_required
@require_POST
def leave_add(request, pk: int):
    training_class = get_visible_or_404(TrainingClass, request.user, perm=services.ADD_LEAVE, pk=pk)
    enrolments = Enrolment.objects.filter(training_class=training_class).select_related("person")
    lessons = training_class.lessons.all()
    form = LeaveForm(request.POST, enrolments=enrolments, lessons=lessons)
    url = reverse("training:class_detail", args=[pk]) + "#leave"
    return service_action(
        request,
        lambda: services.leave_request_create(
            actor=request.user,
            enrolment=enrolments.get(pk=form.cleaned_data["enrolment"]),
            lesson=lessons.get(pk=form.cleaned_data["lesson"]),
            reason=form.cleaned_data["reason"],
            by_trainee=form.cleaned_data["by_trainee"],
        ),
        success_message=_("The leave request was recorded."),
        redirect_to=url,
        form=form,
        invalid_message="",
    )


@login_required
@require_POST
def leave_decide(request, pk: int):
    leave = get_visible_or_404(
        LeaveRequest.objects.select_related("enrolment"),
        request.user,
        perm=services.DECIDE_LEAVE,
        pk=pk,
    )
    return service_action(
        request,
        lambda: services.leave_request_decide(
            actor=request.user, leave=leave, approve=request.POST.get("decision") == "approve"
        ),
        redirect_to=reverse("training:class_detail", args=[leave.enrolment.training_class_id])
        + "#leave",
    )
