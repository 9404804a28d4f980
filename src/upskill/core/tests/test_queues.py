"""The registry of work queues (core/queues.py): an entry shows to the users who may open its
list, with its count; the menu badge adds the counts behind one list, a filtered list once."""

from __future__ import annotations

import pytest

from upskill.core import queues
from upskill.core.queues import QueueEntry, Waiting, badges, queue_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(monkeypatch):
    monkeypatch.setattr(queues, "_entries", {})
    queues.register(
        QueueEntry("t.persons", "Persons", "registry:person_list", lambda user: 3, order=2),
        QueueEntry(
            "t.log", "Log", "core:access_log", lambda user: 5, perm="core.view_accesslog", order=1
        ),
        QueueEntry("t.gone", "Gone", "no:such_list", lambda user: 9),
    )


def test_only_entries_the_user_may_open_in_order(entries, make_user):
    auditor = make_user("gongan", "auditor")
    assert [(w.key, w.count, w.url) for w in queue_for(auditor)] == [
        ("t.log", 5, "/access-log/"),
        ("t.persons", 3, "/registry/persons/"),
    ]
    assert [w.key for w in queue_for(make_user("inst1", "teacher"))] == ["t.persons"]


def test_badges_add_up_per_list_and_count_a_filtered_list_once():
    waiting = [
        Waiting("a", "A", "/classes/?status=approved", 1, "training:class_list"),
        Waiting("b", "B", "/classes/?status=running", 2, "training:class_list"),
        Waiting("c", "C", "/classes/?status=running", 2, "training:class_list"),
        Waiting("d", "D", "/claims/", 0, "subsidies:claim_list"),
    ]
    assert badges(waiting) == {"training:class_list": 3}
