"""What waits in subsidies (core/queues.py): claims to review and objections open for the
reviewer (HB45-PUB-1), claims returned to their claimant, approved amounts not yet in a payment
batch and batches sent to the bank without their results for the payment clerk. Counted with
the lists' own selectors (``claim_list``, ``batch_list``) and the scoped models."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.queues import QueueEntry
from upskill.core.scoping import visible

from . import selectors
from .models import (
    AdvanceStatus,
    BatchStatus,
    ClaimItem,
    ClaimStatus,
    Decision,
    Objection,
    ObjectionStatus,
    PaymentItem,
    PaymentStatus,
)
from .selectors import advances as advance_selectors
from .services._common import PAID_THROUGH_OWN_CLAIM

CLAIMS = "subsidies:claim_list"
BATCHES = "subsidies:batch_list"
ADVANCES = "subsidies:advance_list"


def claims_to_review(user) -> int:
    return (
        selectors.claim_list(actor=user)
        .filter(status__in=(ClaimStatus.SUBMITTED, ClaimStatus.UNDER_REVIEW))
        .order_by()
        .count()
    )


def claims_returned(user) -> int:
    return selectors.claim_list(actor=user).filter(status=ClaimStatus.RETURNED).order_by().count()


def claims_to_assemble(user) -> int:
    """The organiser's finished classes without a live claim (the claims page offers them)."""
    return selectors.claimable_classes(actor=user).order_by().count()


def objections_open(user) -> int:
    return visible(Objection, user).filter(status=ObjectionStatus.OPEN).count()


def payments_to_batch(user) -> int:
    """Approved amounts of payable claims not in any batch yet, as ``batch_create`` gathers
    them (the clerk never pays a claim they reviewed)."""
    items = (
        visible(ClaimItem, user)
        .filter(
            PAID_THROUGH_OWN_CLAIM,
            line__decision=Decision.APPROVED,
            line__claim__status=ClaimStatus.PAYABLE,
        )
        # an advance's payment has no item: NOT IN over a NULL would match nothing
        .exclude(pk__in=PaymentItem.objects.filter(item__isnull=False).values("item_id"))
        .exclude(line__claim__reviewed_by=user)
    )
    return items.count()


def payments_held(user) -> int:
    """Payments the clerk held out of their batch (a payee without a bank account, issue
    15.5), waiting to be put back once the account is known."""
    return visible(PaymentItem, user).filter(status=PaymentStatus.HELD).count()


def advances_to_review(user) -> int:
    """Advances applied for (HB45-ADV-1) that this reviewer may decide: never their own
    organisation's."""
    organisation_id = getattr(user, "organisation_id", None)
    return (
        advance_selectors.advance_list(actor=user)
        .filter(status=AdvanceStatus.APPLIED)
        .exclude(claimant_id=organisation_id)
        .order_by()
        .count()
    )


def advances_to_pay(user) -> int:
    """Approved advances in no batch yet, as ``batch_create`` gathers them (never by the clerk
    who approved them)."""
    return (
        advance_selectors.advance_list(actor=user)
        .filter(status=AdvanceStatus.APPROVED, payment__isnull=True)
        .exclude(reviewed_by=user)
        .order_by()
        .count()
    )


def results_to_import(user) -> int:
    return selectors.batch_list(actor=user).filter(status=BatchStatus.EXPORTED).order_by().count()


ENTRIES = (
    QueueEntry(
        "subsidies.claims_to_review",
        _("Claims to review"),
        CLAIMS,
        claims_to_review,
        perm="subsidies.review_claim",
        order=40,
    ),
    QueueEntry(
        "subsidies.objections_open",
        _("Objections open"),
        CLAIMS,
        objections_open,
        perm="subsidies.review_claim",
        order=41,
    ),
    QueueEntry(
        "subsidies.claims_to_assemble",
        _("Finished classes to claim for"),
        CLAIMS,
        claims_to_assemble,
        perm="subsidies.submit_claim",
        order=42,
    ),
    QueueEntry(
        "subsidies.claims_returned",
        _("Claims returned for changes"),
        CLAIMS,
        claims_returned,
        perm="subsidies.submit_claim",
        order=42,
    ),
    QueueEntry(
        "subsidies.payments_held",
        _("Payments held out of a batch"),
        BATCHES,
        payments_held,
        perm="subsidies.export_paymentbatch",
        order=44,
    ),
    QueueEntry(
        "subsidies.payments_to_batch",
        _("Approved payments to put in a batch"),
        BATCHES,
        payments_to_batch,
        perm="subsidies.add_paymentbatch",
        order=43,
    ),
    QueueEntry(
        "subsidies.advances_to_review",
        _("Advance payments to review"),
        ADVANCES,
        advances_to_review,
        perm="subsidies.review_claim",
        order=41,
    ),
    QueueEntry(
        "subsidies.advances_to_pay",
        _("Approved advance payments to put in a batch"),
        BATCHES,
        advances_to_pay,
        perm="subsidies.add_paymentbatch",
        order=43,
    ),
    QueueEntry(
        "subsidies.results_to_import",
        _("Batches sent to the bank: results to import"),
        BATCHES,
        results_to_import,
        perm="subsidies.export_paymentbatch",
        order=44,
    ),
)
