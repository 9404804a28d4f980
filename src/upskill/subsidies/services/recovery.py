"""Recovery after fraud (HB45-BLK-1): a receivable for every payment made on a claim."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from upskill.core.scoping import Actor, get_visible_or_404, require_perm

from .. import ledger
from ..models import (
    Account,
    Claim,
    EntryKind,
    LedgerEntry,
    Payee,
)
from ._common import RECOVER, _bureau


@transaction.atomic
def recovery_open(*, actor: Actor, claim: Claim, reason: str) -> list[LedgerEntry]:
    """Subsidies obtained by fraud are recovered (HB45-BLK-1): every amount paid on the claim to
    the claimant becomes a receivable entry of the ledger."""
    require_perm(actor, RECOVER)
    _bureau(actor)
    claim = get_visible_or_404(Claim, actor, pk=claim.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    entries = []
    paid = LedgerEntry.objects.filter(
        claim_line__claim=claim,
        account=Account.DISBURSED,
        kind__in=[EntryKind.PAYMENT, EntryKind.ADVANCE],
    ).exclude(claim_item__payee=Payee.TRAINEE)
    for entry in paid:
        if (
            LedgerEntry.objects.filter(
                kind=EntryKind.RECEIVABLE,
                claim_item=entry.claim_item,
                memo__startswith="HB45-BLK-1",
            ).exists()
            and entry.kind == EntryKind.PAYMENT
        ):
            continue
        entries.append(
            ledger.append(
                actor=actor,
                kind=EntryKind.RECEIVABLE,
                account=Account.RECEIVABLE,
                fund=entry.fund,
                amount=entry.amount,
                rule="HB45-BLK-1",
                memo=f"HB45-BLK-1 {reason.strip()}",
                claim_line=entry.claim_line,
                claim_item=entry.claim_item,
                batch=entry.batch,
                organisation=claim.claimant,
            )
        )
    if not entries:
        raise ValidationError(_("Nothing has been paid to the claimant on this claim."))
    return entries
