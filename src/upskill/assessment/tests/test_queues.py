"""The work queues of assessment (core/queues.py, assessment/queues.py): the organiser's clerk
counts its running or finished classes without an exam session, the teacher the classes whose
session is open for scores (HB61-EXM-1); each as the exam class list shows them."""

from __future__ import annotations

import pytest

from upskill.core.queues import queue_for
from upskill.training.tests.factories import catalog_entries, make_class

from .factories import examined_class

pytestmark = pytest.mark.django_db


def _counts(user) -> dict[str, int]:
    return {item.key: item.count for item in queue_for(user)}


def test_clerk_and_teacher_count_their_exam_work(world, make_person, make_user, client):
    examined_class(world, make_person, close=False)  # inst1: a session open for scores
    catalog_entries()
    make_class(world, status="running")  # inst1: no session yet
    make_class(world, status="approved")  # not examinable yet
    make_class(world, status="running", organisation="inst2")  # not inst1's

    clerk = make_user("inst1", "clerk")
    assert _counts(clerk)["assessment.exams_to_schedule"] == 1
    assert "assessment.scores_to_enter" not in _counts(clerk)  # the clerk enters no score
    teacher = make_user("inst1", "teacher")
    assert _counts(teacher)["assessment.scores_to_enter"] == 1
    client.force_login(clerk)
    assert 'data-testid="count-assessment.exams_to_schedule">1<' in client.get("/").content.decode()
