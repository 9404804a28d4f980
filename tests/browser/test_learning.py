"""The online path's player (issue 17, WH20-PRG-1): a learner of an online class on 明蛙's
platform opens the course from "my training" on a phone-sized screen, plays a short video
(a WebM generated with ffmpeg) to its end, and the watched time the player reported completes
the lesson; the page loads its own script only (CSP).

Issue 17's "Done when" journeys: an employee activates the account on a phone (Playwright's
Pixel 7 descriptor, tapping), watches part of a lesson, the page hidden pauses it, and the
lesson resumes at the saved position on the phone and on another device; one playing device
at a time (the newest wins, the other pauses with a message); seeking ahead adds no watched
time and the lesson completes at 95 % of its required time; HR's weekly page lists the
employee who is behind; an online class on a platform with two permits is refused."""

from __future__ import annotations

import re
import time
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from upskill.core.scoping import SYSTEM
from upskill.enterprise.services import contract_record
from upskill.learning import services
from upskill.learning.models import Heartbeat, Lesson, LessonProgress, Playback
from upskill.learning.tests import factories
from upskill.organisations.models import Region
from upskill.registry.services import learner_invitation_create, person_account_create
from upskill.training.models import Enrolment, TrainingClass

from .conftest import log_in


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
    lesson = _video_lesson(make_user, tmp_path, seconds=6, required=5)
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
    lesson = _video_lesson(make_user, tmp_path, seconds=8, required=5)
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


# --- issue 17's "Done when" journeys -------------------------------------------------------

PASSWORD = "Jiangcheng#2020x"


def _video_lesson(make_user, tmp_path, *, seconds: int, required: int) -> Lesson:
    """明蛙's published course for 钳工 level 4 with one video lesson of ``seconds``."""
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
        file=SimpleUploadedFile(
            "lesson.webm", factories.webm(tmp_path, seconds).read_bytes(), "video/webm"
        ),
        required_seconds=required,
    )
    services.course_publish(actor=operator, course=course)
    return lesson


def _employee_in_online_class(world, make_user, make_person):
    """周敏, an employee of 江城精密 (labour contract) enrolled in its online class on 明蛙's
    platform, with no account yet, and the activation link HR hands out."""
    factories.platform_catalog(world, **factories.VALID)
    hr = make_user("wh_ent1", "hr_clerk")
    person = make_person(township_code=None, county=Region.objects.get(code="420112"), name="周敏")
    contract_record(
        actor=SYSTEM,
        enterprise=world["wh_ent1"],
        person=person,
        signed=date(2018, 3, 1),
        years=Decimal(3),
        consecutive_insured_months=24,
        insured_as_of=date(2020, 7, 1),
        unemployment_insured_months=24,
    )
    training_class = factories.file_online_class(hr, platform=world["platform"])
    Enrolment.objects.create(training_class=training_class, person=person)
    return person, learner_invitation_create(actor=hr, person=person)


def _video_time(page) -> float:
    return page.evaluate("document.querySelector('video').currentTime")


def _play_until(page, seconds: float) -> float:
    """Play (muted: a script may start muted playback) and pause in the page as soon as the
    video's time reaches ``seconds`` (a timeupdate comes every quarter second or so); the
    player reports at the pause. Returns where it paused."""
    return page.evaluate(
        """(until) => new Promise((resolve) => {
          const video = document.querySelector('video');
          video.muted = true;
          const watch = () => {
            if (video.currentTime >= until) {
              video.removeEventListener('timeupdate', watch);
              video.pause();
              resolve(video.currentTime);
            }
          };
          video.addEventListener('timeupdate', watch);
          video.play();
        })""",
        seconds,
    )


def _until(page, condition: str, seconds: float = 15) -> None:
    """Wait until ``condition`` (a JavaScript expression) holds in the page. Polled from here:
    Playwright's wait_for_function compiles its predicate with eval, which the page's
    Content-Security-Policy forbids."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(condition):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {seconds} s: {condition}")
        page.wait_for_timeout(100)


def _progress(person, lesson) -> LessonProgress:
    return LessonProgress.objects.get(person=person, lesson=lesson)


def _track(page):
    """Keep count of the player's requests the server has not answered yet (``_settle``)."""
    inflight: set = set()

    def sent(request):
        if request.method == "POST" and "/me/learning/lessons/" in request.url:
            inflight.add(request)

    page.on("request", sent)
    page.on("requestfinished", lambda request: inflight.discard(request))
    page.on("requestfailed", lambda request: inflight.discard(request))
    page.player_requests = inflight
    return page


def _settle(*pages) -> None:
    """Wait until the players' reports are answered and none came for a moment: the test
    reads the database only then (the server writes what a report says before answering;
    SQLite's in-memory test database is locked while the live server writes)."""
    quiet = 0
    for _attempt in range(200):
        busy = any(page.player_requests for page in pages)
        quiet = 0 if busy else quiet + 1
        if quiet >= 4:
            return
        pages[0].wait_for_timeout(100)
    raise AssertionError("the player's reports were not answered")


def test_an_employee_activates_on_a_phone_and_the_lesson_resumes_where_they_left_on_any_device(
    phone, browser, live_server, world, make_user, make_person, tmp_path, settings
):
    """(a), (e) and the phone: activation by tapping, part of the lesson played, the page
    hidden pauses it, the phone leaves and comes back, and another device opens the lesson at
    the same position."""
    settings.UPSKILL_LEARNING_RATE_SLACK = 15
    lesson = _video_lesson(make_user, tmp_path, seconds=30, required=20)
    person, invitation = _employee_in_online_class(world, make_user, make_person)
    _track(phone)

    phone.goto(invitation.path)
    phone.fill("input[name=id_number]", person.id_number)
    phone.fill("input[name=name]", person.name)
    phone.fill("input[name=password1]", PASSWORD)
    phone.fill("input[name=password2]", PASSWORD)
    phone.get_by_test_id("activate").tap()
    phone.wait_for_url("**/me/")
    phone.get_by_test_id("portal-courses").get_by_role("link").tap()
    phone.get_by_test_id("open-lesson").tap()
    phone.get_by_test_id("video").wait_for()
    assert phone.evaluate("navigator.maxTouchPoints") > 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 412

    # played part way, then the page is hidden (another app in front): the player pauses
    phone.evaluate("document.querySelector('video').muted = true")
    phone.get_by_test_id("video").tap()  # the tap shows the phone's controls or plays
    if phone.evaluate("document.querySelector('video').paused"):
        phone.evaluate("document.querySelector('video').play()")
    _until(phone, "document.querySelector('video').currentTime >= 4", seconds=30)
    phone.evaluate(
        """() => {
          Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
          Object.defineProperty(document, 'hidden', {value: true, configurable: true});
          document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )
    assert phone.evaluate("document.querySelector('video').paused")
    expect(phone.get_by_test_id("player-message")).to_have_text("页面不在前台，已暂停播放。")
    left_at = _video_time(phone)
    _settle(phone)
    progress = _progress(person, lesson)
    assert abs(progress.position - left_at) <= 1
    assert 3 <= progress.watched_seconds <= int(left_at) + 1 and progress.completed_at is None

    # the phone leaves and comes back: the video resumes at the saved position
    phone.goto("about:blank")
    phone.goto(f"/me/learning/lessons/{lesson.pk}/")
    _until(phone, "document.querySelector('video').currentTime > 0")
    assert abs(_video_time(phone) - progress.position) < 1

    # another device (a fresh browser: its own device id), logged in by ID number
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    try:
        desk = context.new_page()
        desk.set_default_timeout(15_000)
        desk.goto("/me/login/")
        desk.fill("input[name=id_number]", person.id_number)
        desk.fill("input[name=password]", PASSWORD)
        desk.click("[data-testid=learner-login]")
        desk.wait_for_url("**/me/")
        desk.goto(f"/me/learning/lessons/{lesson.pk}/")
        _until(desk, "document.querySelector('video').currentTime > 0")
        assert abs(_video_time(desk) - progress.position) < 1
        expect(desk.get_by_test_id("progress-text")).to_contain_text(
            f"{progress.watched_seconds} / 20"
        )
    finally:
        context.close()
    phone.goto("about:blank")
    phone.wait_for_timeout(500)  # the page's last report as it goes (a keep-alive request)


def test_one_playing_device_the_newest_wins_and_the_other_pauses_with_a_message(
    page, browser, live_server, world, make_user, make_person, tmp_path, settings
):
    """(d): the learner plays on one device, then starts on a second: the first pauses at its
    next report and says why; the second goes on counting."""
    settings.UPSKILL_LEARNING_RATE_SLACK = 15
    settings.UPSKILL_LEARNING_HEARTBEAT_SECONDS = 2
    lesson = _video_lesson(make_user, tmp_path, seconds=30, required=20)
    learner = factories.learner_in_class(world, make_user, make_person)
    _track(page)
    device = "localStorage.getItem('upskill-learning-device')"

    log_in(page, learner.username)
    page.goto(f"/me/learning/lessons/{lesson.pk}/")
    page.get_by_test_id("video").wait_for()
    page.evaluate("document.querySelector('video').muted = true")
    page.evaluate("document.querySelector('video').play()")
    expect(page.get_by_test_id("player")).to_have_attribute(
        "data-watched", re.compile(r"[1-9]"), timeout=20_000
    )

    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    try:
        second = _track(context.new_page())
        second.set_default_timeout(15_000)
        log_in(second, learner.username)
        second.goto(f"/me/learning/lessons/{lesson.pk}/")
        second.get_by_test_id("video").wait_for()
        assert second.evaluate(device) != page.evaluate(device)
        second.evaluate("document.querySelector('video').muted = true")
        second.evaluate("document.querySelector('video').play()")
        # the first device's next report is refused: it pauses and says why
        expect(page.get_by_test_id("player-message")).to_have_text(
            "您已在另一台设备上播放，本设备已暂停。", timeout=20_000
        )
        assert page.evaluate("document.querySelector('video').paused")
        # the newest device goes on: its reports count
        watched = int(page.get_by_test_id("player").get_attribute("data-watched"))
        _until(
            second,
            f"+document.getElementById('lesson-player').dataset.watched > {watched}",
            seconds=20,
        )
        assert not second.evaluate("document.querySelector('video').paused")
        second.evaluate("document.querySelector('video').pause()")
        _settle(page, second)
        playback = Playback.objects.get(person=learner.person)
        assert playback.device == second.evaluate(device)
        first = page.evaluate(device)
        assert Heartbeat.objects.filter(
            person=learner.person, device=first, refused="device"
        ).exists()
        assert Heartbeat.objects.filter(
            person=learner.person, device=playback.device, added__gt=0
        ).exists()
        second.goto("about:blank")
        second.wait_for_timeout(500)
    finally:
        context.close()
    _leave(page)


def test_seeking_ahead_adds_nothing_and_the_lesson_completes_at_95_percent(
    page, world, make_user, make_person, tmp_path, settings
):
    """(b) and (c): three seconds played, a jump to 0:25 and two seconds there count nothing
    (the server keeps the furthest point watched); played on from 0:03, the lesson completes
    at 19 of its 20 required seconds (95 %), before the video's end."""
    settings.UPSKILL_LEARNING_RATE_SLACK = 15
    lesson = _video_lesson(make_user, tmp_path, seconds=30, required=20)
    learner = factories.learner_in_class(world, make_user, make_person)
    person = learner.person
    _track(page)

    log_in(page, learner.username)
    page.goto(f"/me/learning/lessons/{lesson.pk}/")
    page.get_by_test_id("video").wait_for()
    _play_until(page, 2.8)  # rounds to the 3rd second
    expect(page.get_by_test_id("progress-text")).to_contain_text("3 / 20")
    page.evaluate("document.querySelector('video').currentTime = 25")
    _until(page, "!document.querySelector('video').seeking")
    _play_until(page, 27)
    _settle(page)
    progress = _progress(person, lesson)
    assert progress.watched_seconds == 3 and progress.furthest == 3
    assert progress.watched == [[0, 3]]
    assert sum(Heartbeat.objects.filter(person=person).values_list("ahead", flat=True)) >= 2
    expect(page.get_by_test_id("progress-text")).to_contain_text("3 / 20")

    # back to where the learner stopped, played on: complete at 95 % of the required time
    page.evaluate("document.querySelector('video').currentTime = 3")
    _until(page, "!document.querySelector('video').seeking")
    paused = _play_until(page, 18.8)
    assert paused < 19.5  # rounds to the 19th second
    expect(page.get_by_test_id("player")).to_have_attribute("data-complete", "1")
    text = page.get_by_test_id("progress-text")
    expect(text).to_contain_text("19 / 20")
    expect(text).to_contain_text("(95 %)")
    expect(text).to_contain_text("已完成")
    assert page.evaluate("document.querySelector('progress').value") == 95
    assert not page.evaluate("document.querySelector('video').ended")
    _settle(page)
    progress = _progress(person, lesson)
    assert progress.watched_seconds == 19 and progress.completed_at is not None
    _leave(page)


def test_hr_takes_the_weekly_snapshot_and_sees_the_employee_who_is_behind(
    page, world, make_user, make_person, settings
):
    """(f) WH20-PRG-1: two employees in the online class of a one-lesson course; one completed
    the lesson, the other watched 4 seconds. The class's end date has passed, so an even pace
    expects the lesson: HR takes the snapshot with the button and sees who is behind."""
    settings.UPSKILL_LEARNING_RATE_SLACK = 15
    course = factories.course(make_user, required_seconds=10)
    lesson = Lesson.objects.get(section__course=course)
    keen = factories.learner_in_class(world, make_user, make_person)
    slow_person = make_person(name="刘强")
    Enrolment.objects.create(
        training_class=Enrolment.objects.get(person=keen.person).training_class, person=slow_person
    )
    slow = person_account_create(
        actor=SYSTEM,
        person=slow_person,
        username="slow",
        password="Test#Pass2023",
        check_password=False,
    )
    for learner, seconds in ((keen, 10), (slow, 4)):
        services.playback_start(actor=learner, lesson=lesson, device="phone")
        services.heartbeat_record(
            actor=learner, lesson=lesson, device="phone", segments=[(0, seconds)], position=seconds
        )
    hr = make_user("wh_ent1", "hr_clerk")

    log_in(page, hr.username)
    page.goto("/learning/weekly/")
    page.get_by_test_id("weekly-run").click()
    page.wait_for_url("**/jobs/**")
    page.goto("/learning/weekly/")
    behind = page.get_by_test_id("behind")
    expect(behind).to_have_count(1)
    expect(behind).to_contain_text("刘强")
    expect(behind).to_contain_text("进度落后")
    rows = page.get_by_test_id("weekly-rows")
    expect(rows).to_contain_text(keen.person.name)
    expect(rows.locator("tr", has_text=keen.person.name)).not_to_have_attribute(
        "data-testid", "behind"
    )


def test_an_online_class_on_a_platform_with_two_permits_is_refused_in_the_page(
    page, world, make_user
):
    """(g) WH20-PLT-1: 明蛙's platform is listed without its skill-level assessment permit;
    HR files an online class on it and the page refuses it, naming the missing permit."""
    factories.platform_catalog(world, **dict(factories.VALID, assessment_permit=""))
    entry = factories.online_entry()
    street = factories.street()
    hr = make_user("wh_ent1", "hr_clerk")

    log_in(page, hr.username)
    page.goto("/training/classes/new/")
    page.fill("input[name=name]", "江城精密线上钳工（四级）培训班")
    page.select_option("select[name=catalog_entry]", str(entry.pk))
    page.select_option("select[name=township]", str(street.pk))
    page.fill("input[name=venue]", "明蛙线上职业培训平台")
    page.select_option("select[name=platform]", str(world["platform"].pk))
    page.fill("input[name=start_date]", "2020-08-03")
    page.fill("input[name=end_date]", "2020-08-14")
    page.fill("input[name=planned_places]", "20")
    page.fill("textarea[name=assessment_method]", "线上理论考试，线下实操考核")
    page.get_by_test_id("save-class").click()
    page.wait_for_load_state()
    main = page.locator("main")
    expect(main).to_contain_text("WH20-PLT-1")
    expect(main).to_contain_text("技能等级评价")
    assert "/training/classes/new/" in page.url
    assert not TrainingClass.objects.filter(platform=world["platform"]).exists()
