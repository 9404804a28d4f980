"""Pages of the learning app: the platform operator builds courses (WH20-PLT-1); the learner
studies under ``/me/learning/`` with the player, whose heartbeats count watched time
(WH20-PRG-1). Thin: parse, call the service, render."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from upskill.core.exports import xlsx_response_logged
from upskill.core.files import stored_file_response
from upskill.core.forms import error_text, form_action, form_error_text, service_action
from upskill.core.scoping import get_visible_or_404, person_of, require_perm, visible
from upskill.core.stored_text import stored_text
from upskill.core.uploads import OffsetMismatch, upload_json, upload_of

from . import selectors, services
from .forms import CourseForm, LessonForm, SectionForm
from .models import (
    ADD_COURSE,
    CHANGE_COURSE,
    VIEW_WEEKLY,
    Course,
    Lesson,
    LessonMedium,
    LessonProgress,
    Section,
)

# --- the platform's operator ---------------------------------------------------------------


@login_required
def course_list(request):
    require_perm(request.user, "learning.view_course")
    return render(
        request,
        "learning/course_list.html",
        {
            "courses": selectors.courses_of(actor=request.user),
            "may_add": request.user.has_perm(ADD_COURSE),
        },
    )


def _course_url(course: Course) -> str:
    return reverse("learning:course_detail", kwargs={"pk": course.pk})


@login_required
def course_create(request):
    require_perm(request.user, ADD_COURSE)
    form = CourseForm(request.POST or None)
    if response := form_action(
        request,
        form,
        lambda data: services.course_create(actor=request.user, **data),
        success_message=_("The course was created as a draft."),
        redirect_to=_course_url,
    ):
        return response
    return render(request, "learning/course_form.html", {"form": form})


@login_required
def course_detail(request, pk: int):
    course = get_visible_or_404(Course, request.user, perm="learning.view_course", pk=pk)
    editable = request.user.has_perm(CHANGE_COURSE) and course.platform_id == getattr(
        request.user, "organisation_id", None
    )
    sections = visible(Section, request.user).filter(course=course)
    section_form = SectionForm(prefix="section")
    lesson_form = LessonForm(prefix="lesson", sections=sections)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(CHANGE_COURSE)
        if "section-title" in request.POST:
            section_form = SectionForm(request.POST, prefix="section")
            if response := form_action(
                request,
                section_form,
                lambda data: services.section_add(
                    actor=request.user, course=course, title=data["title"]
                ),
                success_message=_("Section added."),
                redirect_to=_course_url(course),
            ):
                return response
        else:
            lesson_form = LessonForm(
                request.POST, request.FILES, prefix="lesson", sections=sections
            )
            if response := form_action(
                request,
                lesson_form,
                lambda data: services.lesson_add(actor=request.user, **data),
                success_message=_("Lesson added."),
                redirect_to=_course_url(course),
            ):
                return response
    return render(
        request,
        "learning/course_detail.html",
        {
            "course": course,
            "outline": selectors.course_outline(actor=request.user, course=course),
            "editable": editable,
            "section_form": section_form,
            "lesson_form": lesson_form,
        },
    )


def _editable_course(request, pk: int) -> Course:
    course = get_visible_or_404(Course, request.user, perm=CHANGE_COURSE, pk=pk)
    if course.platform_id != getattr(request.user, "organisation_id", None):
        raise PermissionDenied(CHANGE_COURSE)
    return course


@login_required
@require_POST
def lesson_upload_start(request, pk: int):
    """Open the resumable upload of a lesson's video (the page's script,
    static/learning/lesson_upload.js, with core's static/upskill/upload.js): the lesson form's
    fields, the file's name and size. The chunks go to core's endpoint (``core:upload``)."""
    course = _editable_course(request, pk)
    sections = visible(Section, request.user).filter(course=course)
    form = LessonForm(request.POST, prefix="lesson", sections=sections)
    form.fields["file"].required = False  # it follows in chunks
    if not form.is_valid():
        return JsonResponse({"error": form_error_text(form)}, status=400)
    if form.cleaned_data["medium"] != LessonMedium.VIDEO:
        return JsonResponse({"error": _("Only a video is sent in parts.")}, status=400)
    try:
        size = int(request.POST.get("size", "0"))
    except ValueError:
        size = 0
    try:
        upload = services.lesson_upload_start(
            actor=request.user,
            section=form.cleaned_data["section"],
            title=form.cleaned_data["title"],
            delivery=form.cleaned_data["delivery"],
            required_seconds=form.cleaned_data["required_seconds"],
            filename=request.POST.get("filename", ""),
            size=size,
        )
    except ValidationError as exc:
        return JsonResponse({"error": error_text(exc)}, status=400)
    return JsonResponse(upload_json(upload), status=201)


@login_required
@require_POST
def lesson_upload_finish(request, pk):
    """The last step of a lesson video's upload: the lesson is made with the length ffprobe
    reads, or the file is refused with the reason (400)."""
    upload = upload_of(request.user, pk)
    try:
        lesson = services.lesson_upload_finish(actor=request.user, upload=upload)
    except OffsetMismatch as exc:
        return JsonResponse({"error": error_text(exc), "offset": exc.offset}, status=409)
    except ValidationError as exc:
        return JsonResponse({"error": error_text(exc)}, status=400)
    message = _("Lesson added.")
    messages.success(request, message)  # shown on the course page the script goes to
    return JsonResponse(
        {"lesson": lesson.pk, "url": _course_url(lesson.section.course), "message": message},
        status=201,
    )


@login_required
@require_POST
def course_publish(request, pk: int):
    course = get_visible_or_404(Course, request.user, perm=CHANGE_COURSE, pk=pk)
    publish = request.POST.get("published", "1") == "1"
    return service_action(
        request,
        lambda: services.course_publish(actor=request.user, course=course, published=publish),
        success_message=_("Published.") if publish else _("Withdrawn."),
        redirect_to=_course_url(course),
    )


@login_required
def lesson_file(request, pk: int):
    """The lesson's video or document, with range reads (streamed, never read whole)."""
    lesson = get_visible_or_404(Lesson, request.user, pk=pk)
    if person_of(request.user) is None:
        require_perm(request.user, "learning.view_course")
    return stored_file_response(request, lesson.file, lesson.file.name.rsplit("/", 1)[-1])


# --- weekly progress (WH20-PRG-1) ---------------------------------------------------------


def _week(request, weeks: list[dict]):
    wanted = parse_date(request.GET.get("week") or "")
    known = [w["week"] for w in weeks]
    return wanted if wanted in known else (known[0] if known else None)


@login_required
def weekly(request):
    """HR: the latest week's employees, who is behind first, and the history of weeks; an
    association its members' counts, a bureau its region's (per enterprise)."""
    require_perm(request.user, VIEW_WEEKLY)
    weeks = selectors.weekly_weeks(actor=request.user)
    week = _week(request, weeks)
    kind = getattr(getattr(request.user, "organisation", None), "kind", "")
    per_employee = kind == "enterprise"
    return render(
        request,
        "learning/weekly.html",
        {
            "weeks": weeks,
            "week": week,
            "per_employee": per_employee,
            "rows": selectors.weekly_rows(actor=request.user, week=week)
            if week and per_employee
            else [],
            "enterprises": selectors.weekly_by_enterprise(actor=request.user, week=week)
            if week and not per_employee
            else [],
            "may_run": request.user.has_perm(services.RUN_WEEKLY),
        },
    )


@login_required
@require_POST
def weekly_run(request):
    """The button: this week's snapshot now, as a background job with its progress page."""
    require_perm(request.user, services.RUN_WEEKLY)
    job = services.weekly_snapshot_start(actor=request.user)
    return redirect("core:job_detail", pk=job.pk)


@login_required
def weekly_export(request):
    """The week's rows as an Excel file (text cells as text), logged as an export."""
    require_perm(request.user, VIEW_WEEKLY)
    weeks = selectors.weekly_weeks(actor=request.user)
    week = _week(request, weeks)
    if week is None:
        raise Http404
    header = [
        _("Enterprise"),
        _("Employee"),
        _("Class"),
        _("Course"),
        _("Lessons"),
        _("Lessons completed"),
        _("Minutes watched"),
        _("Lessons expected by now"),
        _("Behind"),
    ]
    rows = [
        [
            row.enterprise.name,
            row.person.name,
            row.training_class.name,
            row.course.title if row.course else "",
            row.lessons_total,
            row.lessons_completed,
            row.minutes_watched,
            row.expected_lessons,
            _("Yes") if row.behind else _("No"),
        ]
        for row in selectors.weekly_rows(actor=request.user, week=week)
    ]
    return xlsx_response_logged(
        request,
        description=stored_text(
            gettext_lazy("Weekly learning progress, week of %(week)s"), week=week.isoformat()
        ),
        name=f"weekly-progress-{week:%Y%m%d}",
        sheet_title=_("Weekly progress"),
        header=header,
        rows=rows,
    )


# --- the learner (/me/learning/) -------------------------------------------------------------


def _learner(request):
    if person_of(request.user) is None:
        raise Http404
    return request.user


@login_required
def my_course(request, pk: int):
    learner = _learner(request)
    course = get_visible_or_404(Course, learner, pk=pk)
    return render(
        request,
        "learning/my_course.html",
        {"course": course, "outline": selectors.learner_lessons(actor=learner, course=course)},
    )


@login_required
def my_lesson(request, pk: int):
    learner = _learner(request)
    lesson = get_visible_or_404(Lesson.objects.select_related("section__course"), learner, pk=pk)
    progress = visible(LessonProgress, learner).filter(lesson=lesson).first()
    return render(
        request,
        "learning/my_lesson.html",
        {
            "lesson": lesson,
            "course": lesson.section.course,
            "progress": progress,
            "percent": min(
                100, (progress.watched_seconds if progress else 0) * 100 // lesson.required_seconds
            ),
            "file_url": reverse("learning_me:lesson_file", kwargs={"pk": lesson.pk}),
            "start_url": reverse("learning_me:start", kwargs={"pk": lesson.pk}),
            "beat_url": reverse("learning_me:heartbeat", kwargs={"pk": lesson.pk}),
            "presence_url": reverse("learning_me:presence", kwargs={"pk": lesson.pk}),
            "heartbeat_seconds": settings.UPSKILL_LEARNING_HEARTBEAT_SECONDS,
        },
    )


def _json(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationError(_("The player sent something unreadable.")) from None
    if not isinstance(data, dict):
        raise ValidationError(_("The player sent something unreadable."))
    return data


def _progress_json(progress: LessonProgress, lesson: Lesson, check: str = "") -> dict:
    return {
        "check": check,
        "position": progress.position,
        "watched": progress.watched_seconds,
        "furthest": progress.furthest,
        "required": lesson.required_seconds,
        "percent": min(100, progress.watched_seconds * 100 // lesson.required_seconds),
        "complete": progress.completed_at is not None,
    }


@login_required
def my_lesson_file(request, pk: int):
    """The lesson's file for the learner (their own scope), with range reads."""
    learner = _learner(request)
    lesson = get_visible_or_404(Lesson, learner, pk=pk)
    return stored_file_response(request, lesson.file, lesson.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def my_start(request, pk: int):
    learner = _learner(request)
    lesson = get_visible_or_404(Lesson, learner, pk=pk)
    try:
        data = _json(request)
        progress = services.playback_start(
            actor=learner, lesson=lesson, device=str(data.get("device", ""))
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    check = selectors.pending_check(actor=learner)
    return JsonResponse(
        {
            **_progress_json(progress, lesson, check),
            "message": services.presence_message() if check else "",
        }
    )


@login_required
@require_POST
def my_heartbeat(request, pk: int):
    """The player's report every ~15 s (the hot path, issue 17): the service reads the lesson
    in the learner's scope once (404 outside it)."""
    learner = _learner(request)
    try:
        data = _json(request)
        result = services.heartbeat_record(
            actor=learner,
            lesson=pk,
            device=str(data.get("device", "")),
            segments=data.get("segments") or [],
            position=float(data.get("position") or 0),
        )
    except (ValidationError, TypeError, ValueError) as error:
        # outside the learner's scope the answer is 404 whatever was sent (the service checks
        # the scope first; a body it never reached is checked here)
        get_visible_or_404(Lesson, learner, pk=pk)
        messages = getattr(error, "messages", [_("The player sent something unreadable.")])
        return JsonResponse({"error": " ".join(messages)}, status=400)
    return JsonResponse(
        {
            **_progress_json(result.progress, result.progress.lesson, result.check),
            "added": result.added,
            "stop": result.stop,
            "message": result.message,
        }
    )


@login_required
@require_POST
def my_presence(request, pk: int):
    """The learner's click on a presence check (WH20-PRG-1): playing counts again from now."""
    learner = _learner(request)
    get_visible_or_404(Lesson, learner, pk=pk)
    try:
        data = _json(request)
        services.presence_answer(
            actor=learner, device=str(data.get("device", "")), token=str(data.get("token", ""))
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"check": "", "answered": True})
