"""The operator's course pages and the learner's study pages (WH20-PLT-1, WH20-PRG-1)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from upskill.core.scoping import SYSTEM
from upskill.learning import services
from upskill.learning.models import Course, Lesson, LessonProgress
from upskill.registry.services import person_account_create

from . import factories


def test_the_operator_builds_a_course_on_pages(world, make_user, client):
    client.force_login(factories.operator(make_user))
    assert client.get("/learning/courses/").status_code == 200
    response = client.post(
        "/learning/courses/new/",
        {"occupation_name": "钳工", "level": "4", "title": "钳工（四级）", "description": ""},
    )
    course = Course.objects.get(title="钳工（四级）")
    assert response.status_code == 302 and course.platform == world["platform"]
    url = f"/learning/courses/{course.pk}/"
    client.post(url, {"section-title": "第一章"})
    section = course.sections.get()
    response = client.post(
        url,
        {
            "lesson-section": section.pk,
            "lesson-title": "1.1 安全",
            "lesson-medium": "document",
            "lesson-delivery": "online",
            "lesson-required_seconds": "30",
            "lesson-file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", "application/pdf"),
        },
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get(section=section)
    assert lesson.required_seconds == 30
    client.post(f"/learning/courses/{course.pk}/publish/", {"published": "1"})
    course.refresh_from_db()
    assert course.published
    page = client.get(url).content.decode()
    assert "1.1 安全" in page


def test_another_organisation_cannot_build_on_the_platforms_course(world, make_user, client):
    course = factories.course(make_user, publish=False)
    client.force_login(make_user("wh_ent1", "hr_clerk"))
    assert client.get(f"/learning/courses/{course.pk}/").status_code in (403, 404)
    assert client.post("/learning/courses/new/", {"title": "x"}).status_code == 403


def test_the_learner_studies_in_the_portal_and_the_player_counts(
    world, make_user, make_person, client, clock
):
    clock.set_to(datetime(2020, 8, 5, 20, 0))
    course = factories.course(make_user, required_seconds=20)
    learner = factories.learner_in_class(world, make_user, make_person)
    lesson = Lesson.objects.get(section__course=course)
    client.force_login(learner)
    portal = client.get("/me/").content.decode()
    assert course.title in portal and f"/me/learning/courses/{course.pk}/" in portal
    assert client.get(f"/me/learning/courses/{course.pk}/").status_code == 200
    page = client.get(f"/me/learning/lessons/{lesson.pk}/").content.decode()
    assert "learning/player.js" in page and "<script>" not in page
    start = client.post(
        f"/me/learning/lessons/{lesson.pk}/start",
        json.dumps({"device": "phone"}),
        content_type="application/json",
    )
    assert start.json()["position"] == 0
    clock.advance(timedelta(seconds=15))
    beat = client.post(
        f"/me/learning/lessons/{lesson.pk}/heartbeat",
        json.dumps({"device": "phone", "segments": [[0, 15]], "position": 15}),
        content_type="application/json",
    ).json()
    assert (beat["added"], beat["watched"], beat["complete"]) == (15, 15, False)
    clock.advance(timedelta(seconds=15))
    beat = client.post(
        f"/me/learning/lessons/{lesson.pk}/heartbeat",
        json.dumps({"device": "phone", "segments": [[15, 20]], "position": 20}),
        content_type="application/json",
    ).json()
    assert beat["complete"] and beat["percent"] == 100
    assert LessonProgress.objects.get(person=learner.person).completed_at is not None
    # the file, read by ranges
    response = client.get(f"/me/learning/lessons/{lesson.pk}/file", HTTP_RANGE="bytes=0-3")
    assert response.status_code == 206 and b"".join(response.streaming_content) == b"%PDF"
    # the operator's pages do not exist for a learner
    assert client.get("/learning/courses/").status_code == 404


def test_wh20_prg_1_the_lesson_page_shows_the_share_watched_complete_at_95_percent(
    world, make_user, make_person, client, clock
):
    """19 of 20 required seconds: complete (95 %), and the page says so when opened again."""
    clock.set_to(datetime(2020, 8, 5, 20, 0))
    course = factories.course(make_user, required_seconds=20)
    learner = factories.learner_in_class(world, make_user, make_person)
    lesson = Lesson.objects.get(section__course=course)
    services.playback_start(actor=learner, lesson=lesson, device="phone")
    clock.advance(timedelta(seconds=19))
    result = services.heartbeat_record(
        actor=learner, lesson=lesson, device="phone", segments=[(0, 19)], position=19
    )
    assert result.progress.completed_at is not None
    client.force_login(learner)
    page = client.get(f"/me/learning/lessons/{lesson.pk}/").content.decode()
    assert '<span data-role="watched">19</span> / 20' in page
    assert '(<span data-role="percent">95</span> %)' in page
    assert 'value="95"' in page


def test_the_study_pages_404_for_staff_and_for_a_learner_of_another_class(
    world, make_user, make_person, client
):
    course = factories.course(make_user)
    lesson = Lesson.objects.get(section__course=course)
    urls = [
        ("get", f"/me/learning/courses/{course.pk}/"),
        ("get", f"/me/learning/lessons/{lesson.pk}/"),
        ("get", f"/me/learning/lessons/{lesson.pk}/file"),
        ("post", f"/me/learning/lessons/{lesson.pk}/start"),
        ("post", f"/me/learning/lessons/{lesson.pk}/heartbeat"),
        ("post", f"/me/learning/lessons/{lesson.pk}/presence"),
    ]
    stranger = person_account_create(
        actor=SYSTEM,
        person=make_person(),
        username="stranger",
        password="Test#Pass2023",
        check_password=False,
    )
    for user in (factories.operator(make_user), make_user("wh_ent1", "hr_clerk"), stranger):
        client.force_login(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (user, url)
    learner = factories.learner_in_class(world, make_user, make_person)
    client.force_login(learner)
    assert client.get(urls[1][1]).status_code == 200
