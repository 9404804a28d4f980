"""What waits for a bureau in the reports app (core/queues.py): target splits saved as a
draft, which the bureau that set the target confirms once they add up (GA23-TGT-1), counted
with the list's own selector and the same ``split`` filter as the link; the reports upward the
user asked for, generated and not yet downloaded to be sent up (HB45-RPT-1, HB61 五)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.queues import QueueEntry

from . import selectors
from .models import SplitStatus
from .permissions import ADD_UPWARD, SPLIT_TARGET


def _drafts(user) -> int:
    return selectors.splits_in_draft(actor=user).order_by().count()


def _upward_waiting(user) -> int:
    return selectors.upward_waiting(actor=user).order_by().count()


ENTRIES = (
    QueueEntry(
        "reports.splits_in_draft",
        _("Target splits in draft"),
        "reports:targets",
        _drafts,
        perm=SPLIT_TARGET,
        query=f"split={SplitStatus.DRAFT}",
        order=60,
    ),
    QueueEntry(
        "reports.upward_waiting",
        _("Reports upward ready to send"),
        "reports:upward_reports",
        _upward_waiting,
        perm=ADD_UPWARD,
        order=61,
    ),
)
