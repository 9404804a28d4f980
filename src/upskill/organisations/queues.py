"""What waits for an organisation's administrator (core/queues.py): users whose role calls for
a second factor and who have not set it up yet. Counted with the list's own selector."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.queues import QueueEntry

from . import selectors


def second_factor_pending(user) -> int:
    return selectors.second_factor_users(actor=user, pending=True).order_by().count()


ENTRIES = (
    QueueEntry(
        "organisations.second_factor_pending",
        _("Users who have not set up the second factor"),
        "organisations:second_factor_users",
        second_factor_pending,
        perm=selectors.MANAGE_USERS,
        query="pending=1",
        order=95,
    ),
)
