"""What waits in the Wuhan enrolment path (core/queues.py): for the association, applications
to schedule in order of registration (WH20-ENR-1); for the enterprise's HR, scheduled
applications with employees still to put forward (WH20-ENR-2) and enrolled employees whose
agreements are unsigned (WH20-LVE-1). Counted with the lists' own selectors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.queues import QueueEntry
from upskill.organisations.models import OrganisationKind

from . import selectors


def applications_to_schedule(user) -> int:
    return selectors.applications_waiting(actor=user).order_by().count()


def employees_to_put_forward(user) -> int:
    return selectors.applications_to_fill(actor=user).order_by().count()


def agreements_unsigned(user) -> int:
    return selectors.nominations_unsigned(actor=user).order_by().count()


ENTRIES = (
    QueueEntry(
        "nominations.to_schedule",
        _("Applications to schedule"),
        "nominations:index",
        applications_to_schedule,
        perm="nominations.change_application",
        kinds=frozenset({OrganisationKind.ASSOCIATION}),
        query="queue=schedule",
        order=30,
    ),
    QueueEntry(
        "nominations.to_put_forward",
        _("Applications with employees to put forward"),
        "nominations:index",
        employees_to_put_forward,
        perm="nominations.add_nomination",
        kinds=frozenset({OrganisationKind.ENTERPRISE}),
        query="queue=put_forward",
        order=30,
    ),
    QueueEntry(
        "nominations.unsigned",
        _("Agreements not yet signed"),
        "nominations:index",
        agreements_unsigned,
        perm="nominations.change_nomination",
        kinds=frozenset({OrganisationKind.ENTERPRISE}),
        query="queue=unsigned",
        order=31,
    ),
)
