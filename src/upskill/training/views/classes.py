"""Class pages: the list, the plan's form, the class ledger (台账, GA23-SYS-1), the state moves
(HB61-PRJ-1) and the curriculum."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core import hooks
from upskill.core.forms import form_action, service_action
from upskill.core.lists import list_context
from upskill.core.scoping import get_visible_or_404, require_perm

from .. import lists, selectors, services
from ..forms import (
    ClassForm,
    EnrolForm,
    FirstLessonForm,
    LeaveForm,
    ReasonForm,
    RosterUploadForm,
)
from ..models import TrainingClass
from ..transitions import TRANSITIONS
from .curriculum import curriculum_context


@login_required
def class_list(request):
    context = list_context(request, lists.CLASSES)
    if request.headers.get("HX-Request"):
        return render(request, "training/_class_rows.html", context)
    return render(request, "training/class_list.html", context)


def _detail_url(pk: int) -> str:
    return reverse("training:class_detail", kwargs={"pk": pk})


@login_required
def class_create(request):
    require_perm(request.user, services.ADD_CLASS)
    form = ClassForm(request.POST or None, actor=request.user)
    if response := form_action(
        request,
        form,
        lambda data: services.class_create(actor=request.user, **data),
        success_message=_("The class plan was saved as a draft."),
        redirect_to=lambda training_class: _detail_url(training_class.pk),
    ):
        return response
    return render(request, "training/class_form.html", {"form": form, "creating": True})


@login_required
def class_edit(request, pk: int):
    training_class = get_visible_or_404(
        TrainingClass, request.user, perm=services.CHANGE_CLASS, pk=pk
    )
    initial = {name: getattr(training_class, name) for name in services.PLAN_FIELDS}
    initial["teachers"] = list(training_class.teachers.all())
    form = ClassForm(request.POST or None, actor=request.user, initial=initial)
    if response := form_action(
        request,
        form,
        lambda data: services.class_update(
            actor=request.user, training_class=training_class, **data
        ),
        success_message=_("Saved."),
        redirect_to=_detail_url(training_class.pk),
    ):
        return response
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
    leaves = list(selectors.leave_requests(training_class))
    context = {
        **curriculum_context(request, training_class),
        "matrix": matrix,
        "survey": selectors.survey_results(training_class, enrolled=len(matrix.lines)),
        "leaves": leaves,
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

    def now(_result) -> str:
        training_class.refresh_from_db()
        return _("The class is now “%(status)s”.") % {"status": training_class.get_status_display()}

    return service_action(
        request,
        lambda: services.class_transition(
            actor=request.user,
            training_class=training_class,
            action=action,
            reason=request.POST.get("reason", ""),
        ),
        success_message=now,
        redirect_to=_detail_url(pk),
    )
