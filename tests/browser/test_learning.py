"""The online path's player (issue 17, WH20-PRG-1): a learner of an online class on 明蛙's
platform opens the course from "my training" on a phone-sized screen, plays a short video
(a WebM generated with ffmpeg) to its end, and the watched time the player reported completes
the lesson; the page loads its own script only (CSP)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from upskill.learning import services
from upskill.learning.models import Heartbeat, LessonProgress
from upskill.learning.tests import factories

from .conftest import log_in


def _webm(tmp_path, seconds: int = 6) -> bytes:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.fail("ffmpeg is missing: `make test` installs Debian's ffmpeg")
    out = tmp_path / "lesson.webm"
    subprocess.run(
        [
            ffmpeg,
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=duration={seconds}:size=160x120:rate=10",
            "-c:v",
            "libvpx",
            "-b:v",
            "100k",
            str(out),
        ],
        check=True,
        timeout=60,
    )
    return out.read_bytes()


def _leave(page) -> None:
    """Leave the lesson page while the test's database is still there: the player reports
    once more when the page goes (a keep-alive request the server answers after the page)."""
    page.evaluate("document.querySelector('video').pause()")
    page.goto("about:blank")
    page.wait_for_timeout(1500)


def test_a_learner_plays_a_lesson_and_the_watched_time_completes_it(
    page, world, make_user, make_person, tmp_path, settings
):
    # On a loaded CI machine the player's first report can reach the server seconds after
    # playback began; the wall-clock cap itself is held exactly by the service tests.
    settings.UPSKILL_LEARNING_RATE_SLACK = 15
    operator = factories.operator(make_user)
    course = services.course_create(
        actor=operator, occupation_name="钳工", level=4, title="钳工（四级）线上课程"
    )
    section = services.section_add(actor=operator, course=course, title="第一章 安全生产")
    lesson = services.lesson_add(
        actor=operator,
        section=section,
        title="1.1 安全生产短片",
        medium="video",
        file=SimpleUploadedFile("lesson.webm", _webm(tmp_path), "video/webm"),
        required_seconds=5,
    )
    services.course_publish(actor=operator, course=course)
    learner = factories.learner_in_class(world, make_user, make_person)

    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, learner.username)
    page.goto("/me/")
    page.get_by_test_id("portal-courses").get_by_role("link").click()
    page.get_by_test_id("open-lesson").click()
    video = page.get_by_test_id("video")
    video.wait_for()
    page.evaluate("document.querySelector('video').muted = true")
    page.evaluate("document.querySelector('video').play()")
    # the player reports when the video ends; the server's answer marks the lesson complete
    expect(page.get_by_test_id("player")).to_have_attribute("data-complete", "1", timeout=40_000)
    progress = LessonProgress.objects.get(person=learner.person, lesson=lesson)
    assert progress.completed_at is not None
    assert progress.watched_seconds >= 5
    assert "已完成" in page.get_by_test_id("progress-text").inner_text()
    # its heartbeats are their own records, with what counted
    assert Heartbeat.objects.filter(person=learner.person, added__gt=0).exists()
    # no wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    _leave(page)


def test_a_presence_check_stops_the_count_until_the_learner_clicks(
    page, world, make_user, make_person, tmp_path, settings
):
    """WH20-PRG-1: after a few seconds of playing (the parameter, in seconds here) the server
    says a presence check is due; the player pauses and asks for a click; the time played
    until the click does not count; after it the lesson goes on and completes."""
    settings.UPSKILL_LEARNING_RATE_SLACK = 15
    settings.UPSKILL_LEARNING_HEARTBEAT_SECONDS = 2
    settings.UPSKILL_LEARNING_PRESENCE_MIN_SECONDS = 3
    settings.UPSKILL_LEARNING_PRESENCE_MAX_SECONDS = 3
    operator = factories.operator(make_user)
    course = services.course_create(
        actor=operator, occupation_name="钳工", level=4, title="钳工（四级）线上课程"
    )
    section = services.section_add(actor=operator, course=course, title="第一章 安全生产")
    lesson = services.lesson_add(
        actor=operator,
        section=section,
        title="1.1 安全生产短片",
        medium="video",
        file=SimpleUploadedFile("lesson.webm", _webm(tmp_path, seconds=8), "video/webm"),
        required_seconds=5,
    )
    services.course_publish(actor=operator, course=course)
    learner = factories.learner_in_class(world, make_user, make_person)

    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, learner.username)
    page.goto(f"/me/learning/lessons/{lesson.pk}/")
    page.get_by_test_id("video").wait_for()
    page.evaluate("document.querySelector('video').muted = true")
    page.evaluate("document.querySelector('video').play()")
    check = page.get_by_test_id("presence-check")
    expect(check).to_be_visible(timeout=30_000)
    expect(check).to_contain_text("WH20-PRG-1")
    assert page.evaluate("document.querySelector('video').paused")
    progress = LessonProgress.objects.get(person=learner.person, lesson=lesson)
    assert progress.watched_seconds == 3 and progress.completed_at is None
    # played while the check waits (a script playing on): nothing counts
    page.evaluate("document.querySelector('video').play()")
    assert page.evaluate("document.querySelector('video').paused")

    page.get_by_test_id("presence-answer").click()
    expect(page.get_by_test_id("player")).to_have_attribute("data-complete", "1", timeout=40_000)
    progress.refresh_from_db()
    assert progress.completed_at is not None
    _leave(page)
