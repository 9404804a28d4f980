"""What the writes of the subsidies app share: the permissions they ask, who may do bureau work,
the claimant's own claim under lock, the reviewer's claim, what an item was advanced.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from upskill.core.actor import user_of
from upskill.core.scoping import SYSTEM, get_visible_or_404, require_perm

from ..models import (
    ZERO,
    AdvanceDeduction,
    Claim,
    ClaimItem,
    ClaimKind,
    Payee,
)

SUBMIT = "subsidies.submit_claim"


REVIEW = "subsidies.review_claim"


ADD_BATCH = "subsidies.add_paymentbatch"


EXPORT = "subsidies.export_paymentbatch"


CHANGE_FUND = "subsidies.change_fund"


CHANGE_CALENDAR = "subsidies.change_calendarday"


CHANGE_PAYEE = "subsidies.change_payeeaccount"


RECOVER = "subsidies.add_ledgerentry"


# GA23-FEE-1: the engine prices a township's management fee on the organiser's line, but the
# township claims it with a claim of its own once the training subsidy is approved; only there is
# it charged to a fund and paid. Every other item is charged and paid through its own claim.
PAID_THROUGH_OWN_CLAIM = ~Q(payee=Payee.TOWNSHIP) | Q(line__claim__kind=ClaimKind.TOWNSHIP)


def _lang() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "zh"


def _bureau(actor) -> None:
    """Bureau work (review, payment) is done by a bureau with jurisdiction (docs/roles.md)."""
    if actor is SYSTEM or getattr(actor, "is_superuser", False):
        return
    organisation = getattr(actor, "organisation", None)
    if organisation is None or not organisation.jurisdiction_prefix:
        raise PermissionDenied


def _own_claim(actor, claim: Claim, *, lock: bool = True) -> Claim:
    qs = Claim.objects.select_for_update() if lock else Claim.objects.all()
    claim = get_visible_or_404(qs, actor, perm=SUBMIT, pk=claim.pk)
    organisation = getattr(actor, "organisation", None)
    if (
        actor is not SYSTEM
        and not actor.is_superuser
        and (organisation is None or organisation.pk != claim.claimant_id)
    ):
        raise PermissionDenied
    return claim


def _review_claim(actor, claim: Claim) -> Claim:
    require_perm(actor, REVIEW)
    _bureau(actor)
    claim = get_visible_or_404(Claim.objects.select_for_update(), actor, pk=claim.pk)
    user = user_of(actor)
    if user is not None and claim.submitted_by_id == user.pk:
        raise PermissionDenied(_("The submitter of a claim cannot review it."))
    # the county training centre claims for the classes it organises (GA23 三(五)); its own
    # reviewer does not review them
    if getattr(getattr(actor, "organisation", None), "pk", None) == claim.claimant_id:
        raise PermissionDenied(_("An organisation does not review its own claim."))
    return claim


def _advanced(item: ClaimItem) -> Decimal:
    """What the class's advance paid of the item already (HB45-ADV-1): deducted from it."""
    deduction = AdvanceDeduction.objects.filter(claim_item=item).first()
    return deduction.amount if deduction else ZERO
