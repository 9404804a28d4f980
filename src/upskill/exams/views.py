"""Pages of the online exam. The platform's operator keeps question banks (list, filter, Excel
import) and exam blueprints; the learner takes the exam under ``/me/exams/``: the paper page
saves each choice as given (``exams/paper.js``, fetch), submits, and shows the result. Thin:
parse, call the service, render. The key never reaches a learner's page."""

from __future__ import annotations

import json
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core.forms import form_action, import_action, service_action
from upskill.core.scoping import get_visible_or_404, person_of, require_perm

from . import selectors, services
from .forms import (
    BankForm,
    BlueprintForm,
    BlueprintSettingsForm,
    PartForm,
    QuestionFilterForm,
    QuestionsUploadForm,
)
from .models import MANAGE_BANK, VIEW_BANK, Blueprint, BlueprintPart, ExamAttempt, QuestionBank

QUESTIONS_PER_PAGE = 50


# --- the platform's operator -------------------------------------------------------------------


@login_required
def bank_list(request):
    require_perm(request.user, VIEW_BANK)
    form = BankForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, MANAGE_BANK)
        if response := form_action(
            request,
            form,
            lambda data: services.bank_create(actor=request.user, **data),
            success_message=_("Question bank created."),
            redirect_to=lambda bank: reverse("exams:bank_detail", kwargs={"pk": bank.pk}),
        ):
            return response
    return render(
        request,
        "exams/bank_list.html",
        {
            "banks": selectors.banks_of(actor=request.user),
            "form": form,
            "may_manage": request.user.has_perm(MANAGE_BANK),
        },
    )


@login_required
def bank_detail(request, pk: int):
    bank = get_visible_or_404(QuestionBank, request.user, perm=VIEW_BANK, pk=pk)
    filters = QuestionFilterForm(
        request.GET or None, areas=selectors.knowledge_areas(actor=request.user, bank=bank)
    )
    criteria = filters.cleaned_data if filters.is_valid() else {}
    questions = selectors.questions_of(actor=request.user, bank=bank, **criteria)
    page = Paginator(questions, QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exams/bank_detail.html",
        {
            "bank": bank,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "upload_form": QuestionsUploadForm(),
            "may_manage": request.user.has_perm(MANAGE_BANK),
        },
    )


@login_required
@require_POST
def bank_import(request, pk: int):
    """The bank's questions from a spreadsheet, in the background, all or nothing."""
    bank = get_visible_or_404(QuestionBank, request.user, perm=MANAGE_BANK, pk=pk)
    return import_action(
        request,
        lambda upload: services.questions_import(actor=request.user, bank=bank, upload=upload),
        form=QuestionsUploadForm(request.POST, request.FILES),
        back_to=reverse("exams:bank_detail", kwargs={"pk": bank.pk}),
        invalid_message=_("Choose the question sheet."),
    )


@login_required
def blueprint_list(request):
    require_perm(request.user, VIEW_BANK)
    form = BlueprintForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, MANAGE_BANK)
        if response := form_action(
            request,
            form,
            lambda data: services.blueprint_create(actor=request.user, **data),
            success_message=_("Exam created; add its parts, then open it to learners."),
            redirect_to=_blueprint_url,
        ):
            return response
    blueprints = [
        (blueprint, selectors.blueprint_shortages(blueprint))
        for blueprint in selectors.blueprints_of(actor=request.user)
    ]
    return render(
        request,
        "exams/blueprint_list.html",
        {
            "blueprints": blueprints,
            "form": form,
            "may_manage": request.user.has_perm(MANAGE_BANK),
        },
    )


def _blueprint_url(blueprint: Blueprint) -> str:
    return reverse("exams:blueprint_detail", kwargs={"pk": blueprint.pk})


@login_required
def blueprint_detail(request, pk: int):
    blueprint = get_visible_or_404(
        Blueprint.objects.prefetch_related("parts"), request.user, perm=VIEW_BANK, pk=pk
    )
    settings_form = BlueprintSettingsForm(
        initial={
            "pass_mark": blueprint.pass_mark,
            "time_limit_minutes": blueprint.time_limit_minutes,
            "wait_minutes": blueprint.wait_minutes,
        },
        prefix="settings",
    )
    part_form = PartForm(prefix="part")
    if request.method == "POST":
        require_perm(request.user, MANAGE_BANK)
        if "part-kind" in request.POST:
            part_form = PartForm(request.POST, prefix="part")
            action = lambda data: services.blueprint_part_add(  # noqa: E731
                actor=request.user, blueprint=blueprint, **data
            )
            form, message = part_form, _("Part added.")
        else:
            settings_form = BlueprintSettingsForm(request.POST, prefix="settings")
            action = lambda data: services.blueprint_update(  # noqa: E731
                actor=request.user, blueprint=blueprint, **data
            )
            form, message = settings_form, _("Saved.")
        if response := form_action(
            request, form, action, success_message=message, redirect_to=_blueprint_url(blueprint)
        ):
            return response
    return render(
        request,
        "exams/blueprint_detail.html",
        {
            "blueprint": blueprint,
            "parts": list(blueprint.parts.all()),
            "full_marks": blueprint.full_marks,
            "problems": services.blueprint_problems(blueprint),
            "settings_form": settings_form,
            "part_form": part_form,
            "may_manage": request.user.has_perm(MANAGE_BANK),
            "attempts": selectors.blueprint_attempts(actor=request.user, blueprint=blueprint),
        },
    )


@login_required
@require_POST
def blueprint_activate(request, pk: int):
    blueprint = get_visible_or_404(Blueprint, request.user, perm=MANAGE_BANK, pk=pk)
    active = request.POST.get("active", "1") == "1"
    return service_action(
        request,
        lambda: services.blueprint_activate(actor=request.user, blueprint=blueprint, active=active),
        success_message=_("Open to learners.") if active else _("Closed to learners."),
        redirect_to=_blueprint_url(blueprint),
        each_message=True,
    )


@login_required
@require_POST
def part_remove(request, pk: int):
    part = get_visible_or_404(BlueprintPart, request.user, perm=MANAGE_BANK, pk=pk)
    blueprint = part.blueprint
    return service_action(
        request,
        lambda: services.blueprint_part_remove(actor=request.user, part=part),
        success_message=_("Part removed."),
        redirect_to=_blueprint_url(blueprint),
    )


# --- the learner (/me/exams/) ------------------------------------------------------------------


def learner_only(view):
    """A learner's own page: staff get 404 (no person), as another learner does for a record
    that is not theirs (the same rule as learning's study pages)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        person = person_of(request.user)
        if person is None:
            raise Http404
        return view(request, person, *args, **kwargs)

    return wrapper


def _exam_of(request, pk: int):
    return next(
        (e for e in selectors.learner_exams(actor=request.user) if e.blueprint.pk == pk), None
    )


@learner_only
def my_exam(request, person, pk: int):
    """The exam's page: its rules, the learner's attempts, start, continue or when to retake."""
    blueprint = get_visible_or_404(Blueprint, request.user, pk=pk)
    exam = _exam_of(request, blueprint.pk)
    return render(request, "exams/my_exam.html", {"exam": exam, "blueprint": blueprint})


@learner_only
@require_POST
def my_start(request, person, pk: int):
    blueprint = get_visible_or_404(Blueprint, request.user, pk=pk)
    return service_action(
        request,
        lambda: services.attempt_start(actor=request.user, blueprint=blueprint),
        redirect_to=lambda attempt: reverse("exams_me:attempt", kwargs={"pk": attempt.pk}),
        refused_redirect_to=reverse("exams_me:exam", kwargs={"pk": blueprint.pk}),
    )


def _attempt(request, pk: int) -> ExamAttempt:
    return get_visible_or_404(
        ExamAttempt.objects.select_related("blueprint__platform"), request.user, pk=pk
    )


@learner_only
def my_attempt(request, person, pk: int):
    """The paper (options in their drawn order, no key); a closed attempt shows its result.
    Opening an attempt past its deadline closes it (with what was saved before)."""
    attempt = _attempt(request, pk)
    if attempt.is_open:
        attempt = services.attempt_touch(actor=request.user, attempt=attempt)
    if not attempt.is_open:
        return redirect("exams_me:result", pk=attempt.pk)
    return render(
        request,
        "exams/my_attempt.html",
        {
            "attempt": attempt,
            "paper": selectors.paper_of(attempt),
            "save_url": reverse("exams_me:save", kwargs={"pk": attempt.pk}),
        },
    )


def _json(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationError(_("The page sent something unreadable.")) from None
    if not isinstance(data, dict):
        raise ValidationError(_("The page sent something unreadable."))
    return data


@learner_only
@require_POST
def my_save(request, person, pk: int):
    """One question's choice, saved as given (JSON ``{"position": 3, "choice": [0, 2]}``)."""
    attempt = _attempt(request, pk)
    try:
        data = _json(request)
        saved = services.attempt_save(
            actor=request.user,
            attempt=attempt,
            position=int(data.get("position") or 0),
            choice=data.get("choice") or [],
        )
    except (ValidationError, TypeError, ValueError) as error:
        messages = getattr(error, "messages", [_("The page sent something unreadable.")])
        attempt.refresh_from_db()
        return JsonResponse({"error": " ".join(messages), "open": attempt.is_open}, status=400)
    return JsonResponse({"position": saved.position, "choice": saved.choice, "saved": True})


def _posted_choices(request) -> dict[int, list[str]]:
    """``q<position>`` fields of the paper form (a radio or checkboxes each)."""
    choices = {}
    for key in request.POST:
        if key.startswith("q") and key[1:].isdigit():
            choices[int(key[1:])] = request.POST.getlist(key)
    return choices


@learner_only
@require_POST
def my_submit(request, person, pk: int):
    attempt = _attempt(request, pk)
    return service_action(
        request,
        lambda: services.attempt_submit(
            actor=request.user, attempt=attempt, choices=_posted_choices(request)
        ),
        redirect_to=reverse("exams_me:result", kwargs={"pk": attempt.pk}),
        refused_redirect_to=reverse("exams_me:attempt", kwargs={"pk": attempt.pk}),
    )


@learner_only
def my_result(request, person, pk: int):
    attempt = _attempt(request, pk)
    if attempt.is_open:
        return redirect("exams_me:attempt", pk=attempt.pk)
    exam = _exam_of(request, attempt.blueprint_id)
    return render(
        request,
        "exams/my_result.html",
        {
            "attempt": attempt,
            "areas": selectors.result_by_area(attempt),
            "exam": exam,
        },
    )
