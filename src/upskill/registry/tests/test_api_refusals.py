"""Refusals of the registry API answer what the document says: ``null`` for a field the
registry cannot leave empty is a 422 naming the field (``"address": null`` answered 500), and
a roster import without its file or date answers the documented 400 body."""

from __future__ import annotations

import pytest

from upskill.core.scoping import SYSTEM
from upskill.organisations.services import api_token_create, role_for


@pytest.fixture
def admin(world):
    _token, secret = api_token_create(
        actor=SYSTEM,
        organisation=world["gongan"],
        role=role_for("county_hr", "admin"),
        name="县局系统",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.parametrize("field", ["address", "name", "phone", "hukou", "insured_months"])
def test_null_for_a_field_that_cannot_be_empty_is_a_422(client, admin, make_person, field):
    person = make_person(address="斗湖堤镇油江路1号")
    response = client.patch(
        f"/api/persons/{person.pk}", {field: None}, content_type="application/json", **admin
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == field and error["msg"]
    person.refresh_from_db()
    assert person.address == "斗湖堤镇油江路1号"


def test_a_field_left_out_is_left_alone(client, admin, make_person):
    person = make_person(address="斗湖堤镇油江路1号")
    response = client.patch(
        f"/api/persons/{person.pk}", {"name": "王芳"}, content_type="application/json", **admin
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.name, person.address) == ("王芳", "斗湖堤镇油江路1号")


def test_a_roster_import_without_file_or_date_answers_the_documented_body(client, make_user):
    from django.utils import translation

    client.force_login(make_user("rural", "clerk"))
    with translation.override("en"):
        response = client.post("/api/rosters/import", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == [
        {"row": 0, "field": "file", "message": "Attach the roster as the multipart field 'file'."},
        {"row": 0, "field": "valid_from", "message": "Give the date the categories hold from."},
    ]
    assert body["detail"] == body["errors"][0]["message"]
