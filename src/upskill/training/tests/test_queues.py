"""The work queues of training (core/queues.py, training/queues.py): each role's home page
counts what waits for it, in its scope, and the count equals the rows of the list it links to."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from upskill.core.queues import queue_for
from upskill.core.scoping import SYSTEM
from upskill.training import services
from upskill.training.models import ClassStatus, TrainingClass

pytestmark = pytest.mark.django_db


@pytest.fixture
def classes(make_class):
    """Gong'an: two plans submitted, one returned, one approved, one running (inst1 and inst2);
    one submitted plan of inst2 in another township of the county."""
    made = {
        "submitted": [make_class(status="submitted"), make_class(status="submitted")],
        "approved": [make_class(status="approved")],
        "running": [make_class(status="running", organisation="inst2")],
        "draft": [make_class()],
    }
    returned = make_class(status="submitted", organisation="inst2")
    services.class_transition(
        actor=SYSTEM, training_class=returned, action="return", reason="课时不足"
    )
    made["returned"] = [returned]
    return made


def _counts(user) -> dict[str, int]:
    return {item.key: item.count for item in queue_for(user)}


def _home_count(client, key: str) -> int:
    page = client.get("/").content.decode()
    found = re.search(rf'data-testid="count-{re.escape(key)}">(\d+)<', page)
    assert found, f"{key} not on the home page"
    return int(found.group(1))


def _list_count(client, url: str) -> int:
    return client.get(url).context["page"].paginator.count


def test_the_reviewer_counts_the_plans_of_its_county(client, make_user, classes):
    reviewer = make_user("gongan", "reviewer")
    in_county = TrainingClass.objects.filter(
        status=ClassStatus.SUBMITTED, township__code__startswith="421022"
    ).count()
    counts = _counts(reviewer)
    assert counts["training.plans_to_approve"] == in_county == 2
    assert "training.classes_to_start" not in counts  # the reviewer starts no class
    client.force_login(reviewer)
    assert _home_count(client, "training.plans_to_approve") == 2
    link = next(i.url for i in queue_for(reviewer) if i.key == "training.plans_to_approve")
    assert link == reverse("training:class_list") + "?status=submitted"
    assert _list_count(client, link) == 2


def test_each_organiser_counts_its_own_classes(client, make_user, classes):
    clerk1, clerk2 = make_user("inst1", "clerk"), make_user("inst2", "clerk")
    assert _counts(clerk1) == {
        "training.plans_returned": 0,
        "training.classes_to_start": 1,
        "training.classes_to_finish": 0,
        **{k: v for k, v in _counts(clerk1).items() if not k.startswith("training.")},
    }
    counts2 = _counts(clerk2)
    assert counts2["training.plans_returned"] == 1
    assert counts2["training.classes_to_finish"] == 1
    assert "training.plans_to_approve" not in counts2
    client.force_login(clerk2)
    assert _home_count(client, "training.plans_returned") == 1
    assert _list_count(client, "/training/classes/?status=returned") == 1


def test_the_teacher_sees_the_classes_to_mark(client, make_user, classes):
    teacher = make_user("inst2", "teacher")
    counts = _counts(teacher)
    assert counts["training.attendance_to_mark"] == 1
    assert "training.plans_returned" not in counts  # the teacher files no plan


def test_the_menu_badge_adds_the_counts_behind_an_entry(client, make_user, classes):
    client.force_login(make_user("inst1", "clerk"))
    page = client.get("/").content.decode()
    badge = re.search(r'data-testid="badge-training-class_list">(\d*)<', page)
    assert badge and badge.group(1) == "1"  # one approved class to start, nothing else
    # elsewhere the badges come after the page, from the same counts
    assert client.get(reverse("core:queue_badges")).json() == {"training-class_list": 1}
