"""The exam's pages and API: the key never reaches the browser, the learner's pages are no one
else's, the operator's bank page and its all-or-nothing import reporting row and column."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook

from upskill.core.models import Job
from upskill.exams import services
from upskill.exams.models import ExamAttempt, Question
from upskill.exams.tests.factories import answer_all, bank, exam_world

pytestmark = pytest.mark.django_db


def _no_key(text: str, attempt: ExamAttempt) -> None:
    assert "answer" not in text.lower() and "correct" not in text.lower()
    for pq in attempt.paper.select_related("question"):
        assert pq.question.explanation not in text  # nor the 解析


def test_the_key_never_reaches_the_browser(world, make_user, make_person, client):
    blueprint, learner = exam_world(world, make_user, make_person)
    client.force_login(learner)
    response = client.post(f"/me/exams/{blueprint.pk}/start")
    attempt = ExamAttempt.objects.get()
    assert response.url == f"/me/exams/attempts/{attempt.pk}/"
    page = client.get(response.url).content.decode()
    assert "exams/paper.js" in page and 'name="q1"' in page
    _no_key(page, attempt)
    paper = client.get(f"/api/me/exam-attempts/{attempt.pk}")
    assert paper.status_code == 200
    data = paper.json()
    assert len(data["paper"]) == 8 and set(data["paper"][0]) == {
        "position",
        "kind",
        "stem",
        "options",
        "choice",
        "points",
    }
    _no_key(json.dumps(data, ensure_ascii=False), attempt)
    saved = client.post(
        f"/me/exams/attempts/{attempt.pk}/save",
        data=json.dumps({"position": 1, "choice": [1]}),
        content_type="application/json",
    )
    assert saved.json() == {"position": 1, "choice": [1], "saved": True}
    put = client.put(
        f"/api/me/exam-attempts/{attempt.pk}/questions/2",
        data=json.dumps({"choice": [0]}),
        content_type="application/json",
    )
    assert put.status_code == 200
    result = client.post(f"/api/me/exam-attempts/{attempt.pk}/submit").json()
    assert result["status"] == "submitted" and {a["area"] for a in result["areas"]}
    _no_key(client.get(f"/me/exams/attempts/{attempt.pk}/result").content.decode(), attempt)


def test_submitting_the_paper_form_saves_and_grades(world, make_user, make_person, client):
    blueprint, learner = exam_world(world, make_user, make_person)
    attempt = services.attempt_start(actor=learner, blueprint=blueprint)
    answer_all(learner, attempt, right=8)
    client.force_login(learner)
    response = client.post(f"/me/exams/attempts/{attempt.pk}/submit")
    assert response.url == f"/me/exams/attempts/{attempt.pk}/result"
    page = client.get(response.url).content.decode()
    assert "100.0" in page and 'class="text-success" data-testid="verdict"' in page
    portal = client.get("/me/").content.decode()
    assert blueprint.title in portal


def test_the_exam_pages_404_for_staff_and_for_another_learner(
    world, make_user, make_person, client
):
    from upskill.exams.tests.factories import learner_in_class

    blueprint, learner = exam_world(world, make_user, make_person)
    attempt = services.attempt_start(actor=learner, blueprint=blueprint)
    other = learner_in_class(world, make_user, make_person)  # a learner of the same exam
    urls = [
        ("get", f"/me/exams/attempts/{attempt.pk}/"),
        ("post", f"/me/exams/attempts/{attempt.pk}/save"),
        ("post", f"/me/exams/attempts/{attempt.pk}/submit"),
        ("get", f"/me/exams/attempts/{attempt.pk}/result"),
        ("get", f"/api/me/exam-attempts/{attempt.pk}"),
        ("put", f"/api/me/exam-attempts/{attempt.pk}/questions/1"),
        ("post", f"/api/me/exam-attempts/{attempt.pk}/submit"),
        ("get", f"/api/me/exam-attempts/{attempt.pk}/result"),
    ]
    staff_only = [
        ("get", f"/me/exams/{blueprint.pk}/"),
        ("post", f"/me/exams/{blueprint.pk}/start"),
        ("post", f"/api/me/exams/{blueprint.pk}/attempts"),
    ]
    for user, routes in (
        (other, urls),
        (make_user("platform", "operator"), urls + staff_only),
        (make_user("wuhan", "reviewer"), urls + staff_only),
    ):
        client.force_login(user)
        for method, url in routes:
            kwargs = (
                {"content_type": "application/json", "data": '{"choice": [0]}'}
                if method == "put"
                else {}
            )
            assert getattr(client, method)(url, **kwargs).status_code == 404, (user, url)
        client.logout()
    attempt.refresh_from_db()
    assert attempt.is_open  # nobody else closed it


def _sheet(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["题型", "题干", "选项", "答案", "解析", "知识点", "难度"])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "questions.xlsx"
    return data


def test_the_import_adds_all_or_nothing_reporting_row_and_column(world, make_user, client):
    from upskill.learning.tests.factories import operator

    made = bank(make_user)
    before = Question.objects.count()
    good = [
        [
            "单选",
            "錾削时錾子的楔角一般为？",
            "A. 30°|B. 60°|C. 90°",
            "B",
            "常用60°",
            "钳工工艺",
            "易",
        ],
        [
            "多选题",
            "划线的作用有哪些？",
            "A.确定加工位置;B.检查毛坯;C.装饰",
            "AB",
            "",
            "钳工工艺",
            "中",
        ],
        ["判断", "钻孔时可以戴手套。", "", "错", "严禁戴手套", "安全生产", "难"],
    ]
    job = services.questions_import(actor=operator(make_user), bank=made, upload=_sheet(good))
    assert job.status == "done", job.error
    assert Question.objects.count() == before + 3
    new = Question.objects.get(stem__startswith="划线的作用")
    assert new.options == ["确定加工位置", "检查毛坯", "装饰"] and new.answer == [0, 1]
    assert Question.objects.get(stem__startswith="钻孔时可以戴手套").answer == [1]
    bad = [
        ["填空", "题型不认识", "A. 甲|B. 乙", "A", "", "", ""],
        ["单选", "答案超出选项", "A. 甲|B. 乙", "D", "", "", "中"],
        ["多选", "多选只有一个答案", "A. 甲|B. 乙|C. 丙", "A", "", "", "很难"],
        ["单选", "錾削时錾子的楔角一般为？", "A. 30°|B. 60°", "A", "", "", ""],
        ["单选", "好的一行", "A. 甲|B. 乙", "A", "", "", ""],
    ]
    client.force_login(operator(make_user))
    response = client.post(f"/exams/banks/{made.pk}/import/", {"file": _sheet(bad)})
    job = Job.objects.latest("pk")
    assert str(job.pk) in response.url and job.status == "failed"
    found = {(error["row"], str(error["field"])) for error in job.row_errors}
    # the page and its job speak Chinese: the columns are named as in the sheet
    assert {(2, "题型"), (3, "答案"), (4, "答案"), (4, "难度"), (5, "题干")} <= found, found
    assert Question.objects.count() == before + 3  # nothing of the refused file


def test_the_operator_pages_list_filter_and_warn(world, make_user, client):
    from upskill.exams.tests.factories import blueprint
    from upskill.learning.tests.factories import operator

    made = bank(make_user)
    short = blueprint(make_user, parts=(("single", "", 20, 5),), activate=False)
    client.force_login(operator(make_user))
    page = client.get(f"/exams/banks/{made.pk}/?kind=multiple").content.decode()
    assert "多选题1" in page and "单选题1" not in page
    listing = client.get("/exams/blueprints/").content.decode()
    assert 'data-testid="short"' in listing
    detail = client.get(f"/exams/blueprints/{short.pk}/").content.decode()
    assert "需要 20 题，题库仅有 6 题" in detail  # the pages speak Chinese
    home = client.get("/").content.decode()
    assert "题库题量不足组卷规则所需的考试" in home
    api = client.get("/api/exams/banks").json()
    assert api["items"][0]["question_count"] == 14
