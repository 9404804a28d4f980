"""The heartbeat is the hot path (issue 17: 1,000 learners every 15 s): a bounded number of
queries per request, no audit-history row, one row locked, and no session write on each beat;
the heartbeats' table is partitioned by month on PostgreSQL (issue 19.5)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from upskill.core import partitions
from upskill.learning import services
from upskill.learning.models import Heartbeat, Lesson, LessonProgress, Playback

from . import factories

POSTGRES = connection.vendor == "postgresql"
T0 = datetime(2020, 8, 5, 20, 0)


@pytest.fixture
def player(world, make_user, make_person, client, clock):
    """A learner logged in with the lesson open and playback started on ``phone``."""
    clock.set_to(T0)
    course = factories.course(make_user, required_seconds=600)
    learner = factories.learner_in_class(world, make_user, make_person)
    lesson = Lesson.objects.get(section__course=course)
    client.force_login(learner, backend="upskill.registry.auth.LearnerBackend")  # as a log-in
    url = f"/me/learning/lessons/{lesson.pk}"
    assert client.post(f"{url}/start", {"device": "phone"}, "application/json").status_code == 200

    def beat(start: int, end: int):
        clock.advance(timedelta(seconds=end - start))
        return client.post(
            f"{url}/heartbeat",
            json.dumps({"device": "phone", "segments": [[start, end]], "position": end}),
            content_type="application/json",
        )

    return learner, lesson, beat


def test_a_heartbeat_request_takes_a_bounded_number_of_queries(
    player, django_assert_max_num_queries
):
    learner, _lesson, beat = player
    beat(0, 15)  # the first request after the log-in writes the session
    # the session, the user with their person; the lesson in scope; the playback locked, the
    # progress read and updated, the heartbeat appended, the playback updated (and the
    # savepoint or transaction around them; on PostgreSQL the commit told not to wait for
    # the disk)
    with django_assert_max_num_queries(11 if POSTGRES else 10):
        response = beat(15, 30)
    assert response.status_code == 200 and response.json()["watched"] == 30
    with CaptureQueriesContext(connection) as queries:
        beat(30, 45)
    statements = [query["sql"] for query in queries.captured_queries]
    assert not any("history" in sql.lower() for sql in statements)  # no audit-trail row
    assert sum("FOR UPDATE" in sql for sql in statements) == (1 if POSTGRES else 0)
    assert any("synchronous_commit" in sql for sql in statements) is POSTGRES
    assert not any("django_session" in sql and sql.startswith("UPDATE") for sql in statements)
    assert Heartbeat.objects.filter(person=learner.person).count() == 3


def test_the_service_reads_the_lesson_once_and_locks_only_the_playback(
    player, django_assert_max_num_queries, clock
):
    learner, lesson, _beat = player
    learner.person  # the middleware has read it on a request  # noqa: B018
    clock.advance(timedelta(seconds=15))
    with django_assert_max_num_queries(9 if POSTGRES else 8):
        result = services.heartbeat_record(
            actor=learner, lesson=lesson.pk, device="phone", segments=[(0, 15)], position=15
        )
    assert result.added == 15 and result.progress.lesson == lesson
    assert LessonProgress.objects.get(person=learner.person).watched_seconds == 15


def test_the_idle_session_is_refreshed_at_most_once_a_minute(player, settings):
    _learner, _lesson, beat = player
    beat(0, 15)
    session = Session.objects.get()
    beat(15, 30)
    assert Session.objects.get().expire_date == session.expire_date  # not written again
    settings.UPSKILL_SESSION_REFRESH_SECONDS = 0  # a minute later: the expiry moves on
    beat(30, 45)
    assert Session.objects.get().expire_date > session.expire_date
    assert (
        Session.objects.get().get_decoded()["_auth_user_id"]
        == session.get_decoded()["_auth_user_id"]
    )


def test_heartbeats_are_partitioned_by_month_on_postgresql(player, clock) -> None:
    learner, _lesson, beat = player
    beat(0, 15)
    first = Heartbeat.objects.get(person=learner.person)
    if not POSTGRES:
        assert not partitions.is_partitioned("learning_heartbeat")
        assert partitions.monthly_partitions_ensure("learning_heartbeat") == []
        return
    assert partitions.is_partitioned("learning_heartbeat")
    assert partitions.PARTITIONED["learning_heartbeat"] == "received_at"
    # August 2020 predates the partitions made at migration: its row waits in the default one
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM learning_heartbeat WHERE id = %s", [first.pk]
        )
        assert cursor.fetchone()[0] == "learning_heartbeat_default"
    created = partitions.monthly_partitions_ensure(
        "learning_heartbeat", since=T0.date(), today=T0.date(), months_ahead=0
    )
    assert created == ["learning_heartbeat_p202008"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM learning_heartbeat WHERE id = %s", [first.pk]
        )
        assert cursor.fetchone()[0] == "learning_heartbeat_p202008"
    second = beat(15, 30)
    assert second.status_code == 200
    assert Heartbeat.objects.filter(person=learner.person).count() == 2
    assert Playback.objects.get(person=learner.person).played == 30


def test_the_heartbeats_table_goes_back_to_a_plain_one_and_again_keeping_rows(player) -> None:
    _learner, _lesson, beat = player
    beat(0, 15)
    beat(15, 30)
    ids = sorted(Heartbeat.objects.values_list("pk", flat=True))
    if POSTGRES:  # the foreign keys' checks of this test's rows, due at commit, run now
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    partitions.unpartition(connection, "learning_heartbeat", "received_at")
    assert not partitions.is_partitioned("learning_heartbeat")
    partitions.partition_by_month(connection, "learning_heartbeat", "received_at")
    assert partitions.is_partitioned("learning_heartbeat") is POSTGRES
    assert sorted(Heartbeat.objects.values_list("pk", flat=True)) == ids
    assert beat(30, 45).status_code == 200  # the id sequence goes on after the rows kept
    assert max(Heartbeat.objects.values_list("pk", flat=True)) > ids[-1]
