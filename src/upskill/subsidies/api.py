"""Subsidy claims, their lines, payment batches, the ledger (read) and the public disclosure over
JSON. Same scoping as the pages: outside the scope 404, without the permission 403."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal

from ninja import Router, Schema
from ninja.pagination import paginate

from upskill.core.api import actor_of, permitted_actor
from upskill.core.pagination import PageNumberPagination
from upskill.core.scoping import get_visible_or_404, visible

from . import selectors
from .models import Claim, ClaimLine, LedgerEntry, PaymentBatch

router = Router(tags=["subsidies"])


class ItemOut(Schema):
    rule: str
    kind: str
    payee: str
    amount: Decimal
    message: str
    # GA23-FEE-1: a fee on an organiser's line is claimed by the township with its own claim,
    # whose item names the organiser's item it claims
    claimed_by_township: bool
    source_id: int | None


class LineOut(Schema):
    id: int
    claim_id: int
    person_name: str
    id_number_masked: str
    status: str
    total: Decimal
    decision: str
    decision_reason: str
    items: list[ItemOut]
    reasons: list[dict]

    @staticmethod
    def resolve_person_name(obj: ClaimLine) -> str:
        return obj.person.name

    @staticmethod
    def resolve_id_number_masked(obj: ClaimLine) -> str:
        return obj.person.id_number_masked

    @staticmethod
    def resolve_items(obj: ClaimLine) -> list[dict]:
        """Each item's sentence in the reader's language (Accept-Language), rendered from the
        facts stored at evaluation like the claim's page (issue 15.9)."""
        messages = {
            item["rule"]: item["message"]
            for item in selectors.explanation_for_reader(obj.explanation or {})["items"]
        }
        return [
            {
                "rule": item.rule,
                "kind": item.kind,
                "payee": item.payee,
                "amount": item.amount,
                "message": messages.get(item.rule, item.message),
                "claimed_by_township": item.claimed_by_township,
                "source_id": item.source_id,
            }
            for item in obj.items.all()
        ]

    @staticmethod
    def resolve_reasons(obj: ClaimLine) -> list[dict]:
        return selectors.explanation_for_reader(obj.explanation or {})["reasons"]


class ClaimPermissionsOut(Schema):
    """What the caller may do with the claim now (``selectors.claim_permissions``, the same as
    the claim's page)."""

    is_claimant: bool
    submit: bool
    reassemble: bool
    review: bool
    take: bool
    decide: bool
    return_claim: bool


class ClaimOut(Schema):
    id: int
    kind: str
    claimant: str
    class_id: int | None
    status: str
    period_year: int
    total: Decimal
    approved: Decimal
    notice_from: date | None
    notice_until: date | None
    return_reason: str
    permissions: ClaimPermissionsOut

    @staticmethod
    def resolve_permissions(obj: Claim, context) -> dict:
        actor = actor_of(context["request"])
        return asdict(selectors.claim_permissions(actor=actor, obj=obj))

    @staticmethod
    def resolve_claimant(obj: Claim) -> str:
        return obj.claimant.name

    @staticmethod
    def resolve_class_id(obj: Claim) -> int | None:
        return obj.training_class_id

    @staticmethod
    def resolve_total(obj: Claim) -> Decimal:
        return obj.accepted_total

    @staticmethod
    def resolve_approved(obj: Claim) -> Decimal:
        return obj.approved_total


class BatchOut(Schema):
    id: int
    reference: str
    fund: str
    payee: str
    status: str
    total: Decimal
    payments: list[dict]

    @staticmethod
    def resolve_fund(obj: PaymentBatch) -> str:
        return str(obj.fund)

    @staticmethod
    def resolve_payments(obj: PaymentBatch) -> list[dict]:
        return [
            {
                "reference": p.reference,
                "amount": p.amount,
                "status": p.status,
                "failure_reason": p.failure_reason,
            }
            for p in obj.items.all()
        ]


class LedgerEntryOut(Schema):
    seq: int
    at: datetime
    kind: str
    account: str
    fund_id: int
    amount: Decimal
    rule: str
    claim_line_id: int | None
    batch_id: int | None
    reverses_id: int | None
    memo: str
    prev_hash: str
    hash: str


class AggregateOut(Schema):
    key: str
    amount: Decimal
    people: int


class DisclosureOut(Schema):
    year: int
    total: AggregateOut
    fund: list[AggregateOut]
    program: list[AggregateOut]
    township: list[AggregateOut]
    institution: list[AggregateOut]


@router.get("/claims", response=list[ClaimOut])
@paginate(PageNumberPagination)
def claim_list(request):
    actor = permitted_actor(request, "subsidies.view_claim")
    return selectors.claim_list(actor=actor)


@router.get("/claims/{claim_id}", response=ClaimOut)
def claim_detail(request, claim_id: int):
    return get_visible_or_404(Claim, actor_of(request), perm="subsidies.view_claim", pk=claim_id)


@router.get("/claims/{claim_id}/lines", response=list[LineOut])
def claim_lines(request, claim_id: int):
    actor = actor_of(request)
    claim = get_visible_or_404(Claim, actor, perm="subsidies.view_claim", pk=claim_id)
    return (
        visible(ClaimLine, actor)
        .filter(claim=claim)
        .select_related("person", "claim")
        .prefetch_related("items")
    )


@router.get("/claim-lines/{line_id}", response=LineOut)
def line_detail(request, line_id: int):
    return get_visible_or_404(
        ClaimLine.objects.select_related("person", "claim").prefetch_related("items"),
        actor_of(request),
        perm="subsidies.view_claimline",
        pk=line_id,
    )


@router.get("/payment-batches", response=list[BatchOut])
@paginate(PageNumberPagination)
def batch_list(request):
    actor = permitted_actor(request, "subsidies.view_paymentbatch")
    return selectors.batch_list(actor=actor)


@router.get("/payment-batches/{batch_id}", response=BatchOut)
def batch_detail(request, batch_id: int):
    return get_visible_or_404(
        PaymentBatch, actor_of(request), perm="subsidies.view_paymentbatch", pk=batch_id
    )


@router.get("/ledger-entries", response=list[LedgerEntryOut])
@paginate(PageNumberPagination)
def ledger_list(request):
    actor = permitted_actor(request, "subsidies.view_ledgerentry")
    return selectors.ledger_entries(actor=actor)


@router.get("/ledger-entries/{seq}", response=LedgerEntryOut)
def ledger_detail(request, seq: int):
    return get_visible_or_404(
        LedgerEntry, actor_of(request), perm="subsidies.view_ledgerentry", seq=seq
    )


@router.get("/disclosure/{year}", response=DisclosureOut, auth=None)
def disclosure(request, year: int):
    """Public (HB45-PUB-1): aggregates and head-counts only."""
    data = selectors.disclosure(year=year)
    return {"year": year, "total": selectors.disclosure_total(year=year), **data}
