"""The database keeps the training app's invariants even when the services are bypassed: a class
only in the states of the table, a state change only by a move of the table (HB61-PRJ-1), a
decided leave with its time and a pending one without."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from upskill.core.scoping import SYSTEM
from upskill.training import services
from upskill.training.models import LeaveRequest, LeaveStatus, TrainingClass, Transition


def _refused(queryset, **values) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


def test_states_and_moves_outside_the_table_are_refused(make_class):
    training_class = make_class(status="submitted")
    _refused(TrainingClass.objects.filter(pk=training_class.pk), status="closed")
    _refused(Transition.objects.filter(training_class=training_class), action="skip")


def test_a_leave_is_decided_with_its_time(make_class, enrol):
    training_class = make_class(status="running")
    (enrolment,) = enrol(training_class)
    leave = services.leave_request_create(
        actor=SYSTEM, enrolment=enrolment, lesson=training_class.lessons.first(), reason="病假"
    )
    rows = LeaveRequest.objects.filter(pk=leave.pk)
    _refused(rows, status=LeaveStatus.APPROVED)
    _refused(rows, decided_at=timezone.now())
    services.leave_request_decide(actor=SYSTEM, leave=leave, approve=True)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED and leave.decided_at is not None
