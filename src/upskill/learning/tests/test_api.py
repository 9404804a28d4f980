"""The learning API (WH20-PLT-1, WH20-PRG-1): the platform's courses with their outline and its
learners' watched time, read-only, under the pages' scope."""

from __future__ import annotations

from datetime import timedelta

from upskill.core import clock as clock_module
from upskill.learning import services
from upskill.learning.models import Lesson

from . import factories


def _watched(world, make_user, make_person, seconds: int = 15):
    lesson = Lesson.objects.get(section__course=factories.course(make_user))
    learner = factories.learner_in_class(world, make_user, make_person)
    services.playback_start(actor=learner, lesson=lesson, device="phone")
    clock_module.advance(timedelta(seconds=seconds))
    services.heartbeat_record(
        actor=learner, lesson=lesson, device="phone", segments=[(0, seconds)], position=seconds
    )
    return learner, lesson


def test_the_operator_reads_its_courses_and_their_outline(world, make_user, client):
    course = factories.course(make_user)
    client.force_login(factories.operator(make_user))
    listed = client.get("/api/learning/courses").json()
    assert [row["id"] for row in listed["items"]] == [course.pk]
    detail = client.get(f"/api/learning/courses/{course.pk}").json()
    lesson = Lesson.objects.get(section__course=course)
    assert detail["title"] == course.title and detail["published"] is True
    assert detail["sections"][0]["lessons"][0] == {
        "id": lesson.pk,
        "title": lesson.title,
        "position": lesson.position,
        "medium": lesson.medium,
        "delivery": lesson.delivery,
        "required_seconds": 60,
        "duration_seconds": lesson.duration_seconds,
    }


def test_the_operator_reads_watched_time_per_learner_and_lesson(
    world, make_user, make_person, client, clock
):
    learner, lesson = _watched(world, make_user, make_person)
    client.force_login(factories.operator(make_user))
    rows = client.get(f"/api/learning/progress?course_id={lesson.section.course_id}").json()
    (row,) = rows["items"]
    assert (row["person_id"], row["lesson_id"]) == (learner.person.pk, lesson.pk)
    assert (row["watched_seconds"], row["required_seconds"], row["percent"]) == (15, 60, 25)
    assert row["completed_at"] is None
    assert row["id_number_masked"] == learner.person.id_number_masked
    assert learner.person.id_number not in str(rows)
    assert client.get("/api/learning/progress?person_id=0").json()["items"] == []


def test_others_get_nothing_of_the_platforms_learning(world, make_user, make_person, client, clock):
    _learner, lesson = _watched(world, make_user, make_person)
    course_id = lesson.section.course_id
    client.force_login(make_user("wh_ent1", "hr_clerk"))  # no permission on courses
    assert client.get("/api/learning/courses").status_code == 403
    assert client.get(f"/api/learning/courses/{course_id}").status_code == 403
    assert client.get("/api/learning/progress").status_code == 403
    # a learner follows their own progress in the portal; the staff API does not exist for them
    client.force_login(_learner)
    assert client.get("/api/learning/progress").status_code == 404
