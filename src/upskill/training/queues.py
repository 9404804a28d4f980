"""What waits in training (core/queues.py): class plans to approve (HB61-PRJ-1), plans returned,
approved classes to start, running classes to mark and finish. Counted with the class list's
own selector and the same ``status`` filter as the link."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.queues import QueueEntry

from . import selectors
from .models import ClassStatus
from .permissions import ADD_CLASS, CHANGE_ATTENDANCE, CHANGE_CLASS, REVIEW_CLASS

LIST = "training:class_list"


def _classes(status: str):
    def count(user) -> int:
        return selectors.class_list(actor=user, status=status).order_by().count()

    return count


ENTRIES = (
    QueueEntry(
        "training.plans_to_approve",
        _("Class plans to approve"),
        LIST,
        _classes(ClassStatus.SUBMITTED),
        perm=REVIEW_CLASS,
        query=f"status={ClassStatus.SUBMITTED}",
        order=10,
    ),
    QueueEntry(
        "training.plans_returned",
        _("Class plans returned for changes"),
        LIST,
        _classes(ClassStatus.RETURNED),
        perm=ADD_CLASS,
        query=f"status={ClassStatus.RETURNED}",
        order=11,
    ),
    QueueEntry(
        "training.classes_to_start",
        _("Approved classes to start"),
        LIST,
        _classes(ClassStatus.APPROVED),
        perm=CHANGE_CLASS,
        query=f"status={ClassStatus.APPROVED}",
        order=12,
    ),
    QueueEntry(
        "training.classes_to_finish",
        _("Running classes to finish"),
        LIST,
        _classes(ClassStatus.RUNNING),
        perm=CHANGE_CLASS,
        query=f"status={ClassStatus.RUNNING}",
        order=13,
    ),
    QueueEntry(
        "training.attendance_to_mark",
        _("Running classes: attendance to mark"),
        LIST,
        _classes(ClassStatus.RUNNING),
        perm=CHANGE_ATTENDANCE,
        query=f"status={ClassStatus.RUNNING}",
        order=14,
    ),
)
