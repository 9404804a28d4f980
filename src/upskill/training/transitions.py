"""The states of a class plan and the moves between them (HB61-PRJ-1: nothing starts before the
bureau approves it). :func:`~upskill.training.services.class_transition` makes a move;
:func:`~upskill.training.selectors.class_permissions` offers the moves the actor may make."""

from __future__ import annotations

from dataclasses import dataclass

from .models import ClassAction, ClassStatus
from .permissions import CHANGE_CLASS, REVIEW_CLASS


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    perm: str
    by_reviewer: bool = False  # the bureau of the class's county, else the organiser
    needs_reason: bool = False


S, A = ClassStatus, ClassAction
TRANSITIONS: dict[str, Move] = {
    A.SUBMIT: Move(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, CHANGE_CLASS),
    A.APPROVE: Move(frozenset({S.SUBMITTED}), S.APPROVED, REVIEW_CLASS, by_reviewer=True),
    A.RETURN: Move(
        frozenset({S.SUBMITTED}), S.RETURNED, REVIEW_CLASS, by_reviewer=True, needs_reason=True
    ),
    A.START: Move(frozenset({S.APPROVED}), S.RUNNING, CHANGE_CLASS),
    A.FINISH: Move(frozenset({S.RUNNING}), S.FINISHED, CHANGE_CLASS),
    A.CANCEL: Move(
        frozenset({S.DRAFT, S.SUBMITTED, S.APPROVED, S.RETURNED, S.RUNNING}),
        S.CANCELLED,
        CHANGE_CLASS,
        needs_reason=True,
    ),
}
