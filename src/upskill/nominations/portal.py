"""The learner portal's section of the Wuhan enrolment path (hook ``learner.portal_sections``):
the employee's own enrolments put forward by the enterprise, the agreements to read and confirm
(WH20-LVE-1) and a registration still to make online (WH20 三(二))."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from upskill.core.hooks import PortalCard, PortalSection

from . import selectors
from .models import NominationStatus


def portal_section(*, person, user) -> list[PortalSection]:
    cards = []
    nominations = list(selectors.my_nominations(person=person))
    states = selectors.states_of(nominations)
    for nomination in nominations:
        lines = [
            _("Enterprise: %(name)s") % {"name": nomination.application.enterprise.name},
            _("Occupations: %(g)s + %(s)s")
            % {"g": nomination.general_occupation, "s": nomination.specialised_occupation},
        ]
        if nomination.agreements_confirmed_at:
            lines.append(
                _("Agreements confirmed on %(day)s")
                % {"day": nomination.agreements_confirmed_at.date().isoformat()}
            )
        if nomination.status == NominationStatus.WITHDRAWN:
            lines.append(
                _("Left on %(day)s; deduction %(amount)s")
                % {"day": nomination.left_on.isoformat(), "amount": nomination.deduction}
            )
        url = reverse("nominations:my_nomination", kwargs={"pk": nomination.pk})
        if nomination.status == NominationStatus.PUT_FORWARD:
            action = _("Register")
        elif (
            nomination.agreements_confirmed_at is None
            and nomination.status != NominationStatus.WITHDRAWN
        ):
            action = _("Read and confirm the agreements")
        else:
            action = _("Details")
        cards.append(
            PortalCard(
                title=str(nomination.application.call.title),
                state=str(selectors.STATE_LABELS[states[nomination.pk]]),
                lines=tuple(str(line) for line in lines),
                url=url,
                action=action,
            )
        )
    if not cards:
        return []
    return [
        PortalSection(
            key="nominations",
            title=_("Training my enterprise put me forward for"),
            order=10,
            cards=cards,
        )
    ]
