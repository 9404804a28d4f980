"""Shared parts of the assessment services: the permissions and who acts for a class."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from upskill.training.models import ClassStatus, TrainingClass
from upskill.training.selectors import is_organiser

from ..permissions import (
    ADD_CERTIFICATE,
    ADD_SESSION,
    ENTER_SCORES,
    SET_PASS_MARK,
    VERIFY_CERTIFICATE,
    VIEW_ARCHIVE,
    VIEW_CERTIFICATE,
    VIEW_SESSION,
)

__all__ = [
    "ADD_CERTIFICATE",
    "ADD_SESSION",
    "ENTER_SCORES",
    "EXAM_STATES",
    "SET_PASS_MARK",
    "VERIFY_CERTIFICATE",
    "VIEW_ARCHIVE",
    "VIEW_CERTIFICATE",
    "VIEW_SESSION",
    "_organiser",
]

# Classes that can be examined: the exam is at the end of the training or after it.
EXAM_STATES = (ClassStatus.RUNNING, ClassStatus.FINISHED)


def _organiser(actor, training_class: TrainingClass, perm: str) -> None:
    """Owner-only actions: the organiser of the class (its examiners) acts, nobody else."""
    if not is_organiser(actor, training_class):
        raise PermissionDenied(perm)
