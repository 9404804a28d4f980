"""Lesson times over JSON are valid ``format: time`` (RFC 3339 ``full-time``): local times
with the offset of that day (``08:00:00+08:00``); bare ``08:00:00`` failed the document."""

from __future__ import annotations

from datetime import datetime

from upskill.core.scoping import SYSTEM
from upskill.organisations.services import api_token_create, role_for


def test_lesson_times_carry_their_offset(client, make_class):
    training_class = make_class()
    _token, secret = api_token_create(
        actor=SYSTEM,
        organisation=training_class.organisation,
        role=role_for("institution", "clerk"),
        name="教务系统",
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    lessons = client.get(f"/api/classes/{training_class.pk}/lessons", **auth).json()
    assert [(lesson["start_time"], lesson["end_time"]) for lesson in lessons] == [
        # 8 and 12 class hours of 45 minutes, on two days (issue 15.6)
        ("08:00:00+08:00", "14:00:00+08:00"),
        ("08:00:00+08:00", "17:00:00+08:00"),
    ]
    one = client.get(f"/api/lessons/{lessons[0]['id']}", **auth).json()
    assert one["start_time"] == "08:00:00+08:00"
    # it reads back as the same local time
    assert datetime.fromisoformat(f"2023-05-08T{one['start_time']}").hour == 8


def test_the_document_says_format_time(client, db):
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]["LessonOut"]
    start = schema["properties"]["start_time"]
    assert (start["type"], start["format"]) == ("string", "time")
