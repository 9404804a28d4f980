"""Class plans, their states (HB61-PRJ-1), policy checks at submission (GA23-HRS-1, HB61-PJ-1),
enrolment with the caps (HB45-CAP-1), attendance (GA23-SYS-1, GA23-DAY-1) and class records."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Organisation
from upskill.training import selectors, services
from upskill.training.models import (
    AttendanceStatus,
    ClassStatus,
    Enrolment,
    LeaveStatus,
    Transition,
)

pytestmark = pytest.mark.django_db


def test_clerk_files_and_reviewer_approves_with_history(make_class, make_user):
    clerk = make_user("inst1", "clerk")
    reviewer = make_user("gongan", "reviewer")
    training_class = make_class()
    services.class_transition(actor=clerk, training_class=training_class, action="submit")
    services.class_transition(actor=reviewer, training_class=training_class, action="approve")
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.APPROVED
    moves = list(Transition.objects.filter(training_class=training_class))
    assert [(m.from_status, m.to_status) for m in moves] == [
        ("draft", "submitted"),
        ("submitted", "approved"),
    ]
    assert moves[0].user == clerk and moves[1].user == reviewer
    assert moves[1].organisation == reviewer.organisation
    assert training_class.history.count() >= 3  # created, submitted, approved


def test_nothing_starts_before_approval(make_class, make_user):
    clerk = make_user("inst1", "clerk")
    training_class = make_class(status="submitted")
    with pytest.raises(ValidationError, match="only an approved class starts"):
        services.class_transition(actor=clerk, training_class=training_class, action="start")
    draft = make_class()
    with pytest.raises(ValidationError):
        services.class_transition(actor=clerk, training_class=draft, action="start")


def test_returned_plan_is_edited_and_resubmitted(make_class, make_user):
    clerk = make_user("inst1", "clerk")
    reviewer = make_user("gongan", "reviewer")
    training_class = make_class(status="submitted")
    with pytest.raises(ValidationError):  # a return needs its reason
        services.class_transition(actor=reviewer, training_class=training_class, action="return")
    services.class_transition(
        actor=reviewer, training_class=training_class, action="return", reason="场地证明缺失"
    )
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.RETURNED
    assert training_class.status_reason == "场地证明缺失"
    services.class_update(actor=clerk, training_class=training_class, venue="斗湖堤镇新址")
    services.class_transition(actor=clerk, training_class=training_class, action="submit")
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.SUBMITTED
    with pytest.raises(ValidationError):  # frozen while submitted
        services.class_update(actor=clerk, training_class=training_class, venue="别处")


def test_only_the_owner_submits_and_only_a_reviewer_approves(make_class, make_user):
    training_class = make_class()
    with pytest.raises(PermissionDenied):
        services.class_transition(
            actor=make_user("gongan", "inspector"), training_class=training_class, action="submit"
        )
    services.class_transition(
        actor=make_user("inst1", "clerk"), training_class=training_class, action="submit"
    )
    with pytest.raises(PermissionDenied):  # the clerk may not approve its own plan
        services.class_transition(
            actor=make_user("inst1", "clerk"), training_class=training_class, action="approve"
        )
    from django.http import Http404

    with pytest.raises(Http404):  # another county's bureau does not see it
        services.class_transition(
            actor=make_user("wuhan", "reviewer"), training_class=training_class, action="approve"
        )


def test_practice_share_exactly_sixty_percent_passes(make_class, make_user):
    """GA23-HRS-1: practice ≥ 60%; 12 of 20 hours is exactly 60%."""
    training_class = make_class(lessons=(("theory", 8), ("practice", 12)))
    services.class_transition(
        actor=make_user("inst1", "clerk"), training_class=training_class, action="submit"
    )


def test_practice_share_below_sixty_percent_is_refused_citing_the_rule(make_class, make_user):
    training_class = make_class(lessons=(("theory", 9), ("practice", 11)))
    with pytest.raises(ValidationError) as exc:
        services.class_transition(
            actor=make_user("inst1", "clerk"), training_class=training_class, action="submit"
        )
    text = " ".join(exc.value.messages)
    assert "GA23-HRS-1" in text and "55.0%" in text and "公人社发〔2023〕5号" in text
    assert "at least 60%" in text  # the share as people write it, not 6E+1


def test_pre_job_minimum_hours_from_the_parameter(make_class, make_user, world):
    """HB61-PJ-1: the minimum comes from the parameter in force (an administrator's version)."""
    from upskill.policy_admin.services import parameter_version_add

    parameter_version_add(
        actor=make_user("gongan", "admin"),
        parameter="pre_job.min_hours",
        region_code="421022",
        valid_from=date(2023, 1, 1),
        valid_until=date(2023, 12, 31),
        value=40,
        document="公人社发〔2023〕9号",
        clause="二",
        rule="HB61-PJ-1",
    )
    training_class = make_class(entry="electrician", lessons=(("theory", 8), ("practice", 12)))
    with pytest.raises(ValidationError) as exc:
        services.class_transition(
            actor=make_user("inst1", "clerk"), training_class=training_class, action="submit"
        )
    text = " ".join(exc.value.messages)
    assert "HB61-PJ-1" in text and "40" in text and "公人社发〔2023〕9号" in text


def test_enrol_existing_person_links_them_to_the_institution(make_class, make_user, make_person):
    clerk = make_user("inst1", "clerk")
    training_class = make_class(status="approved")
    person = make_person(name="黄秀英")
    enrolment = services.enrolment_create(
        actor=clerk, training_class=training_class, id_number=person.id_number, name="黄秀英"
    )
    assert enrolment.person == person
    assert person.affiliations.filter(organisation=training_class.organisation).exists()


def test_enrol_refuses_a_different_name_and_registers_a_new_person(
    make_class, make_user, make_person, id_number
):
    clerk = make_user("inst1", "clerk")
    training_class = make_class(status="approved")
    person = make_person(name="黄秀英")
    with pytest.raises(ValidationError, match="differs"):
        services.enrolment_create(
            actor=clerk, training_class=training_class, id_number=person.id_number, name="黄秀"
        )
    new = services.enrolment_create(
        actor=clerk,
        training_class=training_class,
        id_number=id_number(),
        name="李德胜",
        hukou="agricultural",
    )
    assert new.person.name == "李德胜" and new.person.registered_by == clerk.organisation


def test_enrolment_waits_for_approval(make_class, make_user, make_person):
    training_class = make_class(status="submitted")
    person = make_person()
    with pytest.raises(ValidationError, match="HB61-PRJ-1"):
        services.enrolment_create(
            actor=make_user("inst1", "clerk"),
            training_class=training_class,
            id_number=person.id_number,
            name=person.name,
        )


def test_cap_same_occupation_and_level_refused_with_the_engine_reason(
    make_class, make_user, make_person
):
    """HB45-CAP-1: the same occupation at the same level is never subsidised twice."""
    clerk = make_user("inst1", "clerk")
    first = make_class(status="approved", start=date(2022, 5, 2), end=date(2022, 5, 13))
    second = make_class(status="approved")
    person = make_person(name="王芳")
    services.enrolment_create(
        actor=clerk, training_class=first, id_number=person.id_number, name="王芳"
    )
    with pytest.raises(ValidationError) as exc:
        services.enrolment_create(
            actor=clerk, training_class=second, id_number=person.id_number, name="王芳"
        )
    message = " ".join(exc.value.messages)
    assert "HB45-CAP-1" in message and first.name in message and "2022-05-13" in message


def test_cap_three_a_year(make_class, make_user, make_person, catalog_entries):
    """HB45-CAP-1: at most three subsidised trainings a calendar year (the parameter)."""
    clerk = make_user("inst1", "clerk")
    person = make_person(name="刘强")
    classes = [
        make_class(entry="cook", status="approved"),
        make_class(entry="domestic", status="approved"),
        make_class(
            entry="electrician",
            status="approved",
            # 312 practice hours as 26 lessons of 12 (a lesson's hours fit its slot, 15.6)
            lessons=(("theory", 8), *(("practice", 12),) * 26),
            end=date(2023, 6, 30),
        ),
    ]
    # make the person poverty-alleviated for the poverty class (GA23-OBJ-2)
    from upskill.registry.models import Category
    from upskill.registry.services import person_category_add

    person_category_add(
        actor=SYSTEM,
        person=person,
        category=Category.objects.get(code="poverty_alleviated"),
        source="县乡村振兴局名册",
        valid_from=date(2023, 1, 1),
    )
    # recorded by the bureau, as its roster import records it (GA23-OBJ-2 wants the source)
    person.categories.update(source_organisation=Organisation.objects.get(name="公安县乡村振兴局"))
    for training_class in classes:
        services.enrolment_create(
            actor=clerk, training_class=training_class, id_number=person.id_number, name="刘强"
        )
    from upskill.catalog.models import CatalogEntry

    fourth_entry = CatalogEntry.objects.create(
        catalog=catalog_entries["cook"].catalog,
        program="employment",
        occupation=catalog_entries["domestic"].occupation,
        standard_hours=Decimal(60),
    )
    fourth = make_class(status="approved")
    fourth.catalog_entry = fourth_entry
    fourth.save()
    with pytest.raises(ValidationError) as exc:
        services.enrolment_create(
            actor=clerk, training_class=fourth, id_number=person.id_number, name="刘强"
        )
    message = " ".join(exc.value.messages)
    assert "HB45-CAP-1" in message and "3" in message
    assert Enrolment.objects.filter(person=person).count() == 3


def test_enrolling_a_person_registered_meanwhile_is_refused_and_writes_nothing(
    make_class, make_user, id_number, monkeypatch
):
    """The bulk registration fails when someone registered the number between the check and
    the write: the enrolment is refused with a message, and nothing is written."""
    from django.db import IntegrityError

    from upskill.registry.models import Person

    clerk = make_user("inst1", "clerk")
    training_class = make_class(status="approved")

    def registered_meanwhile(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: registry_person.id_number_hash")

    monkeypatch.setattr(services.rosters, "persons_register_bulk", registered_meanwhile)
    persons = Person.objects.count()
    with pytest.raises(ValidationError, match="meanwhile"):
        services.enrolment_create(
            actor=clerk,
            training_class=training_class,
            id_number=id_number(),
            name="李德胜",
            hukou="agricultural",
        )
    assert Person.objects.count() == persons
    assert not Enrolment.objects.filter(training_class=training_class).exists()


def test_poverty_category_only_from_the_roster(make_class, make_user, make_person):
    clerk = make_user("inst1", "clerk")
    training_class = make_class(entry="domestic", status="approved")
    person = make_person(name="陈静")
    with pytest.raises(ValidationError, match="GA23-OBJ-2"):
        services.enrolment_create(
            actor=clerk,
            training_class=training_class,
            id_number=person.id_number,
            name="陈静",
            categories=["脱贫人员"],
        )


def _running_class(make_class, enrol, n=3, **kwargs):
    training_class = make_class(status="running", **kwargs)
    return training_class, enrol(training_class, n)


def test_teacher_marks_all_present_then_fixes_an_exception(make_class, enrol, make_user):
    teacher = make_user("inst1", "teacher")
    training_class, enrolments = _running_class(make_class, enrol)
    lesson = training_class.lessons.first()
    assert services.attendance_mark_all_present(actor=teacher, lesson=lesson) == 3
    # the lesson (in 2023) has ended: changing a mark is a correction and needs a reason
    with pytest.raises(ValidationError, match="reason"):
        services.attendance_mark(
            actor=teacher, lesson=lesson, enrolment=enrolments[0], status="absent"
        )
    attendance = services.attendance_mark(
        actor=teacher,
        lesson=lesson,
        enrolment=enrolments[0],
        status="absent",
        reason="本人电话请假未到",
    )
    assert attendance.history.first().history_change_reason == "本人电话请假未到"
    assert attendance.history.count() == 2


def test_clerk_cannot_mark_attendance(make_class, enrol, make_user):
    training_class, _ = _running_class(make_class, enrol, n=1)
    with pytest.raises(PermissionDenied):
        services.attendance_mark_all_present(
            actor=make_user("inst1", "clerk"), lesson=training_class.lessons.first()
        )


def test_attended_hours_and_days(make_class, enrol, make_user):
    """GA23-DAY-1: 6 class hours are one day; 20 hours attended → 3 days, 8 hours → 1 day."""
    teacher = make_user("inst1", "teacher")
    training_class, enrolments = _running_class(make_class, enrol, n=2)
    theory, practice = list(training_class.lessons.all())
    services.attendance_mark_all_present(actor=teacher, lesson=theory)
    services.attendance_mark(
        actor=teacher, lesson=practice, enrolment=enrolments[0], status="present"
    )
    services.attendance_mark(
        actor=teacher, lesson=practice, enrolment=enrolments[1], status="absent"
    )
    training_class.refresh_from_db()
    matrix = selectors.attendance_matrix(training_class)
    by_pk = {line.enrolment.pk: line for line in matrix.lines}
    assert by_pk[enrolments[0].pk].attended_hours == Decimal(20)
    assert by_pk[enrolments[0].pk].attended_days == 3
    assert by_pk[enrolments[1].pk].attended_hours == Decimal(8)
    assert by_pk[enrolments[1].pk].attended_days == 1
    assert selectors.attended_hours(enrolments[0]) == Decimal(20)


def _lesson_today(training_class, start: time, end: time):
    lesson = training_class.lessons.first()
    lesson.date = timezone.localdate()
    lesson.start_time, lesson.end_time = start, end
    lesson.save()
    return lesson


def test_qr_check_in_once_inside_the_window(make_class, enrol):
    training_class, (enrolment,) = _running_class(
        make_class, enrol, n=1, start=date(2023, 1, 1), end=date(2030, 12, 31)
    )
    lesson = _lesson_today(training_class, time(9, 0), time(11, 0))
    person = enrolment.person
    at = timezone.make_aware(datetime.combine(lesson.date, time(8, 45)))
    result = services.attendance_check_in(
        lesson=lesson, id_number=person.id_number, name=person.name, device_id="dev-1", now=at
    )
    assert result.attendance.status == AttendanceStatus.PRESENT and not result.signed_out
    assert result.attendance.device_id == "dev-1"
    with pytest.raises(ValidationError, match="already"):
        services.attendance_check_in(
            lesson=lesson,
            id_number=person.id_number,
            name=person.name,
            device_id="dev-2",
            now=at + timedelta(minutes=5),
        )
    out = services.attendance_check_in(
        lesson=lesson,
        id_number=person.id_number,
        name=person.name,
        device_id="dev-1",
        now=at + timedelta(hours=2),
    )
    assert out.signed_out


def test_qr_check_in_refused_outside_the_window_and_with_a_wrong_name(make_class, enrol):
    training_class, (enrolment,) = _running_class(
        make_class, enrol, n=1, start=date(2023, 1, 1), end=date(2030, 12, 31)
    )
    lesson = _lesson_today(training_class, time(9, 0), time(11, 0))
    person = enrolment.person
    early = timezone.make_aware(datetime.combine(lesson.date, time(7, 0)))
    with pytest.raises(ValidationError, match="open from 08:30 to 11:30"):
        services.attendance_check_in(
            lesson=lesson, id_number=person.id_number, name=person.name, device_id="d", now=early
        )
    with pytest.raises(ValidationError, match="No trainee"):
        services.attendance_check_in(
            lesson=lesson,
            id_number=person.id_number,
            name="别人",
            device_id="d",
            now=early + timedelta(hours=2),
        )


def test_checkin_token_round_trip_and_expiry(make_class):
    from django.core import signing

    training_class = make_class()
    lesson = training_class.lessons.first()
    token = selectors.checkin_token(lesson)
    assert selectors.lesson_from_checkin_token(token) == lesson
    with pytest.raises(ValidationError, match="not valid"):
        selectors.lesson_from_checkin_token(token + "x")
    old = signing.TimestampSigner(salt="training.checkin")
    stale = old.sign(str(lesson.pk))
    import time as clock
    from unittest import mock

    later = clock.time() + 3600
    with (
        mock.patch.object(clock, "time", return_value=later),
        pytest.raises(ValidationError, match="expired"),
    ):
        selectors.lesson_from_checkin_token(stale)


def test_leave_request_approved_marks_leave(make_class, enrol, make_user):
    teacher = make_user("inst1", "teacher")
    clerk = make_user("inst1", "clerk")
    training_class, (enrolment,) = _running_class(make_class, enrol, n=1)
    lesson = training_class.lessons.first()
    leave = services.leave_request_create(
        actor=teacher, enrolment=enrolment, lesson=lesson, reason="住院", by_trainee=False
    )
    with pytest.raises(PermissionDenied):
        services.leave_request_decide(actor=teacher, leave=leave, approve=True)
    leave = services.leave_request_decide(actor=clerk, leave=leave, approve=True)
    assert leave.status == LeaveStatus.APPROVED
    assert lesson.attendances.get(enrolment=enrolment).status == AttendanceStatus.LEAVE


def test_finish_needs_first_lesson_and_every_survey(make_class, enrol, make_user):
    teacher = make_user("inst1", "teacher")
    clerk = make_user("inst1", "clerk")
    training_class, enrolments = _running_class(make_class, enrol, n=2)
    with pytest.raises(ValidationError) as exc:
        services.class_transition(actor=clerk, training_class=training_class, action="finish")
    assert "GA23-SYS-1" in " ".join(exc.value.messages)
    services.first_lesson_record(
        actor=teacher,
        training_class=training_class,
        date=date(2023, 5, 8),
        content="讲解公人社发〔2023〕5号补贴政策、考勤纪律",
    )
    for enrolment in enrolments:
        services.survey_answer(
            training_class=training_class,
            id_number=enrolment.person.id_number,
            name=enrolment.person.name,
            answers={"content": 5, "teachers": 4, "practice": 5, "organisation": 4},
        )
    with pytest.raises(ValidationError, match="already"):
        services.survey_answer(
            training_class=training_class,
            id_number=enrolments[0].person.id_number,
            name=enrolments[0].person.name,
            answers={"content": 5, "teachers": 4, "practice": 5, "organisation": 4},
        )
    services.class_transition(actor=clerk, training_class=training_class, action="finish")
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.FINISHED
    results = selectors.survey_results(training_class)
    assert results.responses == 2 and results.averages[0][1] == Decimal("5.0")


def test_cancel_needs_a_reason_and_is_final(make_class, make_user):
    clerk = make_user("inst1", "clerk")
    training_class = make_class(status="approved")
    with pytest.raises(ValidationError):
        services.class_transition(actor=clerk, training_class=training_class, action="cancel")
    services.class_transition(
        actor=clerk, training_class=training_class, action="cancel", reason="报名人数不足"
    )
    with pytest.raises(ValidationError):
        services.class_transition(actor=clerk, training_class=training_class, action="start")


def test_public_notices_show_approved_classes_with_open_places(make_class, enrol):
    open_class = make_class(status="approved", places=5)
    full = make_class(status="approved", places=1)
    enrol(full, 1)
    make_class(status="submitted")
    shown = list(selectors.notices())
    assert shown == [open_class]
    assert list(selectors.notices(occupation="家政")) == []


def test_withdrawn_trainee_leaves_the_roster_with_the_reason_in_history(
    make_class, enrol, make_user
):
    clerk = make_user("inst1", "clerk")
    training_class = make_class(status="approved")
    enrolment, staying = enrol(training_class, 2)
    with pytest.raises(ValidationError):
        services.enrolment_withdraw(actor=clerk, enrolment=enrolment, reason=" ")
    services.enrolment_withdraw(actor=clerk, enrolment=enrolment, reason="外出务工")
    assert enrolment.history.first().history_change_reason == "外出务工"
    lines = selectors.attendance_matrix(training_class).lines
    assert [line.enrolment.pk for line in lines] == [staying.pk]


def test_enterprise_files_a_class_for_its_employees(world, make_user, make_person, catalog_entries):
    """HB61-PRJ-1: an enterprise files too; its trainees become its employees in the registry."""
    from upskill.organisations.models import Region

    hr = make_user("ent1", "hr_clerk")
    teacher = services.teacher_create(
        actor=hr, name="车间主任", certificate_kind="高级技师证书", certificate_number="E-1"
    )
    training_class = services.class_create(
        actor=hr,
        name="凯达纺织岗前培训班",
        catalog_entry=catalog_entries["cook"],
        township=Region.objects.get(code="421022101"),
        venue="凯达纺织厂区培训室",
        start_date=date(2023, 7, 3),
        end_date=date(2023, 7, 7),
        planned_places=10,
        assessment_method="实操考核",
        teachers=[teacher],
    )
    for kind, start, hours in (("theory", 8, 4), ("practice", 13, 6)):  # 60% practice
        services.lesson_create(
            actor=hr,
            training_class=training_class,
            date=date(2023, 7, 3),
            start_time=time(start, 0),
            end_time=time(start + 5, 0),  # 4 and 6 class hours of 45 minutes fit
            hours=Decimal(hours),
            kind=kind,
            content="课",
        )
    services.class_transition(actor=hr, training_class=training_class, action="submit")
    services.class_transition(
        actor=make_user("gongan", "reviewer"), training_class=training_class, action="approve"
    )
    person = make_person(name="郑小红")
    enrolment = services.enrolment_create(
        actor=hr, training_class=training_class, id_number=person.id_number, name="郑小红"
    )
    assert enrolment.person.affiliations.filter(
        organisation=world["ent1"], kind="employee"
    ).exists()
    from upskill.core.scoping import visible
    from upskill.training.models import TrainingClass

    assert (
        not visible(TrainingClass, make_user("inst1", "clerk"))
        .filter(pk=training_class.pk)
        .exists()
    )


def test_a_refusal_hook_stops_filing_and_submission(make_class, make_user):
    """Later stages refuse an organiser through core/hooks.py (HB45-BLK-1 in supervision)."""
    from upskill.core import hooks

    training_class = make_class()

    def refuse(*, organisation, on):
        return (
            ["HB45-BLK-1: blacklisted"] if organisation.pk == training_class.organisation_id else []
        )

    hooks.register(hooks.ORGANISER_REFUSALS, refuse)
    try:
        with pytest.raises(ValidationError, match="HB45-BLK-1"):
            services.class_transition(
                actor=make_user("inst1", "clerk"), training_class=training_class, action="submit"
            )
    finally:
        hooks.unregister(hooks.ORGANISER_REFUSALS, refuse)
