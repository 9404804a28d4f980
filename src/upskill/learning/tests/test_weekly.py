"""Weekly progress (WH20-PRG-1): every Monday the employees in online classes are counted per
enterprise; HR sees who is behind, the history of weeks and an Excel file; the association its
members' counts, the bureau its region's. Made through the services."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from upskill.core.models import Job, JobStatus
from upskill.core.queues import queue_for
from upskill.core.scoping import SYSTEM, visible
from upskill.learning import selectors, services
from upskill.learning.models import Lesson, WeeklyProgress
from upskill.registry.services import person_account_create
from upskill.training.models import Enrolment

from . import factories


@pytest.fixture
def pair(world, make_user, make_person, clock):
    """Two employees of 江城精密 in its online class (3–14 Aug 2020) on a course of one
    10-second lesson: one completes it, the other watches 4 seconds."""
    clock.set_to(datetime(2020, 8, 5, 20, 0))
    course = factories.course(make_user, required_seconds=10)
    lesson = Lesson.objects.get(section__course=course)
    keen = factories.learner_in_class(world, make_user, make_person)
    slow_person = make_person(name="刘强")
    Enrolment.objects.create(
        training_class=Enrolment.objects.get(person=keen.person).training_class,
        person=slow_person,
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
        clock.advance(timedelta(seconds=15))
        services.heartbeat_record(
            actor=learner, lesson=lesson, device="phone", segments=[(0, seconds)], position=seconds
        )
    return keen, slow


def test_expected_lessons_keep_an_even_pace_to_the_end_date():
    start, end = date(2020, 8, 3), date(2020, 8, 14)  # 12 days
    assert services.expected_lessons(total=12, start=start, end=end, on=date(2020, 8, 2)) == 0
    assert services.expected_lessons(total=12, start=start, end=end, on=start) == 1
    assert services.expected_lessons(total=12, start=start, end=end, on=date(2020, 8, 8)) == 6
    assert services.expected_lessons(total=12, start=start, end=end, on=end) == 12
    assert services.expected_lessons(total=12, start=start, end=end, on=date(2021, 1, 1)) == 12
    assert services.week_of(date(2020, 8, 14)) == date(2020, 8, 10)


def test_wh20_prg_1_the_snapshot_lists_who_is_behind_and_keeps_the_weeks(pair, make_user):
    keen, slow = pair
    hr = make_user("wh_ent1", "hr_clerk")
    # the first week: an even pace expects nothing yet of a one-lesson course
    first = services.weekly_snapshot(actor=SYSTEM, on=date(2020, 8, 7))
    assert (first["week"], first["rows"], first["behind"]) == ("2020-08-03", 2, 0)
    # the second week, on the last day: the lesson is due; who has not completed it is behind
    found = services.weekly_snapshot(actor=hr, on=date(2020, 8, 14))
    assert (found["week"], found["rows"], found["behind"]) == ("2020-08-10", 2, 1)
    rows = {row.person_id: row for row in selectors.weekly_rows(actor=hr, week=date(2020, 8, 10))}
    assert rows[slow.person.pk].behind and rows[slow.person.pk].seconds_watched == 4
    assert not rows[keen.person.pk].behind and rows[keen.person.pk].lessons_completed == 1
    # taken again the same week: replaced, not doubled; the earlier week is kept
    services.weekly_snapshot(actor=hr, on=date(2020, 8, 14))
    assert WeeklyProgress.objects.count() == 4
    weeks = selectors.weekly_weeks(actor=hr)
    assert [(w["week"], w["employees"], w["behind"]) for w in weeks] == [
        (date(2020, 8, 10), 2, 1),
        (date(2020, 8, 3), 2, 0),
    ]
    assert selectors.employees_behind(actor=hr) == 1


def test_weekly_progress_is_seen_by_the_enterprise_its_association_and_the_bureau(pair, make_user):
    keen, _slow = pair
    services.weekly_snapshot(actor=SYSTEM, on=date(2020, 8, 14))
    federation = make_user("federation", "clerk")  # 江城精密 is its member
    assert visible(WeeklyProgress, federation).count() == 2
    counts = selectors.weekly_by_enterprise(actor=federation, week=date(2020, 8, 10))
    assert [(c["employees"], c["behind"]) for c in counts] == [(2, 1)]
    assert visible(WeeklyProgress, make_user("wuhan", "reviewer")).count() == 2
    assert not visible(WeeklyProgress, make_user("wh_ent2", "hr_clerk")).exists()
    assert not visible(WeeklyProgress, make_user("platform", "operator")).exists()
    assert visible(WeeklyProgress, keen).get().person == keen.person
    with pytest.raises(PermissionDenied):
        services.weekly_snapshot(actor=make_user("platform", "operator"))


def test_hr_page_button_excel_and_home_queue(pair, make_user, client, clock):
    _keen, slow = pair
    hr = make_user("wh_ent1", "hr_clerk")
    client.force_login(hr)
    page = client.get("/learning/weekly/")
    assert page.status_code == 200 and b"weekly-run" in page.content
    clock.set_to(datetime(2020, 8, 14, 10, 0))
    # the button runs the snapshot as a background job (at once under pytest)
    response = client.post("/learning/weekly/run/")
    assert response.status_code == 302 and "/jobs/" in response.url
    assert client.get(response.url).status_code == 200
    job = Job.objects.get(kind="learning.weekly_progress")
    assert job.status == JobStatus.DONE and job.result["url"] == "/learning/weekly/"
    assert WeeklyProgress.objects.filter(week=date(2020, 8, 10), behind=True).count() == 1
    page = client.get("/learning/weekly/").content.decode()
    assert 'data-testid="behind"' in page and slow.person.name in page
    entry = next(w for w in queue_for(hr) if w.key == "learning.behind")
    assert entry.count == 1
    download = client.get("/learning/weekly/export/?week=2020-08-10")
    sheet = load_workbook(io.BytesIO(download.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(cells) == 3  # the header and the two employees, who is behind first
    assert (cells[1][1], cells[1][5], cells[1][7]) == (slow.person.name, 0, 1)
    # the association sees counts per member, never the employees' list
    federation = make_user("federation", "clerk")
    client.force_login(federation)
    assert b"weekly-enterprises" in client.get("/learning/weekly/").content


def test_a_class_whose_course_is_not_published_yet_says_so(world, make_user, make_person, client):
    # WH20-PRG-1: with no course to follow nobody is behind, and HR reads why, not "on pace"
    factories.course(make_user, publish=False)
    factories.learner_in_class(world, make_user, make_person)
    services.weekly_snapshot(actor=SYSTEM, on=date(2020, 8, 10))
    row = WeeklyProgress.objects.get()
    assert (row.lessons_total, row.behind) == (0, False)
    client.force_login(make_user("wh_ent1", "hr_clerk"))
    page = client.get("/learning/weekly/").content.decode()
    assert "平台尚未发布课程" in page and "进度正常" not in page
