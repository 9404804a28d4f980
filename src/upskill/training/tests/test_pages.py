"""Pages, public pages, roster import and export, API, scoping details and query budgets."""

from __future__ import annotations

import io
import re
from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from upskill.core.scoping import SYSTEM, visible
from upskill.training import selectors, services
from upskill.training.models import ClassStatus, Enrolment, TrainingClass

pytestmark = pytest.mark.django_db


def roster_xlsx(rows, header=("序号", "姓名", "身份证号码", "户籍性质", "人员类别")) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["公安县中式烹调师培训班学员花名册"])
    sheet.append(list(header))
    for index, row in enumerate(rows, start=1):
        sheet.append([index, *row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(content: bytes, name: str = "花名册.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_clerk_files_a_class_through_the_form(client, make_user, catalog_entries, world):
    from upskill.organisations.models import Region

    clerk = make_user("inst1", "clerk")
    teacher = services.teacher_create(
        actor=clerk, name="周建国", certificate_kind="职业技能等级证书", certificate_number="A1"
    )
    client.force_login(clerk)
    response = client.post(
        reverse("training:class_create"),
        {
            "name": "2023年第3期中式烹调师培训班",
            "catalog_entry": catalog_entries["cook"].pk,
            "township": Region.objects.get(code="421022101").pk,
            "venue": "斗湖堤镇油江路12号",
            "start_date": "2023-06-05",
            "end_date": "2023-06-16",
            "planned_places": 40,
            "teachers": [teacher.pk],
            "assessment_method": "理论加实操",
        },
    )
    training_class = TrainingClass.objects.get(name="2023年第3期中式烹调师培训班")
    assert response.status_code == 302
    for kind, hours, start in (("theory", "8", "08:00"), ("practice", "12", "14:00")):
        client.post(
            reverse("training:lesson_add", args=[training_class.pk]),
            {
                "date": "2023-06-05",
                "start_time": start,
                # 8 and 12 class hours of 45 minutes (issue 15.6)
                "end_time": "14:00" if start == "08:00" else "23:00",
                "hours": hours,
                "kind": kind,
                "teacher": teacher.pk,
                "content": "课",
            },
        )
    assert training_class.lessons.count() == 2
    page = client.get(reverse("training:class_detail", args=[training_class.pk]))
    assert 'data-testid="plan-ok"' in page.content.decode()
    client.post(reverse("training:class_transition", args=[training_class.pk, "submit"]))
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.SUBMITTED


def test_reviewer_approves_and_returns_on_the_page(client, make_user, make_class):
    reviewer = make_user("gongan", "reviewer")
    approved = make_class(status="submitted")
    returned = make_class(status="submitted")
    client.force_login(reviewer)
    page = client.get(reverse("training:class_detail", args=[approved.pk])).content.decode()
    assert 'data-testid="action-approve"' in page
    client.post(reverse("training:class_transition", args=[approved.pk, "approve"]))
    client.post(
        reverse("training:class_transition", args=[returned.pk, "return"]),
        {"reason": "课程表实践课时不足"},
    )
    approved.refresh_from_db()
    returned.refresh_from_db()
    assert approved.status == ClassStatus.APPROVED
    assert returned.status == ClassStatus.RETURNED
    assert returned.status_reason == "课程表实践课时不足"


def test_roster_import_reports_every_bad_row_then_enrols_all(
    client, make_user, make_class, make_person, id_number
):
    clerk = make_user("inst1", "clerk")
    training_class = make_class(status="approved")
    known = make_person(name="黄秀英")
    good_new = id_number()
    rows = [
        ["黄秀英", known.id_number, "", ""],
        ["李德胜", good_new, "农业", ""],
        ["张三", "421022197503080012", "农业", ""],  # wrong check character
        ["黄秀", known.id_number[:-1] + known.id_number[-1], "", ""],  # duplicate in file
    ]
    client.force_login(clerk)
    response = client.post(
        reverse("training:roster_import", args=[training_class.pk]),
        {"file": _upload(roster_xlsx(rows))},
    )
    assert response.status_code == 302
    job_page = client.get(response["Location"]).content.decode()
    assert Enrolment.objects.filter(training_class=training_class).count() == 0
    assert "5" in job_page and "6" in job_page  # rows 5 and 6 (title and header rows first)
    from upskill.core.models import Job

    job = Job.objects.latest("pk")
    rows_reported = sorted({error["row"] for error in job.result["errors"]})
    assert rows_reported == [5, 6]
    fixed = [*rows[:2], ["王芳", id_number(), "非农业", ""]]
    response = client.post(
        reverse("training:roster_import", args=[training_class.pk]),
        {"file": _upload(roster_xlsx(fixed))},
    )
    job = Job.objects.latest("pk")
    assert job.status == "done", job.error
    assert Enrolment.objects.filter(training_class=training_class).count() == 3


def test_roster_name_mismatch_is_a_bad_row(make_user, make_class, make_person):
    from upskill.core.imports import ImportRejected

    clerk = make_user("inst1", "clerk")
    training_class = make_class(status="approved")
    known = make_person(name="黄秀英")
    with pytest.raises(ImportRejected) as exc:
        services.roster_import_run(
            actor=clerk,
            training_class=training_class,
            upload=_upload(roster_xlsx([["黄秀兰", known.id_number, "", ""]])),
        )
    (error,) = exc.value.errors
    assert error.row == 3 and "differs" in error.message


def test_roster_of_registered_and_new_persons_enrols_all_in_bulk_or_writes_nothing(
    make_user, make_class, make_person, id_number
):
    """A class roster mixing registered and new persons: the new ones are registered through
    the registry's bulk path (ID number encrypted, lookup hash, mask, audit-trail rows), everyone
    is affiliated to the institution once and enrolled with a history row. A roster with one bad
    row writes nothing at all (all or nothing)."""
    from upskill.core.imports import ImportRejected
    from upskill.registry.models import Affiliation, Person
    from upskill.registry.services import affiliation_ensure, id_number_hash

    clerk = make_user("inst1", "clerk")
    training_class = make_class(status="approved")
    linked = make_person(name="黄秀英")  # already the institution's trainee
    affiliation_ensure(
        person=linked,
        organisation=training_class.organisation,
        kind="trainee",
        basis="registration",
    )
    unlinked = make_person(name="刘强")
    new_numbers = [id_number(), id_number()]
    header = ("序号", "姓名", "身份证号码", "联系电话", "乡镇", "户籍性质", "人员类别")
    rows = [
        ["黄秀英", linked.id_number, "", "", "", ""],
        ["刘  强", unlinked.id_number, "", "", "", ""],
        ["李 德 胜", new_numbers[0], "13907161234", "斗湖堤镇", "农业", ""],
        ["王芳", new_numbers[1], "", "", "非农业户口", "就业困难人员"],
    ]
    counts = {
        model: (model.objects.count(), model.history.count())
        for model in (Person, Affiliation, Enrolment)
    }

    bad = [*rows, ["张三", id_number(), "", "", "", ""]]  # a new person without a hukou
    with pytest.raises(ImportRejected) as exc:
        services.roster_import_run(
            actor=clerk, training_class=training_class, upload=_upload(roster_xlsx(bad, header))
        )
    assert [(error.row, error.field) for error in exc.value.errors] == [
        (7, "Household registration")
    ]
    for model, before in counts.items():
        assert (model.objects.count(), model.history.count()) == before, model

    result = services.roster_import_run(
        actor=clerk, training_class=training_class, upload=_upload(roster_xlsx(rows, header))
    )
    assert result == {"rows": 4, "enrolled": 4}
    new = {
        p.id_number: p
        for p in Person.objects.filter(
            id_number_hash__in=[id_number_hash(number) for number in new_numbers]
        )
    }
    assert set(new) == set(new_numbers)  # the encrypted number reads back
    li, wang = new[new_numbers[0]], new[new_numbers[1]]
    assert (li.name, li.phone, li.township.name, li.hukou) == (
        "李德胜",
        "13907161234",
        "斗湖堤镇",
        "agricultural",
    )
    assert (wang.county.code, wang.township, wang.hukou) == ("421022", None, "non_agricultural")
    assert li.id_number_masked.startswith(new_numbers[0][:3]) and "*" in li.id_number_masked
    for person in (li, wang):
        (created,) = person.history.all()
        assert (created.history_type, created.history_user_id) == ("+", clerk.pk)
        assert created.history_organisation_id == clerk.organisation_id
        assert person.registered_by_id == clerk.organisation_id
    enrolled = Enrolment.objects.filter(training_class=training_class)
    assert {e.person_id for e in enrolled} == {linked.pk, unlinked.pk, li.pk, wang.pk}
    assert enrolled.get(person=wang).categories == ["employment_difficulty"]
    for enrolment in enrolled:
        (created,) = enrolment.history.all()
        assert (created.history_type, created.history_user_id) == ("+", clerk.pk)
        assert created.enrolled_by_id == clerk.pk
    for person in (linked, unlinked, li, wang):
        (affiliation,) = Affiliation.objects.filter(
            person=person, organisation=training_class.organisation
        )
        assert affiliation.kind == "trainee"
        assert affiliation.history.count() == 1
    assert Affiliation.history.filter(history_user_id=clerk.pk).count() == 3


def test_roster_export_masks_id_numbers(client, make_user, make_class, enrol):
    training_class = make_class(status="approved")
    (enrolment,) = enrol(training_class, 1)
    client.force_login(make_user("inst1", "clerk"))
    response = client.get(reverse("training:roster_export", args=[training_class.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert enrolment.person.id_number_masked in values
    assert enrolment.person.id_number not in values


def test_clerk_records_a_trainee_leaving_on_the_page_and_over_the_api(
    client, make_user, make_class, enrol
):
    """The class page's roster has a *Leaves the class* form per trainee while the class is
    enrolling; the reason goes to the enrolment's history; the API does the same; a finished
    class's roster no longer changes."""
    training_class = make_class(status="running")
    leaving, staying, other = enrol(training_class, 3)
    client.force_login(make_user("inst1", "clerk"))
    url = reverse("training:class_detail", args=[training_class.pk])
    assert f'data-testid="withdraw-{leaving.pk}"' in client.get(url).content.decode()
    withdraw = reverse("training:enrolment_withdraw", args=[leaving.pk])
    client.post(withdraw, {"reason": " "})
    leaving.refresh_from_db()
    assert leaving.status == "enrolled"  # no reason, no change
    client.post(withdraw, {"reason": "外出务工"})
    leaving.refresh_from_db()
    assert leaving.status == "withdrawn"
    assert leaving.history.first().history_change_reason == "外出务工"
    assert f'data-testid="withdraw-{leaving.pk}"' not in client.get(url).content.decode()
    api = client.post(
        f"/api/enrolments/{staying.pk}/withdraw",
        {"reason": "身体原因"},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["status"] == "withdrawn"
    # another institution's clerk cannot reach the trainee
    client.force_login(make_user("inst2", "clerk"))
    assert (
        client.post(
            reverse("training:enrolment_withdraw", args=[other.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    TrainingClass.objects.filter(pk=training_class.pk).update(status=ClassStatus.FINISHED)
    with translation.override("en"), pytest.raises(ValidationError, match="approved or running"):
        services.enrolment_withdraw(
            actor=make_user("inst1", "clerk"), enrolment=other, reason="补录"
        )


def test_tablet_page_mark_all_then_fix_with_htmx(client, make_user, make_class, enrol):
    teacher = make_user("inst1", "teacher")
    training_class = make_class(status="running")
    enrolments = enrol(training_class, 3)
    lesson = training_class.lessons.first()
    client.force_login(teacher)
    url = reverse("training:lesson_attendance", args=[lesson.pk])
    assert 'data-testid="all-present"' in client.get(url).content.decode()
    fragment = client.post(url, {"all_present": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.count("mark-present") >= 3
    fragment = client.post(
        url,
        {"enrolment": enrolments[0].pk, "status": "absent", "reason": "未到"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert lesson.attendances.get(enrolment=enrolments[0]).status == "absent"
    assert "sheet-error" not in fragment


def test_qr_page_and_public_check_in(client, make_user, make_class, enrol):
    training_class = make_class(status="running", start=date(2023, 1, 1), end=date(2030, 12, 31))
    (enrolment,) = enrol(training_class, 1)
    lesson = training_class.lessons.first()
    now = timezone.localtime()
    lesson.date = now.date()
    lesson.start_time = time(0, 0)
    lesson.end_time = time(23, 59)
    lesson.save()
    client.force_login(make_user("inst1", "teacher"))
    page = client.get(reverse("training:lesson_qr", args=[lesson.pk])).content.decode()
    assert "<svg" in page
    url = re.search(r'data-testid="checkin-url">([^<]+)<', page).group(1)
    client.logout()
    path = url.replace("http://testserver", "")
    response = client.post(
        path, {"id_number": enrolment.person.id_number, "name": enrolment.person.name}
    )
    assert 'data-testid="checked-in"' in response.content.decode()
    assert response.cookies["upskill_device"].value
    again = client.post(
        path, {"id_number": enrolment.person.id_number, "name": enrolment.person.name}
    )
    assert "already" in again.content.decode() or "已" in again.content.decode()
    assert client.get("/training/c/forged:token/").status_code == 400


def test_public_survey_and_results(client, make_user, make_class, enrol):
    training_class = make_class(status="running")
    (enrolment,) = enrol(training_class, 1)
    url = reverse("training:survey", args=[selectors.survey_token(training_class)])
    response = client.post(
        url,
        {
            "id_number": enrolment.person.id_number,
            "name": enrolment.person.name,
            "content": "5",
            "teachers": "4",
            "practice": "5",
            "organisation": "3",
            "comment": "老师讲得好",
        },
    )
    assert 'data-testid="survey-done"' in response.content.decode()
    client.force_login(make_user("gongan", "reviewer"))
    page = client.get(reverse("training:class_detail", args=[training_class.pk])).content.decode()
    assert "老师讲得好" in page


def test_public_notices_filter_with_htmx(client, make_class):
    from upskill.organisations.models import Region

    make_class(status="approved")
    make_class(status="approved", entry="domestic", township_code="421022102")
    page = client.get(reverse("training:notices")).content.decode()
    assert "中式烹调师" in page and "家政服务员" in page
    buhe = Region.objects.get(code="421022102")
    fragment = client.get(
        reverse("training:notices"), {"township": buhe.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "家政服务员" in fragment and "中式烹调师培训班" not in fragment
    assert "<html" not in fragment


def test_township_centre_sees_classes_held_there_and_its_residents_enrolments(
    make_user, make_class, enrol
):
    elsewhere = make_class(status="approved", township_code="421022102")
    (enrolment,) = enrol(elsewhere, 1)  # a resident of 斗湖堤镇 (421022101)
    douhudi = make_user("township:421022101", "clerk")
    buhe = make_user("township:421022102", "clerk")
    assert not visible(TrainingClass, douhudi).filter(pk=elsewhere.pk).exists()
    assert visible(Enrolment, douhudi).filter(pk=enrolment.pk).exists()
    assert visible(TrainingClass, buhe).filter(pk=elsewhere.pk).exists()


def test_api_lists_classes_and_attendance_in_scope(client, make_user, make_class, enrol):
    training_class = make_class(status="running")
    enrol(training_class, 2)
    services.attendance_mark_all_present(actor=SYSTEM, lesson=training_class.lessons.first())
    client.force_login(make_user("gongan", "reviewer"))
    classes = client.get("/api/classes").json()
    assert classes["count"] == 1
    summary = client.get(f"/api/classes/{training_class.pk}/attendance").json()
    assert [line["attended_hours"] for line in summary] == ["8.0", "8.0"] or [
        float(line["attended_hours"]) for line in summary
    ] == [8.0, 8.0]
    client.force_login(make_user("inst2", "clerk"))
    assert client.get("/api/classes").json()["count"] == 0
    assert client.get(f"/api/classes/{training_class.pk}/attendance").status_code == 404


@pytest.mark.parametrize("size", [5, 60])
def test_class_pages_take_at_most_twenty_queries(
    size, client, make_user, make_class, enrol, django_assert_max_num_queries
):
    training_class = make_class(status="running")
    enrolments = enrol(training_class, size)
    teacher = make_user("inst1", "teacher")
    for lesson in training_class.lessons.all():
        services.attendance_mark_all_present(actor=teacher, lesson=lesson)
    services.survey_answer(
        training_class=training_class,
        id_number=enrolments[0].person.id_number,
        name=enrolments[0].person.name,
        answers={"content": 5, "teachers": 5, "practice": 5, "organisation": 5},
    )
    lesson = training_class.lessons.first()
    client.force_login(teacher)
    for url in (
        reverse("training:class_detail", args=[training_class.pk]),
        reverse("training:lesson_attendance", args=[lesson.pk]),
        reverse("training:class_list"),
        reverse("training:roster_export", args=[training_class.pk]),
        f"/api/classes/{training_class.pk}/attendance",
    ):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200, url
    with django_assert_max_num_queries(20):
        assert client.get(reverse("training:notices")).status_code == 200


def test_class_ledger_reaches_every_later_stage(
    client, make_user, make_class, django_assert_max_num_queries
):
    """GA23-SYS-1: the ledger links to supervision, assessment and claims (core/hooks.py
    class.links) and loads the live compliance checklist as a fragment; a role without those
    permissions sees no link to them."""
    training_class = make_class(status="running")
    client.force_login(make_user("gongan", "reviewer"))
    page = client.get(reverse("training:class_detail", args=[training_class.pk])).content.decode()
    assert f'href="/supervision/classes/{training_class.pk}/"' in page
    assert f'hx-get="/supervision/classes/{training_class.pk}/compliance/"' in page
    assert f'href="/assessment/classes/{training_class.pk}/"' in page
    assert 'href="/subsidies/claims/"' in page
    fragment = client.get(
        f"/supervision/classes/{training_class.pk}/compliance/", HTTP_HX_REQUEST="true"
    )
    assert fragment.status_code == 200 and "GA23-INS-1" in fragment.content.decode()
    client.force_login(make_user("inst1", "teacher"))
    page = client.get(reverse("training:class_detail", args=[training_class.pk])).content.decode()
    assert "/subsidies/claims/" not in page


def test_class_roster_reports_every_problem_of_a_row(make_user, make_class):
    """Security item 11: a bad ID number does not hide an unknown category or a township."""
    from upskill.core.imports import ImportRejected

    clerk = make_user("inst1", "clerk")
    training_class = make_class(status="approved")
    header = ("序号", "姓名", "身份证号码", "乡镇", "户籍性质", "脱贫属性")
    rows = [["张三", "421022197503080012", "火星镇", "农业", "贫困户"]]
    with translation.override("en"), pytest.raises(ImportRejected) as exc:
        services.roster_import_run(
            actor=clerk, training_class=training_class, upload=_upload(roster_xlsx(rows, header))
        )
    assert [(error.row, error.field) for error in exc.value.errors] == [
        (3, "Categories"),
        (3, "ID number"),
        (3, "Township"),
    ]


def test_class_roster_reads_the_registry_vocabulary(make_user, make_class, id_number):
    """Security item 10: the class roster shares the registry's wordings (户类型 heading, the
    official household words) and a county's own ones."""
    from upskill.registry.services import vocabulary_term_add

    clerk = make_user("inst1", "clerk")
    training_class = make_class(status="approved")
    vocabulary_term_add(
        actor=make_user("gongan", "admin"),
        kind="hukou",
        target="agricultural",
        wording="农村居民",
    )
    header = ("序号", "姓名", "身份证号码", "户口类型", "户类型")
    rows = [["李德胜", id_number(), "农村居民", "就业困难人员"]]
    try:
        result = services.roster_import_run(
            actor=clerk, training_class=training_class, upload=_upload(roster_xlsx(rows, header))
        )
    finally:
        from django.core.cache import cache

        cache.clear()  # the wording is rolled back with the test: so is its cached copy
    assert result == {"rows": 1, "enrolled": 1}
