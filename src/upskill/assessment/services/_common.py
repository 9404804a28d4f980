"""Shared parts of the assessment services: the permissions and who acts for a class."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from upskill.training.models import ClassStatus, TrainingClass
from upskill.training.selectors import is_organiser

VIEW_SESSION = "assessment.view_examsession"
ADD_SESSION = "assessment.add_examsession"
ENTER_SCORES = "assessment.enter_scores"
SET_PASS_MARK = "assessment.change_passmark"  # noqa: S105  (a permission name)
VIEW_CERTIFICATE = "assessment.view_certificate"
ADD_CERTIFICATE = "assessment.add_certificate"
VERIFY_CERTIFICATE = "assessment.verify_certificate"
VIEW_ARCHIVE = "assessment.view_archive"

# Classes that can be examined: the exam is at the end of the training or after it.
EXAM_STATES = (ClassStatus.RUNNING, ClassStatus.FINISHED)


def _organiser(actor, training_class: TrainingClass, perm: str) -> None:
    """Owner-only actions: the organiser of the class (its examiners) acts, nobody else."""
    if not is_organiser(actor, training_class):
        raise PermissionDenied(perm)
