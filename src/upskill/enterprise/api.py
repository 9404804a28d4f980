"""Enterprise records over JSON: labour contracts (HB61-PJ-1, WH20-OBJ-1) and program records
(HB61-CMP-1/2, HB45-APP-1, HB45-TEC-1, HB61-WFT-1); same scope as the pages. Read-only: the
records are written on the enterprise's page, through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Router, Schema
from ninja.pagination import paginate

from upskill.core.api import actor_of, permitted_actor
from upskill.core.pagination import PageNumberPagination
from upskill.core.scoping import get_visible_or_404

from . import selectors
from .models import EmploymentContract, EnterpriseRecord
from .views import VIEW_CONTRACT, VIEW_RECORD

router = Router(tags=["enterprise"])


class ContractOut(Schema):
    id: int
    enterprise_id: int
    person_id: int
    name: str
    id_number_masked: str
    signed: date
    years: Decimal
    ended: date | None
    still_employed: bool
    consecutive_insured_months: int
    insured_as_of: date
    unemployment_insured_months: int

    @staticmethod
    def resolve_name(obj: EmploymentContract) -> str:
        return obj.person.name

    @staticmethod
    def resolve_id_number_masked(obj: EmploymentContract) -> str:
        return obj.person.id_number_masked


class RecordOut(Schema):
    id: int
    kind: str
    program: str
    enterprise_id: int
    person_id: int
    name: str
    id_number_masked: str
    date: date
    period_start: date | None
    competition: str
    competition_level: str
    finalist: bool
    title: str
    months: int | None

    @staticmethod
    def resolve_name(obj: EnterpriseRecord) -> str:
        return obj.person.name

    @staticmethod
    def resolve_id_number_masked(obj: EnterpriseRecord) -> str:
        return obj.person.id_number_masked


@router.get("/employment-contracts", response=list[ContractOut])
@paginate(PageNumberPagination)
def contract_list(request):
    actor = permitted_actor(request, VIEW_CONTRACT)
    return selectors.contracts(actor=actor)


@router.get("/employment-contracts/{contract_id}", response=ContractOut)
def contract_detail(request, contract_id: int):
    actor = actor_of(request)
    return get_visible_or_404(
        selectors.contracts(actor=actor), actor, perm=VIEW_CONTRACT, pk=contract_id
    )


@router.get("/enterprise-records", response=list[RecordOut])
@paginate(PageNumberPagination)
def record_list(request, kind: str = ""):
    actor = permitted_actor(request, VIEW_RECORD)
    return selectors.records(actor=actor, kind=kind)


@router.get("/enterprise-records/{record_id}", response=RecordOut)
def record_detail(request, record_id: int):
    actor = actor_of(request)
    return get_visible_or_404(selectors.records(actor=actor), actor, perm=VIEW_RECORD, pk=record_id)
