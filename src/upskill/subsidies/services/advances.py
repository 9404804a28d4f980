"""Advance payments of project-based training (HB45-ADV-1) and the bureau's fund rules
(HB45-FND-1).

The organiser of an approved class applies (:func:`advance_apply`) for the share in force of
the subsidy the engine computes for the enrolled trainees as if each attended in full and
passed; the bureau's reviewer approves it, charged to a fund that may pay it
(:func:`advance_approve`), or refuses it. The payment clerk's organiser batch
(:func:`~.payment.batch_create`) takes it like any approved amount, the bank's file pays it,
and the bank's answer records the disbursement (:func:`advance_paid`). The class's final claim
deducts it when approved (:func:`advance_settle`); what that claim does not cover becomes a
receivable in the ledger. Money is Decimal, the ledger is append-only, a payment pays once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core.actor import user_of
from upskill.core.scoping import Actor, get_visible_or_404, require_perm
from upskill.organisations.models import Region
from upskill.training.models import ENROLLING_STATES, TrainingClass

from .. import ledger
from ..models import (
    ZERO,
    Account,
    Advance,
    AdvanceDeduction,
    AdvanceStatus,
    Claim,
    ClaimItem,
    EntryKind,
    Fund,
    FundRule,
    FundSource,
    LedgerEntry,
    PaymentBatch,
    PaymentItem,
)
from ..selectors.advances import (
    ADVANCE_RULE,
    ITEM_KIND_LABELS,
    NOT_RUNNING,
    ORGANISER_PAYEES,
    advance_quote,
    fund_refusal,
)
from ._common import CHANGE_FUND, REVIEW, SUBMIT, _bureau


@transaction.atomic
def advance_apply(*, actor: Actor, training_class: TrainingClass) -> Advance:
    """The organiser of an approved (or running) class applies for its advance (HB45-ADV-1):
    the amount is the engine's, never typed."""
    require_perm(actor, SUBMIT)
    training_class = get_visible_or_404(
        TrainingClass.objects.select_for_update(), actor, pk=training_class.pk
    )
    organisation = getattr(actor, "organisation", None)
    if organisation is None or organisation.pk != training_class.organisation_id:
        raise PermissionDenied(_("Only the organiser of the class applies for its advance."))
    if training_class.advances.exclude(
        status__in=[AdvanceStatus.REFUSED, AdvanceStatus.CANCELLED]
    ).exists():
        raise ValidationError(_("HB45-ADV-1: this class already has an advance."))
    quote = advance_quote(training_class)
    if quote.problem:
        raise ValidationError(quote.problem)
    return Advance.objects.create(
        training_class=training_class,
        claimant=organisation,
        county=Region.objects.get(code=training_class.county_code),
        trainees=quote.trainees,
        basis=quote.basis,
        share=quote.share,
        amount=quote.amount,
        explanation={
            "share": quote.reference,
            "items": [{**row, "amount": f"{row['amount']:.2f}"} for row in quote.items],
        },
        applied_by=user_of(actor),
    )


def _reviewed(actor: Actor, advance: Advance) -> Advance:
    require_perm(actor, REVIEW)
    _bureau(actor)
    advance = get_visible_or_404(Advance.objects.select_for_update(), actor, pk=advance.pk)
    user = user_of(actor)
    if user is not None and advance.applied_by_id == user.pk:
        raise PermissionDenied(_("The applicant of an advance cannot review it."))
    if advance.status != AdvanceStatus.APPLIED:
        raise ValidationError(_("This advance has been decided already."))
    return advance


def advance_kinds(advance: Advance) -> list[tuple[str, date]]:
    """The kinds of item the advance is a share of, on the class's start date."""
    on = advance.training_class.start_date
    return [(row["kind"], on) for row in advance.explanation.get("items", [])]


@transaction.atomic
def advance_approve(
    *, actor: Actor, advance: Advance, fund: Fund, today: date | None = None
) -> Advance:
    """The bureau's reviewer approves the advance and charges it to ``fund``: a fund of the
    class's county and year that may pay the items advanced (HB45-FND-1), with enough budget
    left. It is then due to the organiser in the next organiser payment batch."""
    advance = _reviewed(actor, advance)
    today = today or timezone.localdate()
    if advance.training_class.status not in ENROLLING_STATES:
        # once the class has finished, its final claim pays it: nothing more is advanced
        raise ValidationError(NOT_RUNNING)
    fund = get_visible_or_404(Fund.objects.select_for_update(), actor, pk=fund.pk)
    year = advance.training_class.start_date.year
    if fund.region_id != advance.county_id or fund.year not in (today.year, year):
        raise ValidationError({"fund": _("Choose a fund of the class's county and year.")})
    refusal = fund_refusal(fund, advance_kinds(advance))
    if refusal:
        raise ValidationError({"fund": refusal})
    left = ledger.remaining(fund)
    if advance.amount > left:
        raise ValidationError(
            {
                "fund": _("%(fund)s has %(left)s left; this advance needs %(total)s.")
                % {"fund": fund, "left": left, "total": advance.amount}
            }
        )
    advance.charge = ledger.append(
        actor=actor,
        kind=EntryKind.CHARGE,
        account=Account.COMMITTED,
        fund=fund,
        amount=advance.amount,
        rule=ADVANCE_RULE,
        memo=f"advance {advance.pk}",
        organisation=advance.claimant,
    )
    advance.fund = fund
    advance.status = AdvanceStatus.APPROVED
    advance.reviewed_by, advance.reviewed_at = user_of(actor), timezone.now()
    advance.save(update_fields=["charge", "fund", "status", "reviewed_by", "reviewed_at"])
    return advance


@transaction.atomic
def advance_refuse(*, actor: Actor, advance: Advance, reason: str) -> Advance:
    advance = _reviewed(actor, advance)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    advance.status = AdvanceStatus.REFUSED
    advance.refusal_reason = reason.strip()
    advance.reviewed_by, advance.reviewed_at = user_of(actor), timezone.now()
    advance.save(update_fields=["status", "refusal_reason", "reviewed_by", "reviewed_at"])
    return advance


def advances_due(*, fund: Fund, user) -> list[Advance]:
    """Approved advances charged to ``fund`` and in no batch yet, locked (for
    :func:`~.payment.batch_create`); the payment clerk never pays an advance they approved."""
    due = Advance.objects.filter(
        fund=fund, status=AdvanceStatus.APPROVED, payment__isnull=True
    ).select_for_update(of=("self",))
    if user is not None:
        due = due.exclude(reviewed_by=user)
    return list(due.order_by("pk"))


def advance_batch_add(*, batch: PaymentBatch, advance: Advance) -> PaymentItem:
    """An approved advance joins an organiser batch (the unique ``PaymentItem.advance``: once)."""
    return PaymentItem.objects.create(batch=batch, advance=advance, amount=advance.amount)


def advance_paid(*, actor: Actor, payment: PaymentItem) -> LedgerEntry:
    """The bank paid the advance: the disbursement enters the ledger (HB45-ADV-1)."""
    advance = Advance.objects.select_for_update().get(pk=payment.advance_id)
    entry = ledger.append(
        actor=actor,
        kind=EntryKind.ADVANCE,
        account=Account.DISBURSED,
        fund=payment.batch.fund,
        amount=payment.amount,
        rule=ADVANCE_RULE,
        memo=payment.reference,
        batch=payment.batch,
        organisation=advance.claimant,
    )
    advance.status = AdvanceStatus.PAID
    advance.save(update_fields=["status"])
    return entry


def advance_payment_cancelled(*, actor: Actor, payment: PaymentItem, reason: str) -> None:
    """A failed advance payment given up: its charge is reversed; the organiser may apply
    again."""
    advance = Advance.objects.select_for_update().get(pk=payment.advance_id)
    if advance.charge_id and not LedgerEntry.objects.filter(reverses=advance.charge_id).exists():
        ledger.reverse(actor=actor, entry=advance.charge, memo=reason)
    advance.status = AdvanceStatus.CANCELLED
    advance.save(update_fields=["status"])


def advance_settle(*, actor: Actor, claim: Claim, items: Iterable[ClaimItem]) -> dict[int, Decimal]:
    """At the final claim's approval (inside :func:`~.review.claim_approve`): the class's paid
    advance is deducted from the organiser's approved items, in order, and what they do not
    cover becomes a receivable of the ledger (HB45-ADV-1). Returns claim item pk → deducted.
    An advance approved and not paid yet stops the approval: pay it or give it up first."""
    if claim.training_class_id is None:
        return {}
    advances = list(
        Advance.objects.select_for_update().filter(
            training_class_id=claim.training_class_id,
            status__in=[AdvanceStatus.APPROVED, AdvanceStatus.PAID],
        )
    )
    if any(a.status == AdvanceStatus.APPROVED for a in advances):
        raise ValidationError(
            _(
                "HB45-ADV-1: the advance of this class is approved but not paid yet; "
                "pay it or give its payment up before approving the final claim."
            )
        )
    deducted: dict[int, Decimal] = {}
    organiser_items = sorted(
        (i for i in items if i.payee in ORGANISER_PAYEES), key=lambda item: item.pk
    )
    for advance in advances:
        left = advance.amount
        for item in organiser_items:
            if left <= 0:
                break
            room = item.amount - deducted.get(item.pk, ZERO)
            amount = min(room, left)
            if amount <= 0:
                continue
            AdvanceDeduction.objects.create(advance=advance, claim_item=item, amount=amount)
            deducted[item.pk] = deducted.get(item.pk, ZERO) + amount
            left -= amount
        if left > 0:
            ledger.append(
                actor=actor,
                kind=EntryKind.RECEIVABLE,
                account=Account.RECEIVABLE,
                fund=advance.fund,
                amount=left,
                rule=ADVANCE_RULE,
                memo=f"advance {advance.pk} not covered by claim {claim.pk}",
                organisation=advance.claimant,
            )
        advance.receivable = max(left, ZERO)
        advance.status = AdvanceStatus.SETTLED
        advance.settled_by_claim = claim
        advance.save(update_fields=["receivable", "status", "settled_by_claim"])
    return deducted


# -- fund rules (HB45-FND-1) ---------------------------------------------------------------------


@transaction.atomic
def fund_rule_set(
    *, actor: Actor, region: Region, source: str, kinds: Iterable[str] | None
) -> FundRule | None:
    """The bureau's setting: the kinds of item a fund source of its county may pay. ``None``
    (or every kind) removes the restriction, the default. The policy's reservations
    (``funds.sources_by_kind``: living allowances only from the employment subsidy fund) apply
    whatever the setting."""
    require_perm(actor, CHANGE_FUND)
    _bureau(actor)
    prefix = getattr(getattr(actor, "organisation", None), "jurisdiction_prefix", None)
    if prefix and not region.code.startswith(prefix):
        raise PermissionDenied
    if source not in FundSource.values:
        raise ValidationError({"source": _("Choose a fund source.")})
    wanted = None if kinds is None else sorted(set(kinds))
    if wanted is not None and set(wanted) - set(ITEM_KIND_LABELS):
        raise ValidationError({"kinds": _("Choose kinds of item from the list.")})
    if wanted is None or set(wanted) == set(ITEM_KIND_LABELS):
        FundRule.objects.filter(region=region, source=source).delete()
        return None
    rule, _created = FundRule.objects.update_or_create(
        region=region, source=source, defaults={"kinds": wanted, "changed_by": user_of(actor)}
    )
    return rule
