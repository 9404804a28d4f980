"""What waits at the HR service centre (core/queues.py): certified trainees new in the queue and
referrals being followed up (GA23-EMP-1). Counted with the queue's own selector and the same
``status`` filter as the link."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.queues import QueueEntry

from . import selectors
from .models import ReferralStatus

FOLLOW_UP = "employment.add_followup"  # the counsellor's, not every reader of the queue


def _referrals(status: str):
    def count(user) -> int:
        return selectors.queue(actor=user, status=status).order_by().count()

    return count


ENTRIES = (
    QueueEntry(
        "employment.new_referrals",
        _("New referrals"),
        "employment:queue",
        _referrals(ReferralStatus.QUEUED),
        perm=FOLLOW_UP,
        query=f"status={ReferralStatus.QUEUED}",
        order=50,
    ),
    QueueEntry(
        "employment.follow_ups",
        _("Referrals to follow up"),
        "employment:queue",
        _referrals(ReferralStatus.FOLLOWING),
        perm=FOLLOW_UP,
        query=f"status={ReferralStatus.FOLLOWING}",
        order=51,
    ),
)
