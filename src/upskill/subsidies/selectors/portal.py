"""The learner's portal (``/me/``): the subsidies paid to the learner themselves (WH20-SUB-1/2
and every trainee's item), read through the learner's own scope."""

from __future__ import annotations

from django.utils.translation import gettext as _

from upskill.core.hooks import PortalCard, PortalSection
from upskill.core.scoping import visible

from ..models import ClaimItem, LineStatus, Payee


def portal_sections(*, person, user) -> list[PortalSection]:
    items = (
        visible(ClaimItem, user)
        .filter(line__person=person, payee=Payee.TRAINEE, line__status=LineStatus.ACCEPTED)
        .select_related("line__claim__claimant", "payment")
        .order_by("-line__date", "-pk")
    )
    cards = []
    for item in items:
        line = item.line
        payment = getattr(item, "payment", None)
        if payment is not None:
            state = payment.get_status_display()
        elif line.decision == "refused":
            state = line.get_decision_display()
        else:
            state = line.claim.get_status_display()
        title = line.occupation or item.rule
        if line.level:
            title += " " + _("level %(level)s") % {"level": line.level}
        cards.append(
            PortalCard(
                title=title,
                state=state,
                lines=(
                    _("%(amount)s yuan (%(rule)s)") % {"amount": item.amount, "rule": item.rule},
                    _("Applied for by %(claimant)s") % {"claimant": line.claim.claimant.name},
                ),
            )
        )
    return [
        PortalSection(
            key="subsidies",
            title=_("My subsidies"),
            order=40,
            cards=cards,
            empty=_("No subsidy has been applied for yet."),
        )
    ]
