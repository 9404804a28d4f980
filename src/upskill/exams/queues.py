"""What waits in the online exam (core/queues.py): for the platform's operator, exams whose
question bank holds fewer questions than their blueprint needs. The learner's exams available
or to retake show on their portal (``selectors.portal_sections``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from upskill.core.queues import QueueEntry

from . import selectors


def short_blueprints(user) -> int:
    return len(selectors.short_blueprints(actor=user))


ENTRIES = (
    QueueEntry(
        "exams.short_blueprints",
        _("Exams whose question bank has fewer questions than the blueprint needs"),
        "exams:blueprint_list",
        short_blueprints,
        perm="exams.view_questionbank",
        kinds=frozenset({"platform"}),
        order=36,
    ),
)
