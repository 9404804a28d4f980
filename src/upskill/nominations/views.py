"""Pages of the Wuhan enrolment path: thin, they parse, call a service or selector, and render.
One index per kind of organisation (the association's calls and queue, the enterprise's
applications and employees, the institution's batches, the bureau's totals), a call, an
application, an employee put forward, a batch, and the learner's own page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core.forms import form_action, import_refusal, service_action
from upskill.core.scoping import get_visible_or_404, learner_only, require_perm, visible
from upskill.enterprise.models import EmploymentContract
from upskill.organisations.models import OrganisationKind

from . import selectors, services
from .forms import (
    ApplicationForm,
    BatchForm,
    CallForm,
    ExamForm,
    ImportForm,
    LeaveForm,
    MembershipForm,
    NominationForm,
    ReceiptForm,
    ScheduleForm,
    UploadForm,
    UseForm,
)
from .models import Application, Batch, Call, Channel, Nomination
from .pdf import agreements_pdf

VIEW_CALL = "nominations.view_call"
VIEW_APPLICATION = "nominations.view_application"
VIEW_NOMINATION = "nominations.view_nomination"
VIEW_BATCH = "nominations.view_batch"


def _kind(request) -> str:
    organisation = getattr(request.user, "organisation", None)
    return organisation.kind if organisation is not None else ""


def _render_index(request, call_form=None, membership_form=None):
    kind = _kind(request)
    user = request.user
    context = {
        "kind": kind,
        "queue": request.GET.get("queue", ""),
        "calls": selectors.calls(actor=user),
        "applications": selectors.applications(actor=user),
    }
    if kind == OrganisationKind.ASSOCIATION:
        context |= {
            "waiting": selectors.applications_waiting(actor=user),
            "memberships": selectors.memberships(actor=user),
            "call_form": call_form or CallForm(),
            "membership_form": membership_form or MembershipForm(),
            "may_add_call": user.has_perm(services.ADD_CALL),
            "may_add_member": user.has_perm(services.ADD_MEMBERSHIP),
        }
    elif user.has_perm(VIEW_NOMINATION):
        queue = request.GET.get("queue", "")
        nominations = (
            selectors.nominations_unsigned(actor=user)
            if queue == "unsigned"
            else selectors.nominations(actor=user)
        )
        nominations = list(nominations[:500])
        states = selectors.states_of(nominations)
        context |= {
            "rows": [(n, selectors.STATE_LABELS[states[n.pk]]) for n in nominations],
            "to_fill": selectors.applications_to_fill(actor=user)
            if kind == OrganisationKind.ENTERPRISE
            else [],
            "batches": selectors.batches(actor=user),
            "totals": selectors.totals(actor=user)
            if getattr(user.organisation, "jurisdiction_prefix", "") or user.is_superuser
            else None,
            "state_labels": selectors.STATES,
        }
    return render(request, "nominations/index.html", context)


@login_required
def index(request):
    """The enrolment path of the signed-in organisation (WH20-ENR-1/2, item 7 of issue 16)."""
    require_perm(request.user, VIEW_CALL)
    return _render_index(request)


@login_required
@require_POST
def call_add(request):
    require_perm(request.user, services.ADD_CALL)
    form = CallForm(request.POST)
    if response := form_action(
        request,
        form,
        lambda data: services.call_create(actor=request.user, **data),
        redirect_to=lambda call: reverse("nominations:call_detail", kwargs={"pk": call.pk}),
        success_message=_("Call opened."),
    ):
        return response
    return _render_index(request, call_form=form)


@login_required
@require_POST
def membership_add(request):
    require_perm(request.user, services.ADD_MEMBERSHIP)
    form = MembershipForm(request.POST)
    if response := form_action(
        request,
        form,
        lambda data: services.membership_add(actor=request.user, **data),
        redirect_to="nominations:index",
        success_message=_("Member recorded."),
    ):
        return response
    return _render_index(request, membership_form=form)


def _call_context(request, call, *, application_form=None, batch_form=None):
    user = request.user
    can = selectors.call_permissions(actor=user, obj=call)
    batches = selectors.batches(actor=user, call=call)
    return {
        "call": call,
        "can": can,
        "applications": selectors.applications(actor=user, call=call),
        "own": selectors.applications(actor=user, call=call).filter(
            enterprise_id=getattr(user, "organisation_id", None)
        ),
        "batches": batches,
        "progress": selectors.progress(actor=user, call=call) if can.schedule else [],
        "state_labels": selectors.STATES,
        "schedule_form": ScheduleForm(batches=batches),
        "application_form": application_form or ApplicationForm(),
        "batch_form": batch_form or BatchForm(),
    }


@login_required
def call_detail(request, pk: int):
    """A call: the association's queue in order of registration (WH20-ENR-1), its batches and
    its members' counts; a member enterprise's application form and status."""
    call = get_visible_or_404(Call, request.user, perm=VIEW_CALL, pk=pk)
    return render(request, "nominations/call_detail.html", _call_context(request, call))


@login_required
@require_POST
def application_submit(request, pk: int):
    call = get_visible_or_404(Call, request.user, perm=services.ADD_APPLICATION, pk=pk)
    form = ApplicationForm(request.POST)
    if response := form_action(
        request,
        form,
        lambda data: services.application_submit(actor=request.user, call=call, **data),
        redirect_to=reverse("nominations:call_detail", kwargs={"pk": call.pk}),
        success_message=_("Application filed."),
    ):
        return response
    return render(
        request,
        "nominations/call_detail.html",
        _call_context(request, call, application_form=form),
    )


@login_required
@require_POST
def batch_add(request, pk: int):
    call = get_visible_or_404(Call, request.user, perm=services.ADD_BATCH, pk=pk)
    form = BatchForm(request.POST)
    if response := form_action(
        request,
        form,
        lambda data: services.batch_create(actor=request.user, call=call, **data),
        redirect_to=reverse("nominations:call_detail", kwargs={"pk": call.pk}),
        success_message=_("Batch made."),
    ):
        return response
    return render(
        request, "nominations/call_detail.html", _call_context(request, call, batch_form=form)
    )


@login_required
@require_POST
def application_schedule(request, pk: int):
    application = get_visible_or_404(
        Application, request.user, perm=services.SCHEDULE_APPLICATION, pk=pk
    )
    back = reverse("nominations:call_detail", kwargs={"pk": application.call_id})
    form = ScheduleForm(request.POST, batches=selectors.batches(actor=request.user))
    return service_action(
        request,
        lambda: services.application_schedule(
            actor=request.user, application=application, batch=form.cleaned_data["batch"]
        ),
        redirect_to=back,
        success_message=_("Application scheduled."),
        form=form,
    )


def _application_context(request, application, *, form=None):
    user = request.user
    can = selectors.application_permissions(actor=user, obj=application)
    nominations = list(selectors.nominations(actor=user, application=application))
    states = selectors.states_of(nominations)
    contracts = (
        visible(EmploymentContract, user)
        .filter(enterprise=application.enterprise, ended__isnull=True)
        .exclude(person__nominations__application=application)
        .select_related("person")
    )
    return {
        "application": application,
        "can": can,
        "rows": [(n, selectors.STATE_LABELS[states[n.pk]]) for n in nominations],
        "form": form
        or NominationForm(
            contracts=contracts,
            occupations=selectors.batch_occupations(application.batch),
            general_names=application.call.general_occupations,
        ),
        "import_form": ImportForm(),
        "columns": services.NOMINATION_COLUMNS,
    }


@login_required
def application_detail(request, pk: int):
    """An application (附件1) with its status; for the enterprise, its employees put forward
    and the form to put more forward (WH20-ENR-2, WH20-OBJ-1)."""
    application = get_visible_or_404(
        Application.objects.select_related("call", "enterprise", "batch"),
        request.user,
        perm=VIEW_APPLICATION,
        pk=pk,
    )
    return render(
        request, "nominations/application_detail.html", _application_context(request, application)
    )


@login_required
@require_POST
def nomination_add(request, pk: int):
    application = get_visible_or_404(Application, request.user, perm=services.ADD_NOMINATION, pk=pk)
    context = _application_context(request, application)
    form = context["form"].__class__(
        request.POST,
        contracts=context["form"].fields["contract"].queryset,
        occupations=selectors.batch_occupations(application.batch),
        general_names=application.call.general_occupations,
    )
    if response := form_action(
        request,
        form,
        lambda data: services.nomination_put_forward(
            actor=request.user, application=application, **data
        ),
        redirect_to=reverse("nominations:application_detail", kwargs={"pk": application.pk}),
        success_message=_("Employee put forward."),
    ):
        return response
    context["form"] = form
    return render(request, "nominations/application_detail.html", context)


@login_required
@require_POST
def nominations_import(request, pk: int):
    application = get_visible_or_404(Application, request.user, perm=services.ADD_NOMINATION, pk=pk)
    form = ImportForm(request.POST, request.FILES)
    return service_action(
        request,
        import_refusal(
            lambda: services.nominations_import(
                actor=request.user, application=application, upload=form.cleaned_data["file"]
            )
        ),
        redirect_to=reverse("nominations:application_detail", kwargs={"pk": application.pk}),
        success_message=lambda made: _("%(n)d employees put forward.") % {"n": len(made)},
        form=form,
        each_message=True,
    )


def _nomination(request, pk: int, perm: str = VIEW_NOMINATION) -> Nomination:
    return get_visible_or_404(
        selectors.nominations(actor=request.user), request.user, perm=perm, pk=pk
    )


@login_required
def nomination_detail(request, pk: int):
    """One employee put forward: occupations, months with their source, fee and receipts
    (WH20-FEE-1), registration, agreements and leaving (WH20-LVE-1)."""
    nomination = _nomination(request, pk)
    state = selectors.states_of([nomination])[nomination.pk]
    return render(
        request,
        "nominations/nomination_detail.html",
        {
            "nomination": nomination,
            "state": selectors.STATE_LABELS[state],
            "can": selectors.nomination_permissions(actor=request.user, obj=nomination),
            "fee": selectors.fee_of(nomination),
            "receipts": selectors.receipts(actor=request.user, nomination=nomination),
            "receipt_form": ReceiptForm(),
            "upload_form": UploadForm(),
            "exam_form": ExamForm(),
            "leave_form": LeaveForm(),
        },
    )


def _back(nomination: Nomination) -> str:
    return reverse("nominations:nomination_detail", kwargs={"pk": nomination.pk})


@login_required
@require_POST
def nomination_register(request, pk: int):
    nomination = _nomination(request, pk, services.CHANGE_NOMINATION)
    return service_action(
        request,
        lambda: services.nomination_register(
            actor=request.user, nomination=nomination, channel=Channel.ONSITE
        ),
        redirect_to=_back(nomination),
        success_message=_("Registration recorded: the employee is enrolled."),
    )


@login_required
@require_POST
def receipt_add(request, pk: int):
    nomination = _nomination(request, pk, services.ADD_RECEIPT)
    form = ReceiptForm(request.POST)
    return service_action(
        request,
        lambda: services.receipt_record(
            actor=request.user, nomination=nomination, **form.cleaned_data
        ),
        redirect_to=_back(nomination),
        success_message=_("Receipt recorded."),
        form=form,
    )


@login_required
@require_POST
def agreements_upload(request, pk: int):
    nomination = _nomination(request, pk, services.CHANGE_NOMINATION)
    form = UploadForm(request.POST, request.FILES)
    return service_action(
        request,
        lambda: services.agreements_upload(
            actor=request.user, nomination=nomination, upload=form.cleaned_data["file"]
        ),
        redirect_to=_back(nomination),
        success_message=_("Signed copy recorded."),
        form=form,
    )


@login_required
@require_POST
def exam_register(request, pk: int):
    nomination = _nomination(request, pk, services.CHANGE_NOMINATION)
    form = ExamForm(request.POST)
    return service_action(
        request,
        lambda: services.exam_registration_record(
            actor=request.user, nomination=nomination, on=form.cleaned_data["on"]
        ),
        redirect_to=_back(nomination),
        success_message=_("Exam registration recorded."),
        form=form,
    )


@login_required
@require_POST
def nomination_leave(request, pk: int):
    nomination = _nomination(request, pk, services.CHANGE_NOMINATION)
    form = LeaveForm(request.POST)
    return service_action(
        request,
        lambda: services.nomination_leave(
            actor=request.user, nomination=nomination, **form.cleaned_data
        ),
        redirect_to=_back(nomination),
        success_message=lambda n: (
            _("Leaving recorded: deduction %(amount)s yuan (WH20-LVE-1).") % {"amount": n.deduction}
        ),
        form=form,
    )


def _pdf_response(nomination: Nomination) -> HttpResponse:
    response = HttpResponse(agreements_pdf(nomination), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agreements-{nomination.pk}.pdf"'
    return response


@login_required
def nomination_pdf(request, pk: int):
    """The 告知事项 and the 代扣协议书 of the employee, generated from the enrolment."""
    return _pdf_response(_nomination(request, pk))


@login_required
def batch_detail(request, pk: int):
    """A batch: its institution, platform and dates, its applications, and the institution's
    statement of how the subsidy is used (WH20-USE-1)."""
    batch = get_visible_or_404(
        Batch.objects.select_related("call", "institution", "platform"),
        request.user,
        perm=VIEW_BATCH,
        pk=pk,
    )
    form = UseForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, services.ADD_SUBSIDY_USE)
        if response := form_action(
            request,
            form,
            lambda data: services.subsidy_use_record(actor=request.user, batch=batch, **data),
            redirect_to=reverse("nominations:batch_detail", kwargs={"pk": batch.pk}),
            success_message=_("Use of subsidy recorded."),
        ):
            return response
    return render(
        request,
        "nominations/batch_detail.html",
        {
            "batch": batch,
            "applications": selectors.applications(actor=request.user).filter(batch=batch),
            "uses": selectors.uses(actor=request.user, batch=batch),
            "form": form,
            "may_add_use": batch.institution_id == getattr(request.user, "organisation_id", None)
            and request.user.has_perm(services.ADD_SUBSIDY_USE),
        },
    )


# -- the learner's own page --------------------------------------------------------------------


def _own(request, pk: int) -> Nomination:
    """The learner's own nomination (404 for anyone else's)."""
    return get_visible_or_404(selectors.nominations(actor=request.user), request.user, pk=pk)


def _staff_page(request, pk: int) -> str:
    """Where a member of staff who opened a learner's page goes: the nomination's staff page."""
    return _back(_nomination(request, pk))


@learner_only(staff_to=_staff_page)
def my_nomination(request, person, pk: int):
    """The employee's own enrolment: register online (WH20 三(二)), read the agreements and
    confirm them (WH20-LVE-1). Works on a phone."""
    nomination = _own(request, pk)
    return render(
        request,
        "nominations/my_nomination.html",
        {
            "nomination": nomination,
            "fee": selectors.fee_of(nomination),
            "can": selectors.nomination_permissions(actor=request.user, obj=nomination),
            "state": selectors.STATE_LABELS[selectors.states_of([nomination])[nomination.pk]],
        },
    )


@require_POST
@learner_only(staff_to=_staff_page)
def my_register(request, person, pk: int):
    nomination = _own(request, pk)
    return service_action(
        request,
        lambda: services.nomination_register(
            actor=request.user, nomination=nomination, channel=Channel.ONLINE
        ),
        redirect_to=reverse("nominations:my_nomination", kwargs={"pk": nomination.pk}),
        success_message=_("You are registered."),
    )


@require_POST
@learner_only(staff_to=_staff_page)
def my_confirm(request, person, pk: int):
    nomination = _own(request, pk)
    return service_action(
        request,
        lambda: services.agreements_confirm(actor=request.user, nomination=nomination),
        redirect_to=reverse("nominations:my_nomination", kwargs={"pk": nomination.pk}),
        success_message=_("Agreements confirmed."),
    )


@learner_only(staff_to=_staff_page)
def my_pdf(request, person, pk: int):
    return _pdf_response(_own(request, pk))
