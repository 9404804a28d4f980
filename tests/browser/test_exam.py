"""The online theory exam (issue 17 item 5, WH20-EXM-1, HB61-ONL-1): a learner of an online
class takes the exam from "my training", fails, retakes at once (the waiting time is 0 here),
passes, and the result appears as the theory part on the class's exam session page; the same
journey on a phone (Chromium's mobile emulation). Each choice is saved as it is clicked."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from upskill.assessment import services as assessment
from upskill.core.scoping import SYSTEM
from upskill.exams.models import ExamAttempt
from upskill.exams.tests.factories import (
    bank,
    blueprint,
    learner_in_class,
    right_choice,
    wrong_choice,
)
from upskill.training.models import TrainingClass

from .conftest import log_in


def _world(world, make_user, make_person):
    """The bank, an open exam with no waiting time, a learner, and the class's first exam
    session scheduled (the class set running directly: its lifecycle is training's)."""
    bank(make_user)
    exam = blueprint(make_user, wait_minutes=0)
    learner = learner_in_class(world, make_user, make_person)
    enrolment = learner.person.enrolments.get()
    TrainingClass.objects.filter(pk=enrolment.training_class_id).update(status="running")
    session = assessment.session_create(
        actor=SYSTEM,
        training_class=enrolment.training_class,
        date=date(2020, 8, 14),
        place="武汉市东西湖区实操考场",
        examiners="李考评",
    )
    return exam, learner, session


def _press(locator, touch: bool) -> None:
    """Where a person taps on a phone, the journey taps."""
    if touch:
        locator.tap()
    else:
        locator.click()


def _take(page, *, right: bool, touch: bool = False) -> None:
    """On the paper page: click (tap) every question's right (or a wrong) option and wait
    until the server has saved it, then hand in."""
    page.get_by_test_id("paper").wait_for()
    attempt = ExamAttempt.objects.get(status="open")
    assert "answer" not in page.content().lower()
    for pq in attempt.paper.select_related("question").order_by("position"):
        for shown in right_choice(pq) if right else wrong_choice(pq):
            option = page.locator(f"#q{pq.position}_{shown}")
            if touch:
                option.tap()
                expect(option).to_be_checked()
            else:
                option.check()
        expect(page.locator(f'fieldset[data-position="{pq.position}"]')).to_have_attribute(
            "data-saved", "1"
        )
    _press(page.get_by_test_id("submit"), touch)
    page.get_by_test_id("result").wait_for()


def _journey(page, staff_page, exam, learner, session, make_user, *, touch: bool = False):
    log_in(page, learner.username)
    page.goto("/me/")
    _press(page.get_by_role("link", name="参加考试"), touch)
    _press(page.get_by_test_id("start"), touch)
    _take(page, right=False, touch=touch)
    expect(page.get_by_test_id("verdict")).to_have_class("text-danger")
    _press(page.get_by_test_id("retake"), touch)
    _take(page, right=True, touch=touch)
    expect(page.get_by_test_id("verdict")).to_have_class("text-success")
    expect(page.get_by_test_id("score")).to_contain_text("100.0")
    passed = ExamAttempt.objects.get(passed=True)
    assert passed.number == 2
    # the organiser's clerk sees it as the theory part of the class's exam session
    staff = make_user("wh_ent1", "hr_clerk")
    log_in(staff_page, staff.username)
    staff_page.goto(f"/assessment/sessions/{session.pk}/")
    expect(staff_page.locator("main")).to_contain_text(f"EXAM-{passed.pk}")
    expect(staff_page.locator("main")).to_contain_text("100.0")


@pytest.fixture
def staff_page(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    yield context.new_page()
    context.close()


def test_a_learner_fails_retakes_and_passes_and_the_assessment_shows_it(
    page, staff_page, world, make_user, make_person
):
    exam, learner, session = _world(world, make_user, make_person)
    page.set_viewport_size({"width": 1366, "height": 768})
    _journey(page, staff_page, exam, learner, session, make_user)


def test_the_same_journey_on_a_phone(phone, staff_page, world, make_user, make_person):
    """Playwright's Pixel 7 descriptor (user agent, 412 px viewport, touch): the learner taps
    the links, the options and the buttons."""
    exam, learner, session = _world(world, make_user, make_person)
    _journey(phone, staff_page, exam, learner, session, make_user, touch=True)
    assert "Android" in phone.evaluate("navigator.userAgent")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 412
