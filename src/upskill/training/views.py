"""Pages of the training app: thin, they parse, call a service or selector, and render.

Staff pages fetch through the scope (outside it 404, without the permission 403). The public
pages (enrolment notices, QR check-in, survey) need no account: the check-in and survey pages
are reached only through a signed, time-limited token, and ask the trainee's ID number and
name."""

from __future__ import annotations

import uuid

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core import hooks
from upskill.core.exports import xlsx_response
from upskill.core.imports import ImportRejected
from upskill.core.pagination import paginate
from upskill.core.scoping import get_visible_or_404, require_perm, visible
from upskill.core.services import AccessAction, access_log_record

from . import selectors, services
from .forms import (
    ClassForm,
    EnrolForm,
    FirstLessonForm,
    IdentityForm,
    LeaveForm,
    LessonForm,
    NoticeFilterForm,
    ReasonForm,
    RosterUploadForm,
    SurveyForm,
    TeacherForm,
)
from .models import (
    ENROLLING_STATES,
    SURVEY_QUESTIONS,
    AttendanceStatus,
    ClassStatus,
    Enrolment,
    LeaveRequest,
    Lesson,
    TrainingClass,
)
from .transitions import TRANSITIONS

DEVICE_COOKIE = "upskill_device"


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _qr_svg(url: str, scale: int = 6) -> str:
    return segno.make(url, error="m").svg_inline(scale=scale, border=2)


# -- classes --------------------------------------------------------------------------------


@login_required
def class_list(request):
    require_perm(request.user, services.VIEW_CLASS)
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    classes = selectors.class_list(actor=request.user, status=status, query=query)
    context = {
        "page": paginate(request, classes),
        "status": status,
        "q": query,
        "statuses": ClassStatus.choices,
    }
    if request.headers.get("HX-Request"):
        return render(request, "training/_class_rows.html", context)
    return render(request, "training/class_list.html", context)


@login_required
def class_create(request):
    require_perm(request.user, services.ADD_CLASS)
    form = ClassForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            training_class = services.class_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The class plan was saved as a draft."))
            return redirect("training:class_detail", pk=training_class.pk)
    return render(request, "training/class_form.html", {"form": form, "creating": True})


@login_required
def class_edit(request, pk: int):
    training_class = get_visible_or_404(
        TrainingClass, request.user, perm=services.CHANGE_CLASS, pk=pk
    )
    initial = {name: getattr(training_class, name) for name in services.PLAN_FIELDS}
    initial["teachers"] = list(training_class.teachers.all())
    form = ClassForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.class_update(
                actor=request.user, training_class=training_class, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("training:class_detail", pk=training_class.pk)
    return render(
        request,
        "training/class_form.html",
        {"form": form, "creating": False, "training_class": training_class},
    )


@login_required
def class_detail(request, pk: int):
    """The class ledger (台账, GA23-SYS-1): plan, approval history, roster, attendance matrix,
    first lesson, leave and survey results in one place; the actions the user may take."""
    user = request.user
    training_class = get_visible_or_404(
        selectors.class_detail_queryset(actor=user), user, perm=services.VIEW_CLASS, pk=pk
    )
    matrix = selectors.attendance_matrix(training_class)
    is_owner = user.is_superuser or user.organisation_id == training_class.organisation_id
    enrolling = is_owner and training_class.status in (ClassStatus.APPROVED, ClassStatus.RUNNING)
    running = training_class.status == ClassStatus.RUNNING
    leaves = list(selectors.leave_requests(training_class))
    context = {
        "training_class": training_class,
        "check": selectors.plan_check(training_class) if training_class.is_editable else None,
        "matrix": matrix,
        "actions": selectors.actions_for(user, training_class),
        "is_owner": is_owner,
        "can_edit": is_owner
        and training_class.is_editable
        and user.has_perm(services.CHANGE_CLASS),
        "can_enrol": enrolling and user.has_perm(services.ADD_ENROLMENT),
        "can_attend": is_owner and running and user.has_perm(services.CHANGE_ATTENDANCE),
        "can_first_lesson": is_owner and running and user.has_perm(services.RECORD_FIRST_LESSON),
        "can_leave": is_owner and running and user.has_perm(services.ADD_LEAVE),
        "can_decide_leave": is_owner and user.has_perm(services.DECIDE_LEAVE),
        "survey": selectors.survey_results(training_class, enrolled=len(matrix.lines)),
        "leaves": leaves,
        "lesson_form": LessonForm(training_class=training_class),
        "enrol_form": EnrolForm(),
        "upload_form": RosterUploadForm(),
        "first_lesson_form": FirstLessonForm(
            initial={"date": training_class.first_lesson_date or training_class.start_date}
        ),
        "leave_form": LeaveForm(
            enrolments=[line.enrolment for line in matrix.lines], lessons=matrix.lessons
        ),
        "reason_form": ReasonForm(),
        "roster_columns": services.roster_columns(),
        # later stages (supervision, assessment, subsidies) through core/hooks.py
        "stage_links": hooks.class_links(training_class=training_class, actor=user),
    }
    return render(request, "training/class_detail.html", context)


@login_required
@require_POST
def class_transition(request, pk: int, action: str):
    training_class = get_visible_or_404(TrainingClass, request.user, pk=pk)
    if action not in TRANSITIONS:
        return redirect("training:class_detail", pk=pk)
    try:
        services.class_transition(
            actor=request.user,
            training_class=training_class,
            action=action,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        training_class.refresh_from_db()
        messages.success(
            request,
            _("The class is now “%(status)s”.") % {"status": training_class.get_status_display()},
        )
    return redirect("training:class_detail", pk=pk)


@login_required
@require_POST
def lesson_add(request, pk: int):
    training_class = get_visible_or_404(
        TrainingClass, request.user, perm=services.CHANGE_CLASS, pk=pk
    )
    form = LessonForm(request.POST, training_class=training_class)
    if form.is_valid():
        try:
            services.lesson_add(
                actor=request.user, training_class=training_class, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The lesson was added."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(reverse("training:class_detail", args=[pk]) + "#curriculum")


@login_required
@require_POST
def lesson_remove(request, pk: int):
    lesson = get_visible_or_404(Lesson, request.user, perm=services.CHANGE_CLASS, pk=pk)
    class_id = lesson.training_class_id
    try:
        services.lesson_remove(actor=request.user, lesson=lesson)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(reverse("training:class_detail", args=[class_id]) + "#curriculum")


# -- enrolment ------------------------------------------------------------------------------


@login_required
@require_POST
def enrol(request, pk: int):
    training_class = get_visible_or_404(
        TrainingClass, request.user, perm=services.ADD_ENROLMENT, pk=pk
    )
    return _enrol(request, training_class)


def enrol_offer(*, actor) -> hooks.EnrolOffer | None:
    """Hook ``person.enrol_offer``: the actor's organisation's own approved or running classes,
    for the registry's find-by-number page (the person is registered; enrolling is the only way
    on from there)."""
    organisation = getattr(actor, "organisation", None)
    if organisation is None or not actor.has_perm(services.ADD_ENROLMENT):
        return None
    classes = (
        visible(TrainingClass, actor)
        .filter(organisation=organisation, status__in=ENROLLING_STATES)
        .order_by("-start_date", "pk")
    )
    choices = [(c.pk, f"{c.name} ({c.start_date:%Y-%m-%d})") for c in classes[:200]]
    if not choices:
        return None
    return hooks.EnrolOffer(action_url=reverse("training:enrol_found"), classes=choices)


@login_required
@require_POST
def enrol_found(request):
    """Enrol a person found by ID number on the registry's page into the class chosen there."""
    try:
        pk = int(request.POST.get("training_class", ""))
    except ValueError:
        raise Http404 from None
    training_class = get_visible_or_404(
        TrainingClass, request.user, perm=services.ADD_ENROLMENT, pk=pk
    )
    return _enrol(request, training_class)


def _enrol(request, training_class: TrainingClass):
    pk = training_class.pk
    form = EnrolForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        categories = [c for c in services.split_words(data["categories"])]
        try:
            enrolment = services.enrolment_add(
                actor=request.user,
                training_class=training_class,
                id_number=data["id_number"],
                name=data["name"],
                hukou=data["hukou"],
                phone=data["phone"],
                categories=categories,
                insured_months=data["insured_months"],
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("%(name)s was enrolled.") % {"name": enrolment.person.name})
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(reverse("training:class_detail", args=[pk]) + "#roster")


@login_required
@require_POST
def enrolment_withdraw(request, pk: int):
    enrolment = get_visible_or_404(
        Enrolment.objects.select_related("person"),
        request.user,
        perm=services.ADD_ENROLMENT,
        pk=pk,
    )
    try:
        services.enrolment_withdraw(
            actor=request.user, enrolment=enrolment, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, _("%(name)s has left the class.") % {"name": enrolment.person.name}
        )
    return redirect(
        reverse("training:class_detail", args=[enrolment.training_class_id]) + "#roster"
    )


@login_required
@require_POST
def roster_import(request, pk: int):
    """Upload a class roster (花名册); it is checked and enrolled as a background job whose page
    shows the progress, then the result or every bad row with its number."""
    training_class = get_visible_or_404(
        TrainingClass, request.user, perm=services.ADD_ENROLMENT, pk=pk
    )
    form = RosterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the roster file."))
        return redirect("training:class_detail", pk=pk)
    try:
        job = services.roster_import(
            actor=request.user, training_class=training_class, upload=form.cleaned_data["file"]
        )
    except ImportRejected as exc:
        messages.error(request, str(exc))
        return redirect("training:class_detail", pk=pk)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("training:class_detail", pk=pk)
    return redirect("core:job_detail", pk=job.pk)


@login_required
def roster_export(request, pk: int):
    """The class roster with attended hours and days, as Excel; ID numbers masked."""
    training_class = get_visible_or_404(
        selectors.class_detail_queryset(actor=request.user),
        request.user,
        perm=services.VIEW_CLASS,
        pk=pk,
    )
    matrix = selectors.attendance_matrix(training_class)
    header = [
        _("Name"),
        _("ID number"),
        _("Sex"),
        _("Phone"),
        _("Township of residence"),
        _("Categories"),
        _("Attended class hours"),
        _("Attended days"),
        _("Survey answered"),
    ]
    answered = set(
        Enrolment.objects.filter(
            training_class=training_class, survey_response__isnull=False
        ).values_list("pk", flat=True)
    )
    rows = [
        [
            line.enrolment.person.name,
            line.enrolment.person.id_number_masked,
            line.enrolment.person.get_sex_display(),
            line.enrolment.person.phone_masked,
            line.enrolment.person.township.name if line.enrolment.person.township else "",
            "、".join(line.category_names),
            line.attended_hours,
            line.attended_days if line.attended_days is not None else "",
            _("yes") if line.enrolment.pk in answered else _("no"),
        ]
        for line in matrix.lines
    ]
    access_log_record(
        actor=request.user,
        action=AccessAction.EXPORT,
        description=_("Class roster export (masked): %(name)s") % {"name": training_class.name},
        row_count=len(rows),
        remote_addr=request.META.get("REMOTE_ADDR"),
    )
    return xlsx_response(
        f"roster-{training_class.pk}-{timezone.localdate():%Y%m%d}.xlsx",
        _("Roster"),
        header,
        rows,
    )


# -- attendance -----------------------------------------------------------------------------


def _sheet_context(request, lesson: Lesson) -> dict:
    return {
        "lesson": lesson,
        "training_class": lesson.training_class,
        "sheet": selectors.lesson_sheet(lesson),
        "statuses": AttendanceStatus.choices,
        "running": lesson.training_class.status == ClassStatus.RUNNING,
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
                context["error"] = _error_text(exc)
                return render(request, "training/_attendance_rows.html", context)
            messages.error(request, _error_text(exc))
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


def _device_id(request) -> str:
    return request.COOKIES.get(DEVICE_COOKIE) or uuid.uuid4().hex


def _with_device(response, device: str):
    response.set_cookie(
        DEVICE_COOKIE, device, max_age=3600 * 24 * 365, httponly=True, samesite="Lax"
    )
    return response


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
                {"title": _("Check-in"), "error": _error_text(exc)},
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
            _apply_errors(form, exc)
    return _with_device(
        render(request, "training/checkin.html", {"lesson": lesson, "form": form, "done": done}),
        device,
    )


def survey(request, token: str):
    """Public (no account): the satisfaction survey before completion (GA23-SYS-1)."""
    device = _device_id(request)
    try:
        training_class = selectors.class_from_survey_token(token)
    except ValidationError as exc:
        return render(
            request,
            "training/public_message.html",
            {"title": _("Survey"), "error": _error_text(exc)},
            status=400,
        )
    form = SurveyForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(
                training_class=training_class,
                id_number=form.cleaned_data["id_number"],
                name=form.cleaned_data["name"],
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
                device_id=device,
            )
            done = True
        except ValidationError as exc:
            _apply_errors(form, exc)
    questions = [form[key] for key, _label in SURVEY_QUESTIONS]
    return _with_device(
        render(
            request,
            "training/survey.html",
            {"training_class": training_class, "form": form, "done": done, "questions": questions},
        ),
        device,
    )


@login_required
def survey_link(request, pk: int):
    """The survey's link and QR code, to show in class or hand out."""
    training_class = get_visible_or_404(
        TrainingClass, request.user, perm=services.VIEW_CLASS, pk=pk
    )
    url = request.build_absolute_uri(
        reverse("training:survey", args=[selectors.survey_token(training_class)])
    )
    return render(
        request,
        "training/survey_link.html",
        {"training_class": training_class, "url": url, "svg": _qr_svg(url)},
    )


# -- class records --------------------------------------------------------------------------


@login_required
@require_POST
def first_lesson(request, pk: int):
    training_class = get_visible_or_404(
        TrainingClass, request.user, perm=services.RECORD_FIRST_LESSON, pk=pk
    )
    form = FirstLessonForm(request.POST)
    if form.is_valid():
        try:
            services.first_lesson_record(
                actor=request.user, training_class=training_class, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The first lesson was recorded."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(reverse("training:class_detail", args=[pk]) + "#first-lesson")


@login_required
@require_POST
def leave_add(request, pk: int):
    training_class = get_visible_or_404(TrainingClass, request.user, perm=services.ADD_LEAVE, pk=pk)
    enrolments = Enrolment.objects.filter(training_class=training_class).select_related("person")
    lessons = training_class.lessons.all()
    form = LeaveForm(request.POST, enrolments=enrolments, lessons=lessons)
    if form.is_valid():
        try:
            services.leave_request_add(
                actor=request.user,
                enrolment=enrolments.get(pk=form.cleaned_data["enrolment"]),
                lesson=lessons.get(pk=form.cleaned_data["lesson"]),
                reason=form.cleaned_data["reason"],
                by_trainee=form.cleaned_data["by_trainee"],
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The leave request was recorded."))
    return redirect(reverse("training:class_detail", args=[pk]) + "#leave")


@login_required
@require_POST
def leave_decide(request, pk: int):
    leave = get_visible_or_404(
        LeaveRequest.objects.select_related("enrolment"),
        request.user,
        perm=services.DECIDE_LEAVE,
        pk=pk,
    )
    try:
        services.leave_request_decide(
            actor=request.user, leave=leave, approve=request.POST.get("decision") == "approve"
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(
        reverse("training:class_detail", args=[leave.enrolment.training_class_id]) + "#leave"
    )


# -- teachers -------------------------------------------------------------------------------


@login_required
def teacher_list(request):
    require_perm(request.user, "training.view_teacher")
    teachers = selectors.teacher_list(actor=request.user)
    return render(request, "training/teacher_list.html", {"page": paginate(request, teachers)})


@login_required
def teacher_create(request):
    require_perm(request.user, services.ADD_TEACHER)
    form = TeacherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        occupation = data.pop("occupation")
        try:
            services.teacher_create(
                actor=request.user,
                occupation=occupation,
                level=occupation.level if occupation else None,
                **data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The teacher was registered."))
            return redirect("training:teacher_list")
    return render(request, "training/teacher_form.html", {"form": form})


# -- public enrolment notices (GA23-PUB-1) --------------------------------------------------


def notices(request):
    """Approved classes with open places, for anyone (no log-in), filterable with htmx."""
    form = NoticeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    classes = selectors.notices(
        township_id=filters["township"].pk if filters.get("township") else None,
        occupation=filters.get("occupation", ""),
        start_from=filters.get("start_from"),
    )
    context = {"form": form, "page": paginate(request, classes)}
    if request.headers.get("HX-Request"):
        return render(request, "training/_notice_rows.html", context)
    return render(request, "training/notices.html", context)
