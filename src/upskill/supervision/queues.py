"""What waits in supervision (core/queues.py): running classes still missing an opening, during
or closing inspection (GA23-INS-1), fraud signals to review, spot checks not closed. Counted
with the lists' own selectors (``classes``, ``signals``, ``spot_checks``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from upskill.core.queues import QueueEntry
from upskill.training.models import ClassStatus

from . import selectors
from .models import InspectionKind, InspectionStatus, SignalStatus

# the permissions that open each list (named here: the constants move between modules)
RECORD_INSPECTION = "supervision.record_inspection"
REVIEW_SIGNAL = "supervision.review_signal"
RECORD_SPOTCHECK = "supervision.record_spotcheck"

_STAGES = (InspectionKind.OPENING, InspectionKind.DURING, InspectionKind.CLOSING)


def inspections_due(user) -> int:
    return (
        selectors.classes(actor=user)
        .filter(status=ClassStatus.RUNNING)
        .annotate(
            stages_done=Count(
                "inspections__kind",
                filter=Q(inspections__status=InspectionStatus.DONE, inspections__kind__in=_STAGES),
                distinct=True,
            )
        )
        .filter(stages_done__lt=len(_STAGES))
        .order_by()
        .count()
    )


def signals_to_review(user) -> int:
    return selectors.signals(actor=user, status=SignalStatus.OPEN).order_by().count()


def spot_checks_open(user) -> int:
    return selectors.spot_checks(actor=user).filter(closed_at__isnull=True).order_by().count()


ENTRIES = (
    QueueEntry(
        "supervision.inspections_due",
        _("Running classes with inspections due"),
        "supervision:class_list",
        inspections_due,
        perm=RECORD_INSPECTION,
        order=20,
    ),
    QueueEntry(
        "supervision.signals_to_review",
        _("Fraud signals to review"),
        "supervision:signal_list",
        signals_to_review,
        perm=REVIEW_SIGNAL,
        query=f"status={SignalStatus.OPEN}",
        order=21,
    ),
    QueueEntry(
        "supervision.spot_checks_open",
        _("Spot checks open"),
        "supervision:spot_check_list",
        spot_checks_open,
        perm=RECORD_SPOTCHECK,
        order=22,
    ),
)
