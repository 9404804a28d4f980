"""Review (the reviewer is never the submitter), approval charged to a fund that may pay every
item (HB45-FND-1) less the class's advance (HB45-ADV-1), the public notice and its objections
(HB45-PUB-1).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core.actor import user_of
from upskill.core.scoping import Actor, get_visible_or_404, require_perm

from .. import calendar, ledger
from ..models import (
    ZERO,
    Account,
    Claim,
    ClaimItem,
    ClaimLine,
    ClaimStatus,
    Decision,
    EntryKind,
    Fund,
    LedgerEntry,
    LineStatus,
    Objection,
    ObjectionStatus,
)
from ..selectors.advances import fund_refusal
from ..selectors.claims import notice_days
from ._common import PAID_THROUGH_OWN_CLAIM, REVIEW, _bureau, _review_claim
from .advances import advance_settle


@transaction.atomic
def claim_take(*, actor: Actor, claim: Claim) -> Claim:
    claim = _review_claim(actor, claim)
    if claim.status != ClaimStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted claim can be taken for review."))
    claim.status = ClaimStatus.UNDER_REVIEW
    claim.reviewed_by = user_of(actor)
    claim.save(update_fields=["status", "reviewed_by"])
    return claim


@transaction.atomic
def claim_line_decide(
    *, actor: Actor, line: ClaimLine, approve: bool, reason: str = ""
) -> ClaimLine:
    """Line by line: a claim may be approved in part."""
    claim = _review_claim(actor, line.claim)
    if claim.status != ClaimStatus.UNDER_REVIEW:
        raise ValidationError(_("Take the claim for review first."))
    line = ClaimLine.objects.select_for_update().get(pk=line.pk, claim=claim)
    if not line.is_accepted:
        raise ValidationError(_("The rules refused this line; it pays nothing."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    line.decision = Decision.APPROVED if approve else Decision.REFUSED
    line.decision_reason = reason
    line.save(update_fields=["decision", "decision_reason"])
    return line


@transaction.atomic
def claim_lines_approve_remaining(
    *, actor: Actor, claim: Claim, exceptions: dict[int, str] | None = None
) -> dict[str, int]:
    """Every payable line not decided yet is approved at once, but the exceptions (line pk →
    the reason it is refused, issue 15.4), which are refused with their reasons. Lines decided
    already keep their decision. All or nothing: an exception without a reason, or naming a
    line of another claim, refuses the whole action."""
    claim = _review_claim(actor, claim)
    if claim.status != ClaimStatus.UNDER_REVIEW:
        raise ValidationError(_("Take the claim for review first."))
    exceptions = {int(pk): (reason or "").strip() for pk, reason in (exceptions or {}).items()}
    lines = {
        line.pk: line
        for line in claim.lines.select_for_update().filter(status=LineStatus.ACCEPTED, total__gt=0)
    }
    unknown = set(exceptions) - set(lines)
    if unknown:
        raise ValidationError(_("These lines are not payable lines of this claim."))
    missing = [lines[pk].person.name for pk, reason in exceptions.items() if not reason]
    if missing:
        raise ValidationError(
            {
                "reason": _("Give the reason of each line refused: %(names)s.")
                % {"names": "、".join(missing)}
            }
        )
    approved = refused = 0
    for pk, line in lines.items():
        if pk in exceptions:
            line.decision, line.decision_reason = Decision.REFUSED, exceptions[pk]
            refused += 1
        elif line.decision == Decision.PENDING:
            line.decision, line.decision_reason = Decision.APPROVED, ""
            approved += 1
        else:
            continue
        line.save(update_fields=["decision", "decision_reason"])  # each keeps its history
    return {"approved": approved, "refused": refused}


@transaction.atomic
def claim_return(*, actor: Actor, claim: Claim, reasons: str) -> Claim:
    claim = _review_claim(actor, claim)
    if claim.status not in (ClaimStatus.SUBMITTED, ClaimStatus.UNDER_REVIEW):
        raise ValidationError(_("Only a claim under review can be returned."))
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons.")})
    claim.status = ClaimStatus.RETURNED
    claim.return_reason = reasons.strip()
    claim.save(update_fields=["status", "return_reason"])
    claim.lines.filter(status=LineStatus.ACCEPTED, total__gt=0).update(
        decision=Decision.PENDING, decision_reason=""
    )
    return claim


@transaction.atomic
def claim_approve(
    *,
    actor: Actor,
    claim: Claim,
    fund: Fund,
    today: date | None = None,
    approve_remaining: bool = False,
    exceptions: dict[int, str] | None = None,
) -> Claim:
    """The review's end: every payable line decided, the approved amounts charged to the fund
    (never beyond what is left of its budget), and the public notice opened (HB45-PUB-1) for
    the policy's number of working days. With ``approve_remaining`` the lines not decided yet
    are approved first, the ``exceptions`` refused with their reasons
    (:func:`claim_lines_approve_remaining`): a claim approved with one action."""
    if approve_remaining:
        claim_lines_approve_remaining(actor=actor, claim=claim, exceptions=exceptions)
    claim = _review_claim(actor, claim)
    today = today or timezone.localdate()
    if claim.status != ClaimStatus.UNDER_REVIEW:
        raise ValidationError(_("Only a claim under review can be approved."))
    lines = list(claim.lines.select_for_update().filter(status=LineStatus.ACCEPTED))
    if any(line.decision == Decision.PENDING for line in lines):
        raise ValidationError(_("Decide every line first (approve or refuse)."))
    approved = [line for line in lines if line.decision == Decision.APPROVED]
    if not approved:
        advance_settle(actor=actor, claim=claim, items=[])  # HB45-ADV-1: all of it to recover
        claim.status = ClaimStatus.REFUSED
        claim.reviewed_by, claim.reviewed_at = user_of(actor), timezone.now()
        claim.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        return claim
    fund = get_visible_or_404(Fund.objects.select_for_update(), actor, pk=fund.pk)
    if fund.region_id != claim.county_id or fund.year not in (today.year, claim.period_year):
        raise ValidationError({"fund": _("Choose a fund of the claim's county and year.")})
    items = list(
        ClaimItem.objects.filter(PAID_THROUGH_OWN_CLAIM, line__in=approved).select_related("line")
    )
    refusal = fund_refusal(fund, [(i.kind, i.line.date) for i in items])
    if refusal:
        raise ValidationError({"fund": refusal})
    deducted = advance_settle(actor=actor, claim=claim, items=items)  # HB45-ADV-1
    total = sum((i.amount - deducted.get(i.pk, ZERO) for i in items), ZERO)
    left = ledger.remaining(fund)
    if total > left:
        raise ValidationError(
            {
                "fund": _("%(fund)s has %(left)s left; this claim needs %(total)s.")
                % {"fund": fund, "left": left, "total": total}
            }
        )
    for item in items:
        if item.amount - deducted.get(item.pk, ZERO) <= 0:
            continue  # the advance paid all of it (charged when the advance was approved)
        ledger.append(
            actor=actor,
            kind=EntryKind.CHARGE,
            account=Account.COMMITTED,
            fund=fund,
            amount=item.amount - deducted.get(item.pk, ZERO),
            rule=item.rule,
            memo=f"claim {claim.pk}",
            claim_line=item.line,
            claim_item=item,
            person=item.line.person,
            organisation=item.payee_organisation,
        )
    start = calendar.next_working_day(today)
    claim.fund = fund
    claim.status = ClaimStatus.NOTICE
    claim.reviewed_by, claim.reviewed_at = user_of(actor), timezone.now()
    claim.notice_from = start
    claim.notice_until = calendar.add_working_days(start, notice_days(claim, today))
    claim.save(
        update_fields=[
            "fund",
            "status",
            "reviewed_by",
            "reviewed_at",
            "notice_from",
            "notice_until",
        ]
    )
    return claim


@transaction.atomic
def objection_lodge(
    *,
    actor: Actor,
    claim: Claim,
    lodged_by: str,
    text: str,
    contact: str = "",
    today: date | None = None,
) -> Objection:
    """Anyone may object during the public notice (HB45-PUB-1): the actor is whoever is on the
    public page, anonymous as a rule, and no permission is asked of it."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    today = today or timezone.localdate()
    if claim.status != ClaimStatus.NOTICE or not (claim.notice_from <= today <= claim.notice_until):
        raise ValidationError(_("Objections are lodged during the public notice."))
    if not lodged_by.strip() or not text.strip():
        raise ValidationError(_("Give your name and the objection."))
    return Objection.objects.create(
        claim=claim,
        lodged_by=lodged_by.strip()[:64],
        contact=contact.strip()[:64],
        text=text.strip(),
    )


@transaction.atomic
def objection_resolve(
    *,
    actor: Actor,
    objection: Objection,
    uphold: bool,
    resolution: str,
    line: ClaimLine | None = None,
) -> Objection:
    """An upheld objection refuses the line it concerns and reverses its charges."""
    require_perm(actor, REVIEW)
    _bureau(actor)
    objection = get_visible_or_404(Objection.objects.select_for_update(), actor, pk=objection.pk)
    if objection.status != ObjectionStatus.OPEN:
        raise ValidationError(_("This objection is already resolved."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Give the resolution.")})
    line = line or objection.line
    if uphold:
        if line is None or line.claim_id != objection.claim_id:
            raise ValidationError({"line": _("Name the line the objection is upheld for.")})
        _refuse_line(actor, line, _("Objection upheld: %(text)s") % {"text": resolution.strip()})
        objection.line = line
    objection.status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
    objection.resolution = resolution.strip()
    objection.resolved_by = user_of(actor)
    objection.save()
    return objection


def _refuse_line(actor, line: ClaimLine, reason: str) -> None:
    line = ClaimLine.objects.select_for_update().get(pk=line.pk)
    for entry in LedgerEntry.objects.filter(
        claim_line=line, kind=EntryKind.CHARGE, reversed_by__isnull=True
    ):
        ledger.reverse(actor=actor, entry=entry, memo=reason)
    line.decision = Decision.REFUSED
    line.decision_reason = reason
    line.save(update_fields=["decision", "decision_reason"])


def claim_release_due(*, actor: Actor, today: date) -> int:
    """Claims whose notice is over without an open objection become payable (HB45-PUB-1): a
    rule of the calendar, applied to every claim whoever triggers it (a new payment batch, the
    demo), so it asks no permission of the actor."""
    return (
        Claim.objects.filter(status=ClaimStatus.NOTICE, notice_until__lt=today)
        .exclude(objections__status=ObjectionStatus.OPEN)
        .update(status=ClaimStatus.PAYABLE)
    )
