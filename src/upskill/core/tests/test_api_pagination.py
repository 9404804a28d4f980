"""Every paginated list of the API (and of the pages) with an absurd ``?page=``: the API
answered 500 (the OFFSET overflowed a 64-bit integer); it answers an empty page now, with the
count. The pages show their last page."""

from __future__ import annotations

import re

import pytest

from upskill.core.scoping import SYSTEM
from upskill.organisations.services import api_token_create, role_for

HUGE = "999999999999999999999"


def _paginated_lists() -> list[str]:
    from upskill.api import api

    document = api.get_openapi_schema(path_prefix="/api/")
    return [
        path
        for path, operations in document["paths"].items()
        if "get" in operations
        and any(p["name"] == "page" for p in operations["get"].get("parameters", []))
    ]


@pytest.fixture
def admin(world):
    _token, secret = api_token_create(
        actor=SYSTEM,
        organisation=world["gongan"],
        role=role_for("county_hr", "admin"),
        name="县局系统",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_every_paginated_list_answers_an_empty_page_past_the_last(client, admin, make_person):
    make_person()
    paths = _paginated_lists()
    assert "/api/persons" in paths and "/api/certificates" in paths
    for path in paths:
        url = re.sub(r"{\w+}", "1", path)
        response = client.get(url, {"page": HUGE}, **admin)
        # 403/404: the list needs a permission the bureau's admin lacks, or names an object
        assert response.status_code in (200, 403, 404), (path, response.status_code)
        if response.status_code == 200:
            assert response.json()["items"] == [], path
    persons = client.get("/api/persons", {"page": HUGE}, **admin).json()
    assert persons == {"items": [], "count": 1}
    assert client.get("/api/persons", {"page": 1}, **admin).json()["count"] == 1


def test_a_page_of_the_site_past_the_last_shows_the_last(client, make_user, make_person):
    make_person()
    client.force_login(make_user("gongan", "admin"))
    response = client.get("/training/classes/", {"page": HUGE})
    assert response.status_code == 200
