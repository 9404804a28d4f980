"""Teacher pages: the list and registering a teacher."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from upskill.core.forms import form_action
from upskill.core.lists import list_context
from upskill.core.scoping import require_perm

from .. import lists, services
from ..forms import TeacherForm


@login_required
def teacher_list(request):
    context = list_context(request, lists.TEACHERS)
    if request.headers.get("HX-Request"):
        return render(request, "training/_teacher_rows.html", context)
    return render(request, "training/teacher_list.html", context)


@login_required
def teacher_create(request):
    require_perm(request.user, services.ADD_TEACHER)
    form = TeacherForm(request.POST or None)

    def create(data: dict) -> None:
        occupation = data.pop("occupation")
        services.teacher_create(
            actor=request.user,
            occupation=occupation,
            level=occupation.level if occupation else None,
            **data,
        )

    if response := form_action(
        request,
        form,
        create,
        success_message=_("The teacher was registered."),
        redirect_to="training:teacher_list",
    ):
        return response
    return render(request, "training/teacher_form.html", {"form": form})
