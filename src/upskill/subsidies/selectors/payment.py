"""Funds in use, payment batches, the bank file's rows (masked unless exported), the ledger and its
checkpoints, and the trainee's unpaid allowance money.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse

from upskill.core.scoping import visible
from upskill.registry.models import BankAccount, BankAccountChangeRequest, ChangeStatus

from .. import ledger
from ..models import (
    ClaimItem,
    Decision,
    EntryKind,
    Fund,
    LedgerCheckpoint,
    LedgerEntry,
    Payee,
    PayeeAccount,
    PaymentBatch,
    PaymentItem,
    PaymentStatus,
)


@dataclass(frozen=True)
class BankRow:
    reference: str
    account_name: str
    account_number: str  # full in the file, masked on screen
    bank_name: str
    branch_code: str
    amount: Decimal


def account_in_use(payment: PaymentItem):
    """The account in use now: the trainee's active registry account (only a change that passed
    the registry's rules is active), or the payee organisation's (the organiser's, for an
    advance, HB45-ADV-1)."""
    if payment.advance_id:
        return PayeeAccount.objects.filter(organisation_id=payment.advance.claimant_id).first()
    item = payment.item
    if item.payee == Payee.TRAINEE:
        return item.line.person.bank_accounts.filter(is_active=True).first()
    if item.payee_organisation_id:
        return PayeeAccount.objects.filter(organisation_id=item.payee_organisation_id).first()
    return None


def bank_row(payment: PaymentItem, account, *, full: bool) -> BankRow:
    return BankRow(
        reference=payment.reference,
        account_name=account.account_name if account else "",
        account_number=(
            (account.account_number if full else account.account_number_masked) if account else ""
        ),
        bank_name=account.bank_name if account else "",
        branch_code=account.branch_code if account else "",
        amount=payment.amount,
    )


def batch_rows(batch: PaymentBatch, *, full: bool = False) -> list[BankRow]:
    """The rows of the bank's file: the account numbers are masked unless ``full`` (the export,
    see :func:`batch_export`). A payment exported before names the account it was exported
    with (``PaymentItem.account_*``), never the one in use now."""
    payments = batch.items.filter(status=PaymentStatus.PENDING).select_related(
        "item__line__person", "item__payee_organisation", "batch", "advance"
    )
    return [
        bank_row(
            payment, payment if payment.account_fixed_at else account_in_use(payment), full=full
        )
        for payment in payments
    ]


@dataclass(frozen=True)
class FundUse:
    fund: Fund
    committed: Decimal
    disbursed: Decimal
    remaining: Decimal


def fund_overview(*, actor) -> list[FundUse]:
    return [
        FundUse(f, ledger.committed(f), ledger.disbursed(f), ledger.remaining(f))
        for f in visible(Fund, actor).select_related("region")
    ]


def batch_list(*, actor) -> QuerySet[PaymentBatch]:
    # the list shows each batch's total (PaymentBatch.total reads its items)
    return (
        visible(PaymentBatch, actor)
        .select_related("fund__region", "county")
        .prefetch_related("items")
    )


def ledger_entries(*, actor) -> QuerySet[LedgerEntry]:
    return visible(LedgerEntry, actor).select_related("fund", "batch", "organisation", "person")


def ledger_checkpoints(*, actor) -> QuerySet[LedgerCheckpoint]:
    """The ledger's signed checkpoints, newest first (HB45-PUB-1)."""
    return visible(LedgerCheckpoint, actor).order_by("-seq", "-created_at")


def unpaid_approved_items(*, person) -> QuerySet[ClaimItem]:
    """The person's own money approved and not paid yet: items payable to the trainee whose
    line is approved (charged to a fund once the claim is approved) with no payment entry in
    the ledger, and not given up (a cancelled payment reverses its charge). While there is any,
    a change of the person's bank account waits for the payment clerk (registry asks through
    the hook ``person.unpaid_money``)."""
    return (
        ClaimItem.objects.filter(
            payee=Payee.TRAINEE, line__person=person, line__decision=Decision.APPROVED
        )
        .exclude(entries__kind=EntryKind.PAYMENT)
        .exclude(payment__status=PaymentStatus.CANCELLED)
    )


def person_has_unpaid_money(*, person) -> bool:
    return unpaid_approved_items(person=person).exists()


def person_subsidy_paid(*, person, training_class) -> bool:
    """Whether money of the person's training in the class has been paid (hook
    ``person.subsidy_paid``: an employee's state in the Wuhan enrolment path)."""
    return PaymentItem.objects.filter(
        item__line__person=person,
        item__line__enrolment__training_class=training_class,
        status=PaymentStatus.PAID,
    ).exists()


@dataclass(frozen=True)
class PaymentAccount:
    """What the batch page says of a payment's account: the one it was exported with (masked),
    the one in use now when it differs, and a change waiting for a decision."""

    exported_masked: str
    current_masked: str
    changed_since_export: bool
    pending_change: object | None
    changes_url: str


def batch_accounts(batch: PaymentBatch, payments) -> dict[int, PaymentAccount]:
    """For each payment of the batch (by pk), its account's state, in a fixed number of
    queries."""

    payments = list(payments)
    person_ids = {
        p.item.line.person_id for p in payments if p.item and p.item.payee == Payee.TRAINEE
    }
    current = {
        a.person_id: a for a in BankAccount.objects.filter(person_id__in=person_ids, is_active=True)
    }
    pending = {
        c.person_id: c
        for c in BankAccountChangeRequest.objects.filter(
            person_id__in=person_ids, status=ChangeStatus.PENDING
        )
    }
    organisations = {
        a.organisation_id: a
        for a in PayeeAccount.objects.filter(
            organisation_id__in={_payee_organisation_id(p) for p in payments}
        )
    }
    states = {}
    for payment in payments:
        item = payment.item
        if item is not None and item.payee == Payee.TRAINEE:
            account = current.get(item.line.person_id)
            changed = payment.account_fixed_at is not None and (
                account is None or account.pk != payment.bank_account_id
            )
            url = reverse("registry:bank_account_changes") + f"?person={item.line.person_id}"
            waiting = pending.get(item.line.person_id)
        else:
            account = organisations.get(_payee_organisation_id(payment))
            changed = payment.account_fixed_at is not None and (
                account is None or account.account_number != payment.account_number
            )
            url, waiting = "", None
        states[payment.pk] = PaymentAccount(
            exported_masked=payment.account_number_masked if payment.account_fixed_at else "",
            current_masked=account.account_number_masked if account else "",
            changed_since_export=changed,
            pending_change=waiting,
            changes_url=url,
        )
    return states


def _payee_organisation_id(payment: PaymentItem) -> int | None:
    """The organisation paid: the claim item's payee, or the organiser of an advance."""
    return payment.advance.claimant_id if payment.advance_id else payment.item.payee_organisation_id
