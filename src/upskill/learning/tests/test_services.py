"""A platform's courses and a learner's watched time through the services (WH20-PLT-1,
WH20-PRG-1)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.http import Http404

from upskill.core.scoping import SYSTEM, visible
from upskill.learning import services
from upskill.learning.models import Course, Heartbeat, Lesson, LessonProgress
from upskill.registry.services import person_account_create

from . import factories

T0 = datetime(2020, 8, 5, 20, 0)


@pytest.fixture
def setup(world, make_user, make_person, clock):
    clock.set_to(T0)
    course = factories.course(make_user)
    learner = factories.learner_in_class(world, make_user, make_person)
    lesson = Lesson.objects.get(section__course=course)
    return learner, lesson


def _beat(learner, lesson, segments, *, device="phone", position=None):
    return services.heartbeat_record(
        actor=learner,
        lesson=lesson,
        device=device,
        segments=segments,
        position=position if position is not None else (segments[-1][1] if segments else 0),
    )


def test_only_the_platforms_operator_builds_its_courses(world, make_user):
    with pytest.raises(PermissionDenied):
        services.course_create(
            actor=make_user("wh_ent1", "hr_clerk"), occupation_name="钳工", level=4, title="x"
        )
    course = factories.course(make_user, publish=False)
    assert course.platform == world["platform"]
    with pytest.raises(ValidationError):
        services.lesson_add(
            actor=factories.operator(make_user),
            section=course.sections.get(),
            title="视频",
            medium="video",
            file=ContentFile(b"not a video", name="a.exe"),
            required_seconds=10,
        )
    # a draft is the platform's alone; published, every organisation reads it
    hr = make_user("wh_ent1", "hr_clerk")
    assert not visible(Course, hr).filter(pk=course.pk).exists()
    services.course_publish(actor=factories.operator(make_user), course=course)
    assert visible(Course, hr).filter(pk=course.pk).exists()


def test_a_learner_sees_the_courses_of_their_class_only(setup, make_person):
    learner, lesson = setup
    assert visible(Lesson, learner).filter(pk=lesson.pk).exists()

    stranger = person_account_create(
        actor=SYSTEM,
        person=make_person(),
        username="stranger",
        password="Test#Pass2023",
        check_password=False,
    )
    assert not visible(Lesson, stranger).exists()
    with pytest.raises(Http404):
        services.playback_start(actor=stranger, lesson=lesson, device="x")


def test_wh20_prg_1_watched_time_is_unique_seconds_within_wall_clock(setup, clock):
    learner, lesson = setup
    progress = services.playback_start(actor=learner, lesson=lesson, device="phone")
    assert progress.position == 0
    clock.advance(timedelta(seconds=15))
    result = _beat(learner, lesson, [(0, 15)])
    assert (result.added, result.progress.watched_seconds) == (15, 15)
    # replayed: nothing new
    clock.advance(timedelta(seconds=15))
    assert _beat(learner, lesson, [(0, 15)]).added == 0
    # played at 2x for 15 s: wall-clock time and 3 s of slack count, the rest is refused
    clock.advance(timedelta(seconds=15))
    result = _beat(learner, lesson, [(15, 45)])
    assert (result.added, result.over_rate) == (18, 12)
    assert result.progress.watched_seconds == 33
    assert Heartbeat.objects.filter(person=learner.person).count() == 3


def test_wh20_prg_1_seeking_ahead_does_not_count(setup, clock):
    learner, lesson = setup
    services.playback_start(actor=learner, lesson=lesson, device="phone")
    clock.advance(timedelta(seconds=15))
    _beat(learner, lesson, [(0, 10)])
    clock.advance(timedelta(seconds=15))
    result = _beat(learner, lesson, [(40, 55)])
    assert (result.added, result.ahead, result.progress.watched_seconds) == (0, 15, 10)
    assert result.progress.position == 55  # where the player stands, for resuming


def test_wh20_prg_1_the_lesson_completes_at_95_percent(setup, clock):
    learner, lesson = setup  # 60 s required: 57 s complete it
    services.playback_start(actor=learner, lesson=lesson, device="phone")
    for start in (0, 15, 30):
        clock.advance(timedelta(seconds=15))
        _beat(learner, lesson, [(start, start + 15)])
    clock.advance(timedelta(seconds=15))
    result = _beat(learner, lesson, [(45, 56)])
    assert result.progress.watched_seconds == 56 and result.progress.completed_at is None
    clock.advance(timedelta(seconds=15))
    result = _beat(learner, lesson, [(56, 57)])
    assert result.progress.completed_at == clock.now()


def test_one_playing_device_the_newest_wins_and_resume_anywhere(setup, clock):
    learner, lesson = setup
    services.playback_start(actor=learner, lesson=lesson, device="phone")
    clock.advance(timedelta(seconds=15))
    _beat(learner, lesson, [(0, 12)], position=12)
    progress = services.playback_start(actor=learner, lesson=lesson, device="laptop")
    assert progress.position == 12  # resumes where the phone stopped
    clock.advance(timedelta(seconds=15))
    stopped = _beat(learner, lesson, [(12, 27)], device="phone")
    assert stopped.stop and stopped.added == 0 and "another device" in stopped.message
    result = _beat(learner, lesson, [(12, 27)], device="laptop")
    assert result.added == 15 and not result.stop
    assert LessonProgress.objects.get(person=learner.person).watched == [[0, 27]]


def test_only_a_learner_plays(setup, make_user):
    _learner, lesson = setup
    with pytest.raises(PermissionDenied):
        services.playback_start(actor=factories.operator(make_user), lesson=lesson, device="x")
