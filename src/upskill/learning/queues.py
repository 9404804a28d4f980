"""What waits in online learning (core/queues.py): for the enterprise's HR, the employees
behind in the latest weekly snapshot (WH20-PRG-1), counted with the page's own selector."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.queues import QueueEntry
from upskill.organisations.models import OrganisationKind

from . import selectors
from .models import VIEW_WEEKLY


def employees_behind(user) -> int:
    return selectors.employees_behind(actor=user)


ENTRIES = (
    QueueEntry(
        "learning.behind",
        _("Employees behind in online learning this week"),
        "learning:weekly",
        employees_behind,
        perm=VIEW_WEEKLY,
        kinds=frozenset({OrganisationKind.ENTERPRISE}),
        order=32,
    ),
)
