"""The curriculum as a table on the class page (issue 15.4): a row added inline, a weekly
pattern, rows pasted from Excel, a 课程表 spreadsheet, an earlier class's lessons. Each posts
with htmx and gets the curriculum back in place, its problems row by row; without htmx the
class page follows with the same messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from upskill.core import clock
from upskill.core.forms import apply_service_errors, error_text
from upskill.core.imports import ImportRejected
from upskill.core.scoping import get_visible_or_404

from .. import selectors, services
from ..forms import CopyForm, CurriculumUploadForm, LessonForm, PasteForm, PatternForm
from ..models import Lesson, TrainingClass


def curriculum_context(request, training_class: TrainingClass, **forms) -> dict:
    """What the curriculum table needs: the lessons, the plan check, the actor's rights, the
    forms (blank unless one is given back with its errors)."""
    user = request.user
    can = selectors.class_permissions(actor=user, obj=training_class)
    sources = selectors.curriculum_sources(actor=user, training_class=training_class)
    prefetched = getattr(training_class, "_prefetched_objects_cache", {})
    # the class page's class comes with its lessons prefetched (query budget); a fragment asks
    lessons = list(
        training_class.lessons.all()
        if "lessons" in prefetched
        else training_class.lessons.select_related("teacher")
    )
    return {
        "training_class": training_class,
        "lessons": lessons,
        "total_hours": sum((lesson.hours for lesson in lessons), 0),
        "check": selectors.plan_check(training_class) if training_class.is_editable else None,
        "can": can,
        "lesson_form": forms.get("lesson_form") or LessonForm(training_class=training_class),
        "pattern_form": forms.get("pattern_form") or PatternForm(training_class=training_class),
        "paste_form": forms.get("paste_form") or PasteForm(),
        "curriculum_upload_form": forms.get("upload_form") or CurriculumUploadForm(),
        "copy_form": forms.get("copy_form") or CopyForm(sources=sources),
        "has_sources": can.edit and sources.exists(),  # asked only where it is offered
        "row_errors": forms.get("row_errors") or [],
        "curriculum_columns": services.curriculum_columns(),
        "minutes_per_hour": services.minutes_per_class_hour(),
        "opened": forms.get("opened", ""),
        "start_state": start_state(training_class),
    }


def start_state(training_class: TrainingClass) -> str:
    """ "early" before the start date (the class cannot start yet), "late" after it (a reason is
    asked), else "" (HB61-PRJ-1, issue 15.6)."""
    today = clock.today()
    if today < training_class.start_date:
        return "early"
    return "late" if services.start_is_late(training_class) else ""


def _answer(request, training_class: TrainingClass, **forms):
    """The curriculum fragment for htmx, else the class page (the messages carry the news)."""
    if request.headers.get("HX-Request"):
        training_class.refresh_from_db()
        return render(
            request,
            "training/_curriculum.html",
            {**curriculum_context(request, training_class, **forms), "fragment": True},
        )
    for error in forms.get("row_errors") or []:
        messages.error(request, f"{_('Row')} {error.row} {error.field}: {error.message}")
    for name in ("lesson_form", "pattern_form", "paste_form", "upload_form", "copy_form"):
        form = forms.get(name)
        if form is not None and form.errors:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    return redirect(reverse("training:class_detail", args=[training_class.pk]) + "#curriculum")


def _added(request, lessons) -> None:
    count = len(lessons)
    messages.success(
        request,
        ngettext("%(n)d lesson was added.", "%(n)d lessons were added.", count) % {"n": count},
    )


def _run(request, training_class, form_name: str, form, action):
    """Call ``action`` (the service) with a valid form; a refusal goes back on the form, a
    refused batch of rows as its row-by-row report."""
    if not form.is_valid():
        return _answer(request, training_class, **{form_name: form, "opened": form_name})
    try:
        result = action(form.cleaned_data)
    except ImportRejected as exc:
        form.add_error(None, str(exc))
        return _answer(
            request,
            training_class,
            **{form_name: form, "row_errors": exc.errors, "opened": form_name},
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _answer(request, training_class, **{form_name: form, "opened": form_name})
    lessons = result.lessons if isinstance(result, services.Generated) else result
    _added(request, lessons)
    if isinstance(result, services.Generated) and result.skipped:
        messages.info(
            request,
            _("Public holidays skipped: %(days)s.")
            % {"days": "、".join(f"{day:%m-%d} {name}" for day, name in result.skipped)},
        )
    return _answer(request, training_class)


def _editable_class(request, pk: int) -> TrainingClass:
    return get_visible_or_404(TrainingClass, request.user, perm=services.CHANGE_CLASS, pk=pk)


@login_required
@require_POST
def lesson_add(request, pk: int):
    """One row of the table, added inline."""
    training_class = _editable_class(request, pk)
    form = LessonForm(request.POST, training_class=training_class)
    return _run(
        request,
        training_class,
        "lesson_form",
        form,
        lambda data: [
            services.lesson_create(actor=request.user, training_class=training_class, **data)
        ],
    )


@login_required
@require_POST
def lesson_remove(request, pk: int):
    lesson = get_visible_or_404(Lesson, request.user, perm=services.CHANGE_CLASS, pk=pk)
    training_class = lesson.training_class
    try:
        services.lesson_remove(actor=request.user, lesson=lesson)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _answer(request, training_class)


@login_required
@require_POST
def lessons_pattern(request, pk: int):
    """A weekly pattern between two dates, the public holidays skipped."""
    training_class = _editable_class(request, pk)
    form = PatternForm(request.POST, training_class=training_class)
    return _run(
        request,
        training_class,
        "pattern_form",
        form,
        lambda data: services.lessons_generate(
            actor=request.user, training_class=training_class, **data
        ),
    )


@login_required
@require_POST
def lessons_paste(request, pk: int):
    training_class = _editable_class(request, pk)
    form = PasteForm(request.POST)
    return _run(
        request,
        training_class,
        "paste_form",
        form,
        lambda data: services.lessons_paste(
            actor=request.user, training_class=training_class, text=data["text"]
        ),
    )


@login_required
@require_POST
def lessons_import(request, pk: int):
    training_class = _editable_class(request, pk)
    form = CurriculumUploadForm(request.POST, request.FILES)
    return _run(
        request,
        training_class,
        "upload_form",
        form,
        lambda data: services.lessons_import(
            actor=request.user, training_class=training_class, upload=data["file"]
        ),
    )


@login_required
@require_POST
def lessons_copy(request, pk: int):
    training_class = _editable_class(request, pk)
    form = CopyForm(
        request.POST,
        sources=selectors.curriculum_sources(actor=request.user, training_class=training_class),
    )
    return _run(
        request,
        training_class,
        "copy_form",
        form,
        lambda data: services.lessons_copy(
            actor=request.user, training_class=training_class, source=data["source"]
        ),
    )
