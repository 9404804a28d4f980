"""The inspection routes over JSON: the detail no longer captures the two POST operations
beside it (``/inspections/schedule`` and ``/inspections/video`` answered 405)."""

from __future__ import annotations

import pytest

from upskill.core.scoping import SYSTEM
from upskill.organisations.services import api_token_create, role_for


@pytest.fixture
def inspector(world):
    _token, secret = api_token_create(
        actor=SYSTEM,
        organisation=world["gongan"],
        role=role_for("county_hr", "inspector"),
        name="督查系统",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_an_inspection_is_scheduled_over_the_api(client, make_class, inspector):
    training_class = make_class()
    response = client.post(
        "/api/supervision/inspections/schedule",
        {
            "class_id": training_class.pk,
            "kind": "during",
            "mode": "on_site",
            "planned_at": "2023-05-10T09:00:00+08:00",
        },
        content_type="application/json",
        **inspector,
    )
    assert response.status_code == 201, response.content
    detail = client.get(f"/api/supervision/inspections/{response.json()['id']}", **inspector)
    assert detail.status_code == 200
    assert detail.json()["kind"] == "during"


def test_the_video_inspection_is_reached(client, make_class, inspector):
    response = client.post("/api/supervision/inspections/video", {}, **inspector)
    assert response.status_code != 405
    assert response.status_code in (400, 422)


def test_the_detail_takes_only_a_number(client, inspector, db):
    assert client.get("/api/supervision/inspections/schedule", **inspector).status_code == 405
    assert client.get("/api/supervision/inspections/999999", **inspector).status_code == 404
