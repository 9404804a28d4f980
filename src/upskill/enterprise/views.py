"""Pages of the enterprise app: thin, they parse, call a service or selector, and render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from upskill.core.forms import form_action, import_action
from upskill.core.lists import list_context
from upskill.core.scoping import get_visible_or_404, require_perm, visible
from upskill.registry.identity import normalise_digits
from upskill.registry.models import Person
from upskill.registry.services import id_number_hash, person_for_declaration

from . import lists, selectors, services
from .forms import ContractForm, ContractsUploadForm, ContractUpdateForm, RecordForm
from .models import EmploymentContract, EnterpriseRecord

VIEW_CONTRACT = "enterprise.view_employmentcontract"
VIEW_RECORD = "enterprise.view_enterpriserecord"


def _render_index(request, contract_form=None, record_form=None):
    kind = request.GET.get("kind", "")
    context = list_context(request, lists.CONTRACTS)
    if request.headers.get("HX-Request"):
        return render(request, "enterprise/_contract_rows.html", context)
    return render(
        request,
        "enterprise/index.html",
        {
            **context,
            "records": selectors.records(actor=request.user, kind=kind)[:200],
            "kind": kind,
            "contract_form": contract_form or ContractForm(),
            "record_form": record_form or RecordForm(),
            "upload_form": ContractsUploadForm(),
        },
    )


@login_required
def index(request):
    """The enterprise's labour contracts and program records (HB61-PJ-1, HB61-CMP-1/2,
    HB45-APP-1, HB45-TEC-1, HB61-WFT-1); the bureau and the association read them."""
    require_perm(request.user, VIEW_CONTRACT)
    return _render_index(request)


def _declared(request, data: dict) -> Person:
    """The person a labour contract is declared for, by ID number and name; the contract makes
    them the enterprise's employee (its affiliation's basis). A refusal names the field."""
    return person_for_declaration(
        actor=request.user, id_number=data.pop("id_number"), name=data.pop("name")
    )


def _employee(request, data: dict) -> Person:
    """One of the enterprise's own employees (in its scope), by ID number: a program record is
    about a person it already employs or trains."""
    number = normalise_digits(data.pop("id_number"))
    person = (
        visible(Person, request.user).filter(id_number_hash=id_number_hash(number)).first()
        if number
        else None
    )
    if person is None:
        raise ValidationError(
            {
                "id_number": _(
                    "None of your employees has this ID number: record their labour contract first."
                )
            }
        )
    return person


@login_required
@require_POST
def contract_add(request):
    require_perm(request.user, services.ADD_CONTRACT)
    form = ContractForm(request.POST)
    if response := form_action(
        request,
        form,
        lambda data: services.contract_record(
            actor=request.user, person=_declared(request, data), **data
        ),
        redirect_to="enterprise:index",
        success_message=_("Labour contract recorded."),
    ):
        return response
    return _render_index(request, contract_form=form)


@login_required
@require_POST
def contracts_import(request):
    """A labour-contract list (劳动合同台账) imported in the background, all or nothing."""
    require_perm(request.user, services.ADD_CONTRACT)
    return import_action(
        request,
        lambda upload: services.contracts_import(actor=request.user, upload=upload),
        form=ContractsUploadForm(request.POST, request.FILES),
        back_to=reverse("enterprise:index"),
        invalid_message=_("Choose the labour-contract list."),
    )


@login_required
def contract_detail(request, pk: int):
    contract = get_visible_or_404(
        EmploymentContract.objects.select_related("person", "enterprise"),
        request.user,
        perm=VIEW_CONTRACT,
        pk=pk,
    )
    form = ContractUpdateForm(
        request.POST or None,
        initial={
            "years": contract.years,
            "ended": contract.ended,
            "consecutive_insured_months": contract.consecutive_insured_months,
            "insured_as_of": contract.insured_as_of,
            "unemployment_insured_months": contract.unemployment_insured_months,
        },
    )
    if request.method == "POST":
        require_perm(request.user, services.CHANGE_CONTRACT)
        if response := form_action(
            request,
            form,
            lambda data: services.contract_update(actor=request.user, contract=contract, **data),
            success_message=_("Labour contract updated."),
            redirect_to=reverse("enterprise:contract_detail", kwargs={"pk": contract.pk}),
        ):
            return response
    return render(
        request,
        "enterprise/contract_detail.html",
        {
            "contract": contract,
            "form": form,
            "permissions": selectors.contract_permissions(actor=request.user, obj=contract),
        },
    )


@login_required
@require_POST
def record_add(request):
    require_perm(request.user, services.ADD_RECORD)
    form = RecordForm(request.POST)
    if response := form_action(
        request,
        form,
        lambda data: services.record_add(
            actor=request.user, person=_employee(request, data), **data
        ),
        redirect_to="enterprise:index",
        success_message=_("Record added."),
    ):
        return response
    return _render_index(request, record_form=form)


@login_required
def record_detail(request, pk: int):
    record = get_visible_or_404(
        EnterpriseRecord.objects.select_related("person", "enterprise"),
        request.user,
        perm=VIEW_RECORD,
        pk=pk,
    )
    return render(request, "enterprise/record_detail.html", {"record": record})
