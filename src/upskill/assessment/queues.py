"""What waits in assessment (core/queues.py): classes without an exam session yet, to
schedule, and classes whose exam session is open, scores to enter (HB61-EXM-1). Counted with
the exam class list's own selector."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.queues import QueueEntry

from . import selectors
from .models import SessionStatus


def scores_to_enter(user) -> int:
    return (
        selectors.exam_classes(actor=user)
        .filter(exam_sessions__status=SessionStatus.OPEN)
        .order_by()
        .values("pk")
        .distinct()
        .count()
    )


def exams_to_schedule(user) -> int:
    return selectors.exam_classes(actor=user).filter(sessions=0).order_by().count()


ENTRIES = (
    QueueEntry(
        "assessment.exams_to_schedule",
        _("Classes without an exam session yet"),
        "assessment:class_list",
        exams_to_schedule,
        perm="assessment.add_examsession",
        order=29,
    ),
    QueueEntry(
        "assessment.scores_to_enter",
        _("Classes with exam scores to enter"),
        "assessment:class_list",
        scores_to_enter,
        perm="assessment.enter_scores",
        order=30,
    ),
)
