"""The curriculum in bulk (issue 15.4) and the honest rules of issue 15.6: a weekly pattern that
skips the public holidays, rows pasted from Excel, a 课程表 spreadsheet, an earlier class's
lessons, class hours that fit their slot, no start before the start date, a late start's
reason, attendance from the check-in window, a plan check that names the rules not in force,
the catalogue picker. Times come from the controllable clock (core/clock.py)."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from upskill.core.imports import ImportRejected
from upskill.core.scoping import SYSTEM
from upskill.training import selectors, services
from upskill.training.forms import ClassForm

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def _draft(make_class, **kwargs):
    # 中式烹调师, 2023-05-08 (Monday) to 2023-05-19, no lessons yet
    return make_class(lessons=(), **kwargs)


def test_weekly_dates_skip_public_holidays_by_name():
    days, skipped = services.weekly_dates(
        date_from=date(2023, 4, 24), date_to=date(2023, 5, 5), weekdays=[0, 2, 4]
    )
    assert date(2023, 5, 1) not in days and date(2023, 5, 3) not in days
    assert (date(2023, 5, 1), "劳动节") in skipped
    assert days == [date(2023, 4, 24), date(2023, 4, 26), date(2023, 4, 28), date(2023, 5, 5)]
    kept, none_skipped = services.weekly_dates(
        date_from=date(2023, 5, 1), date_to=date(2023, 5, 1), weekdays=[0], skip_holidays=False
    )
    assert kept == [date(2023, 5, 1)] and none_skipped == []


def test_pattern_on_the_page_adds_lessons_in_place(client, make_class, make_user):
    clerk = make_user("inst1", "clerk")
    training_class = _draft(make_class)
    client.force_login(clerk)
    response = client.post(
        reverse("training:lessons_pattern", args=[training_class.pk]),
        {
            "weekdays": ["0", "2", "4"],
            "start_time": "08:30",
            "end_time": "11:45",
            "kind": "theory",
            "content": "理论第{n}讲",
            "date_from": "2023-05-08",
            "date_to": "2023-05-19",
            "skip_holidays": "on",
        },
        **HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="curriculum-table"' in body and "<html" not in body  # the fragment, in place
    lessons = list(training_class.lessons.order_by("date"))
    assert [lesson.date.day for lesson in lessons] == [8, 10, 12, 15, 17, 19]
    # 195 minutes hold 4 class hours of 45 minutes
    assert {lesson.hours for lesson in lessons} == {Decimal(4)}
    assert lessons[2].content == "理论第3讲"
    assert "6 lessons were added." in body or "6" in body


def test_paste_from_excel_without_header_and_all_or_nothing(client, make_class, make_user):
    clerk = make_user("inst1", "clerk")
    training_class = _draft(make_class)
    client.force_login(clerk)
    url = reverse("training:lessons_paste", args=[training_class.pk])
    good = (
        "2023-05-08\t08:30\t11:45\t4\t理论\t刀工基础\t周老师\n"
        "2023/5/9\t8:30\t17:30\t\t实操\t热菜\t\n"
    )
    bad = good + "2023-05-30\t08:30\t09:00\t4\t手工\t超出\t\n"
    refused = client.post(url, {"text": bad}, **HX)
    body = refused.content.decode()
    assert 'data-testid="curriculum-errors"' in body
    assert "3" in body and "理论" in body  # the row and the words a kind is written with
    assert training_class.lessons.count() == 0  # nothing of it was added
    client.post(url, {"text": good}, **HX)
    lessons = list(training_class.lessons.order_by("date"))
    assert len(lessons) == 2
    assert lessons[0].teacher is not None and lessons[0].teacher.name == "周老师"
    assert lessons[1].kind == "practice" and lessons[1].hours == Decimal(12)  # 540 minutes


def _curriculum_xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["公安县2023年中式烹调师培训班课程表"])
    sheet.append(["日期", "开始时间", "结束时间", "学时", "类型", "课程内容", "授课教师"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_curriculum_spreadsheet_through_the_shared_import(make_class, make_user):
    clerk = make_user("inst1", "clerk")
    training_class = _draft(make_class)
    content = _curriculum_xlsx(
        [
            (datetime(2023, 5, 8), time(8, 30), time(11, 45), 4, "理论", "安全与卫生", "周老师"),
            ("2023-05-08", "13:30", "17:15", 5, "实操", "刀工", ""),
        ]
    )
    lessons = services.lessons_import(
        actor=clerk,
        training_class=training_class,
        upload=SimpleUploadedFile("课程表.xlsx", content),
    )
    assert [lesson.content for lesson in lessons] == ["安全与卫生", "刀工"]
    overlapping = _curriculum_xlsx([("2023-05-08", "09:00", "10:30", 2, "理论", "重叠", "")])
    with pytest.raises(ImportRejected) as refused:
        services.lessons_import(
            actor=clerk,
            training_class=training_class,
            upload=SimpleUploadedFile("课程表.xlsx", overlapping),
        )
    assert refused.value.errors[0].row == 3  # the sheet's own row number
    assert "08:30" in refused.value.errors[0].message


def test_copy_from_an_earlier_class_moves_the_dates(make_class, make_user):
    clerk = make_user("inst1", "clerk")
    earlier = make_class(start=date(2023, 5, 8), end=date(2023, 5, 19))
    later = make_class(lessons=(), start=date(2023, 9, 4), end=date(2023, 9, 15))
    assert earlier in selectors.curriculum_sources(actor=clerk, training_class=later)
    lessons = services.lessons_copy(actor=clerk, training_class=later, source=earlier)
    assert [lesson.date for lesson in lessons] == [
        lesson.date + (later.start_date - earlier.start_date) for lesson in earlier.lessons.all()
    ]
    outsider = make_user("inst2", "clerk")
    assert not selectors.curriculum_sources(actor=outsider, training_class=later).exists()


def test_class_hours_fit_the_slot_minutes_a_setting(make_class, settings):
    training_class = _draft(make_class)
    lesson = {
        "actor": SYSTEM,
        "training_class": training_class,
        "date": date(2023, 5, 8),
        "start_time": time(8, 0),
        "end_time": time(10, 0),
        "kind": "theory",
        "content": "课",
    }
    with pytest.raises(ValidationError) as refused:
        services.lesson_create(hours=Decimal(3), **lesson)  # 135 minutes in 120
    assert "135" in str(refused.value) and "120" in str(refused.value)
    settings.UPSKILL_MINUTES_PER_CLASS_HOUR = 40
    assert services.lesson_create(hours=Decimal(3), **lesson).hours == Decimal(3)
    assert services.slot_hours(time(13, 0), time(15, 0)) == Decimal(3)


def test_a_class_starts_on_its_start_date_and_late_with_a_reason(make_class, make_user, clock):
    clerk = make_user("inst1", "clerk")
    training_class = make_class(status="approved")
    clock.set_to(date(2023, 5, 7))
    with pytest.raises(ValidationError) as early:
        services.class_transition(actor=clerk, training_class=training_class, action="start")
    assert "2023-05-08" in str(early.value) and "HB61-PRJ-1" in str(early.value)
    clock.set_to(date(2023, 5, 10))
    with pytest.raises(ValidationError) as late:
        services.class_transition(actor=clerk, training_class=training_class, action="start")
    assert "reason" in late.value.message_dict
    started = services.class_transition(
        actor=clerk, training_class=training_class, action="start", reason="场地维修，推迟两天"
    )
    assert started.status == "running"
    assert started.transitions.last().reason == "场地维修，推迟两天"


def test_start_on_the_day_needs_no_reason(make_class, make_user, clock):
    clerk = make_user("inst1", "clerk")
    training_class = make_class(status="approved")
    clock.set_to(date(2023, 5, 8))
    started = services.class_transition(actor=clerk, training_class=training_class, action="start")
    assert started.status == "running"


def test_attendance_is_marked_from_the_check_in_window(make_class, make_user, enrol, clock):
    teacher = make_user("inst1", "teacher")
    training_class = make_class(status="running")
    (enrolment,) = enrol(training_class)
    lesson = training_class.lessons.order_by("date", "start_time").first()  # 2023-05-08 08:00
    clock.set_to(datetime(2023, 5, 8, 7, 29))
    with pytest.raises(ValidationError) as early:
        services.attendance_mark(
            actor=teacher, lesson=lesson, enrolment=enrolment, status="present"
        )
    assert "07:30" in str(early.value)
    with pytest.raises(ValidationError):
        services.attendance_mark_all_present(actor=teacher, lesson=lesson)
    clock.set_to(datetime(2023, 5, 8, 7, 30))
    assert services.attendance_mark_all_present(actor=teacher, lesson=lesson) == 1


def test_teacher_sees_why_attendance_is_not_open_and_the_clerk_the_start_button(
    client, make_class, make_user, clock
):
    training_class = make_class(status="approved")
    lesson = training_class.lessons.first()
    clock.set_to(date(2023, 5, 8))
    client.force_login(make_user("inst1", "teacher"))
    page = client.get(reverse("training:lesson_attendance", args=[lesson.pk])).content.decode()
    assert 'data-testid="attendance-not-open"' in page
    assert 'data-testid="start-class"' not in page  # the teacher does not start classes
    client.force_login(make_user("inst1", "clerk"))
    page = client.get(reverse("training:class_detail", args=[training_class.pk])).content.decode()
    assert 'data-testid="attendance-not-open"' in page
    assert 'data-testid="start-class"' in page and 'data-testid="reason-start"' not in page
    clock.set_to(date(2023, 5, 9))
    page = client.get(reverse("training:class_detail", args=[training_class.pk])).content.decode()
    assert 'data-testid="reason-start"' in page  # a late start asks its reason


def test_plan_check_names_a_rule_not_in_force(make_class, client, make_user, monkeypatch):
    from upskill import policy
    from upskill.policy_admin.services import parameters_in_effect

    training_class = make_class()
    params = parameters_in_effect()
    empty = policy.ParameterSet(params.definitions, {})
    check = selectors.plan_check(training_class, params=empty)
    assert not check.meets_rules
    assert any(
        "GA23-HRS-1" in text and "2023" in text and "公安县" in text for text in check.unchecked
    )
    monkeypatch.setattr(selectors, "parameters_in_effect", lambda: empty)
    client.force_login(make_user("inst1", "clerk"))
    page = client.get(reverse("training:class_detail", args=[training_class.pk])).content.decode()
    assert 'data-testid="plan-unchecked"' in page and 'data-testid="plan-ok"' not in page


def test_catalogue_picker_shows_the_version_and_the_year_in_force(make_user, catalog_entries):
    clerk = make_user("inst1", "clerk")
    form = ClassForm(actor=clerk)
    labels = [label for _value, label in form.fields["catalog_entry"].choices]
    assert any("2023" in str(label) and "1" in str(label) for label in labels[1:])
    filled = ClassForm(
        {
            "name": "班",
            "catalog_entry": catalog_entries["cook"].pk,
            "venue": "x",
            "start_date": "2024-03-04",
            "end_date": "2024-03-15",
            "planned_places": 10,
            "assessment_method": "考核",
        },
        actor=clerk,
    )
    assert not filled.is_valid()
    assert "2024" in str(filled.errors["catalog_entry"])


def test_a_failed_import_links_back_to_where_it_came_from(client, make_class, make_user):
    training_class = make_class(status="approved")
    client.force_login(make_user("inst1", "clerk"))
    bad = "姓名,身份证号码\n张三,123\n".encode()
    response = client.post(
        reverse("training:roster_import", args=[training_class.pk]),
        {"file": SimpleUploadedFile("花名册.csv", bad)},
        follow=True,
    )
    page = response.content.decode()
    assert 'data-testid="job-failed"' in page
    back = reverse("training:class_detail", args=[training_class.pk])
    assert f'href="{back}' in page and 'data-testid="job-failed-back"' in page


def test_an_invalid_number_in_find_by_id_is_an_error_not_an_offer(client, make_user):
    client.force_login(make_user("inst1", "clerk"))
    page = client.post(
        reverse("registry:person_lookup"), {"id_number": "421022197503081235"}
    ).content.decode()
    assert 'data-testid="lookup-result"' not in page
    assert reverse("registry:person_create") not in page
