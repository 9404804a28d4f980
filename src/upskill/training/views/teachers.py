"""Teacher pages: the list and registering a teacher."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from upskill.core.forms import apply_service_errors
from upskill.core.pagination import paginate
from upskill.core.scoping import require_perm

from .. import selectors, services
from ..forms import TeacherForm


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
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The teacher was registered."))
            return redirect("training:teacher_list")
    return render(request, "training/teacher_form.html", {"form": form})
