"""Enrolment pages: one trainee (also from the registry's find-by-number page), a trainee
leaving, the roster's import and its masked export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from upskill.core import hooks
from upskill.core.exports import xlsx_response_logged
from upskill.core.forms import form_error_text, import_action, service_action
from upskill.core.scoping import get_visible_or_404, visible
from upskill.core.stored_text import stored_text

from .. import selectors, services
from ..forms import EnrolForm, RosterUploadForm
from ..models import ENROLLING_STATES, Enrolment, TrainingClass


@login_required
@require_POST
def enrol(request, pk: int):
    training_class = get_visible_or_404(
        TrainingClass, request.user, perm=services.ADD_ENROLMENT, pk=pk
    )
    return _enrol(request, training_class)


def enrol_offer(*, actor) -> hooks.EnrolOffer | None:
    """Hook ``person.enrol_offer``: the approved or running classes the actor's organisation
    recruits for (its own; a township centre's, those held in its township, GA23 三(五)),
    for the registry's find-by-number page (the person is registered; enrolling is the only way
    on from there)."""
    organisation = getattr(actor, "organisation", None)
    if organisation is None or not actor.has_perm(services.ADD_ENROLMENT):
        return None
    classes = (
        visible(TrainingClass, actor)
        .filter(services.recruiting_classes_q(organisation), status__in=ENROLLING_STATES)
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
    url = reverse("training:class_detail", args=[pk]) + "#roster"
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(url)
    data = form.cleaned_data
    categories = [c for c in services.split_words(data["categories"])]
    return service_action(
        request,
        lambda: services.enrolment_create(
            actor=request.user,
            training_class=training_class,
            id_number=data["id_number"],
            name=data["name"],
            hukou=data["hukou"],
            phone=data["phone"],
            categories=categories,
            insured_months=data["insured_months"],
        ),
        success_message=lambda enrolment: (
            _("%(name)s was enrolled.") % {"name": enrolment.person.name}
        ),
        redirect_to=url,
    )


@login_required
@require_POST
def enrolment_withdraw(request, pk: int):
    enrolment = get_visible_or_404(
        Enrolment.objects.select_related("person"),
        request.user,
        perm=services.ADD_ENROLMENT,
        pk=pk,
    )
    return service_action(
        request,
        lambda: services.enrolment_withdraw(
            actor=request.user, enrolment=enrolment, reason=request.POST.get("reason", "")
        ),
        success_message=lambda _result: (
            _("%(name)s has left the class.") % {"name": enrolment.person.name}
        ),
        redirect_to=reverse("training:class_detail", args=[enrolment.training_class_id])
        + "#roster",
    )


@login_required
@require_POST
def roster_import(request, pk: int):
    """Upload a class roster (花名册); it is checked and enrolled as a background job whose page
    shows the progress, then the result or every bad row with its number."""
    training_class = get_visible_or_404(
        TrainingClass, request.user, perm=services.ADD_ENROLMENT, pk=pk
    )
    return import_action(
        request,
        lambda upload: services.roster_import(
            actor=request.user, training_class=training_class, upload=upload
        ),
        form=RosterUploadForm(request.POST, request.FILES),
        back_to=reverse("training:class_detail", args=[pk]),
        invalid_message=_("Choose the roster file."),
    )


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
    return xlsx_response_logged(
        request,
        description=stored_text(
            gettext_lazy("Class roster export (masked): %(name)s"), name=training_class.name
        ),
        name=f"roster-{training_class.pk}",
        sheet_title=_("Roster"),
        header=header,
        rows=rows,
    )
