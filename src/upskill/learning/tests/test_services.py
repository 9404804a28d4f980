"""A platform's courses and a learner's watched time through the services (WH20-PLT-1,
WH20-PRG-1)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.http import Http404

from upskill.core.scoping import SYSTEM, visible
from upskill.learning import selectors, services
from upskill.learning.models import Course, Heartbeat, Lesson, LessonProgress, Playback
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


def test_wh20_prg_1_the_wall_clock_cap_runs_from_the_playbacks_start(setup, clock):
    """A first heartbeat that reaches the server late does not eat into the next one: the
    budget is the wall-clock time since the playback began, less what was played."""
    learner, lesson = setup
    services.playback_start(actor=learner, lesson=lesson, device="phone")
    clock.advance(timedelta(seconds=20))  # sent at 15 s, arrived at 20 s
    assert _beat(learner, lesson, [(0, 15)]).added == 15
    clock.advance(timedelta(seconds=10))  # sent at 30 s, on time
    result = _beat(learner, lesson, [(15, 30)])
    assert (result.added, result.over_rate) == (15, 0)
    # still no faster than the clock: 45 s of content in 35 s (3 s of slack) is refused
    clock.advance(timedelta(seconds=5))
    result = _beat(learner, lesson, [(30, 45)])
    assert (result.added, result.over_rate) == (8, 7)


@pytest.fixture
def presence(settings):
    """Presence checks every 20 s of playing (the parameter in seconds, as tests may)."""
    settings.UPSKILL_LEARNING_PRESENCE_MIN_SECONDS = 20
    settings.UPSKILL_LEARNING_PRESENCE_MAX_SECONDS = 20


def test_wh20_prg_1_a_presence_check_is_due_in_played_time_and_blocks_until_answered(
    setup, clock, presence
):
    learner, lesson = setup
    services.playback_start(actor=learner, lesson=lesson, device="phone")
    assert Playback.objects.get(person=learner.person).check_due == 20  # the server draws it
    clock.advance(timedelta(seconds=15))
    result = _beat(learner, lesson, [(0, 15)])
    assert result.added == 15 and not result.check
    clock.advance(timedelta(seconds=15))
    result = _beat(learner, lesson, [(15, 30)])
    # the check falls due at 20 s of playing: what was played after it does not count
    assert (result.added, result.over_rate) == (5, 10)
    assert result.check and "I am here" in result.message
    # unanswered: nothing counts, however long the learner plays
    clock.advance(timedelta(seconds=15))
    missed = _beat(learner, lesson, [(20, 35)])
    assert (missed.added, missed.check) == (0, result.check)
    assert Heartbeat.objects.filter(refused="presence").count() == 1
    # starting the lesson again does not skip the check
    services.playback_start(actor=learner, lesson=lesson, device="phone")
    assert selectors.pending_check(actor=learner) == result.check
    with pytest.raises(ValidationError):
        services.presence_answer(actor=learner, device="phone", token="guessed")
    clock.advance(timedelta(seconds=60))
    services.presence_answer(actor=learner, device="phone", token=result.check)
    assert selectors.pending_check(actor=learner) == ""
    # the minute the check waited is not a budget to spend: counting starts at the answer
    clock.advance(timedelta(seconds=10))
    after = _beat(learner, lesson, [(20, 50)])
    assert (after.added, after.over_rate) == (13, 17)
    playback = Playback.objects.get(person=learner.person)
    assert (playback.played, playback.check_due) == (33, 40)  # the next check: 20 s on


def test_presence_check_interval_is_drawn_between_its_bounds(settings):
    settings.UPSKILL_LEARNING_PRESENCE_MIN_SECONDS = 600
    settings.UPSKILL_LEARNING_PRESENCE_MAX_SECONDS = 1200
    assert services.presence_interval() == (600, 1200)
    draws = {services._next_check(100) for _ in range(200)}
    assert min(draws) >= 700 and max(draws) <= 1300 and len(draws) > 1
