"""The heartbeat load test's seed (issue 17): learners made in bulk, enrolled in online classes
of the platform, a long video lesson, and a session for each that plays as the player does."""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.models import Session

from upskill.benchmarks import heartbeat
from upskill.learning.models import Heartbeat, Lesson
from upskill.learning.tests import factories
from upskill.registry.models import Person
from upskill.training.models import Enrolment, TrainingClass

pytestmark = pytest.mark.django_db


def test_the_seed_makes_learners_whose_sessions_play_and_is_made_once(
    world, make_user, client, tmp_path, monkeypatch
) -> None:
    factories.platform_catalog(world, **factories.VALID)
    factories.file_online_class(make_user("wh_ent1", "hr_clerk"), platform=world["platform"])
    monkeypatch.setattr(heartbeat, "PER_CLASS", 2)
    monkeypatch.setattr(heartbeat, "LESSON_SECONDS", 120)
    out = tmp_path / "sessions.json"

    result = heartbeat.seed(learners=3, out=out)

    classes = TrainingClass.objects.filter(name__contains=heartbeat.CLASS_MARK)
    assert classes.count() == 2 and {c.platform for c in classes} == {world["platform"]}
    enrolments = Enrolment.objects.filter(training_class__in=classes)
    assert enrolments.count() == 3
    assert sorted(enrolments.values_list("training_class", flat=True)) == sorted(
        [classes[0].pk, classes[0].pk, classes[1].pk]
    )
    persons = Person.objects.filter(enrolments__in=enrolments)
    assert all(p.account_id and p.account.organisation_id is None for p in persons)
    assert len({p.id_number for p in persons}) == 3  # registered, encrypted, readable
    lesson = Lesson.objects.get(pk=result["lesson"])
    assert (lesson.medium, lesson.duration_seconds, lesson.required_seconds) == ("video", 120, 120)
    assert lesson.section.course.published
    written = json.loads(out.read_text())
    assert written["lesson"] == lesson.pk and len(written["sessions"]) == 3

    # a session is a learner's log-in: their lesson's page, playback, a heartbeat that counts
    client.cookies["sessionid"] = written["sessions"][0]
    url = f"/me/learning/lessons/{lesson.pk}"
    assert client.get(f"{url}/").status_code == 200
    start = client.post(f"{url}/start", {"device": "locust"}, "application/json")
    assert start.status_code == 200 and start.json()["position"] == 0
    beat = client.post(
        f"{url}/heartbeat",
        {"device": "locust", "segments": [[0, 2]], "position": 2},
        "application/json",
    ).json()
    assert beat["added"] == 2 and not beat["stop"]
    assert Heartbeat.objects.filter(lesson=lesson).count() == 1

    # a second run makes nothing again, only new sessions
    again = heartbeat.seed(learners=3)
    assert again["lesson"] == lesson.pk
    assert TrainingClass.objects.filter(name__contains=heartbeat.CLASS_MARK).count() == 2
    assert Enrolment.objects.filter(training_class__in=classes).count() == 3
    assert Session.objects.count() >= 6 and set(again["sessions"]).isdisjoint(written["sessions"])
