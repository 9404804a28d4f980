from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill import policy
from upskill.core.forms import form_action, service_action
from upskill.core.scoping import get_visible_or_404, require_perm, visible

from . import selectors, services
from .forms import ParameterVersionForm, ShowForm, TryRecordForm
from .labels import value_text
from .models import ParameterVersion


def _lang() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "zh"


@login_required
def parameters(request):
    """Every parameter in force for a region on a date, with its legal reference."""
    form = ShowForm(request.GET or {"region": "421022", "date": timezone.localdate().isoformat()})
    rows = []
    if form.is_valid():
        rows = policy.parameters_in_force(
            selectors.parameters_in_effect(),
            form.cleaned_data["region"],
            form.cleaned_data["date"],
            lang=_lang(),
        )
    described = {item["name"]: item for item in policy.describe_parameters(lang=_lang())}
    for row in rows:  # the value as read, not as stored (issue 15.9)
        row["value_text"] = value_text(described[row["name"]]["kind"], row["value"])
    versions = list(
        visible(ParameterVersion, request.user).select_related("organisation", "created_by")
    )
    for version in versions:
        definition = described.get(version.parameter)
        version.label = definition["description"] if definition else version.parameter
        version.value_text = value_text(definition["kind"], version.value) if definition else ""
    return render(
        request,
        "policy_admin/parameters.html",
        {
            "form": form,
            "rows": rows,
            "versions": versions,
            "permissions": selectors.parameter_version_permissions(actor=request.user),
        },
    )


@login_required
def try_record(request):
    """A clerk tries one record and reads the explanation (the calculator's Python door)."""
    form = TryRecordForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = policy.evaluate(
            {"records": [form.record()]}, lang=_lang(), params=selectors.parameters_in_effect()
        )["results"][0]
    context = {"form": form, "result": result}
    if request.headers.get("HX-Request"):
        return render(request, "policy_admin/_result.html", context)
    return render(request, "policy_admin/try.html", context)


@login_required
def version_add(request):
    require_perm(request.user, "policy_admin.add_parameterversion")
    choices = [
        (item["name"], f"{item['description']} ({item['rule']})")
        for item in policy.describe_parameters(lang=_lang())
    ]
    initial = (
        {"region_code": request.user.organisation.region.code[:6]}
        if (request.user.organisation)
        else {}
    )
    form = ParameterVersionForm(request.POST or None, parameter_choices=choices, initial=initial)
    if response := form_action(
        request,
        form,
        lambda data: services.parameter_version_add(actor=request.user, **data),
        success_message=lambda version: (
            _("The version of %(name)s was added.")
            % {"name": dict(choices).get(version.parameter, version.parameter)}
        ),
        redirect_to=lambda version: (
            f"{_parameters_url()}?region={version.region_code}&date={version.valid_from}"
        ),
    ):
        return response
    return render(request, "policy_admin/version_form.html", {"form": form})


def _parameters_url() -> str:
    return reverse("policy_admin:parameters")


@login_required
@require_POST
def version_withdraw(request, pk: int):
    version = get_visible_or_404(ParameterVersion, request.user, pk=pk)
    return service_action(
        request,
        lambda: services.parameter_version_withdraw(
            actor=request.user, version=version, reason=request.POST.get("reason", "")
        ),
        success_message=_("The version was withdrawn."),
        redirect_to="policy_admin:parameters",
    )
