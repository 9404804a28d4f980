"""Class records (GA23-SYS-1): the first lesson, and the satisfaction survey (its public page,
its link and QR code)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core.forms import apply_service_errors, error_text, service_action
from upskill.core.scoping import get_visible_or_404

from .. import selectors, services
from ..forms import FirstLessonForm, SurveyForm
from ..models import SURVEY_QUESTIONS, TrainingClass
from ._common import _device_id, _qr_svg, _with_device


@login_required
@require_POST
def first_lesson(request, pk: int):
    training_class = get_visible_or_404(
        TrainingClass, request.user, perm=services.RECORD_FIRST_LESSON, pk=pk
    )
    form = FirstLessonForm(request.POST)
    url = reverse("training:class_detail", args=[pk]) + "#first-lesson"
    return service_action(
        request,
        lambda: services.first_lesson_record(
            actor=request.user, training_class=training_class, **form.cleaned_data
        ),
        success_message=_("The first lesson was recorded."),
        redirect_to=url,
        form=form,
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
            {"title": _("Survey"), "error": error_text(exc)},
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
            apply_service_errors(form, exc)
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
