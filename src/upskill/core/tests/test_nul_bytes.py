"""A NUL byte in a request is refused with 400 before it reaches the database (PostgreSQL
answers 500 to NUL in text otherwise)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/catalog/?q=%00",
        "/training/notices/?q=a%00b",
        "/api/catalogs?q=%00",
        "/assessment/verify/GA%00/?code=x",
    ],
)
def test_a_nul_byte_in_the_query_or_path_is_a_400(client, db, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_byte_in_a_form_is_a_400(client, db):
    # a browser's ordinary form encoding; multipart bodies are left to the views, whose upload
    # handlers must see the stream first
    response = client.post(
        "/accounts/login/",
        "username=a%00b&password=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_a_logged_in_search_with_a_nul_byte_is_refused_not_a_server_error(client, make_user):
    client.force_login(make_user("gongan", "reviewer"))
    response = client.get("/registry/persons/?q=421022%00")
    assert response.status_code == 400


def test_ordinary_queries_pass(client, db):
    assert client.get("/catalog/?q=%E7%94%B5").status_code == 200


def test_a_nul_byte_in_a_json_body_is_an_api_400_and_an_escaped_backslash_is_not(
    client, make_user, make_person
):
    """A JSON body writes NUL as the escape \\u0000: a PATCH of a person's township code with
    one reached the database (schemathesis found it). The answer is the API's error shape."""
    client.force_login(make_user("township:421022101", "clerk"))
    person = make_person()
    url = f"/api/persons/{person.pk}"
    response = client.patch(
        url, '{"township_code": "421022\\u0000"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    # the six characters \u0000 as text (an escaped backslash) are no NUL: the API decides
    response = client.patch(url, '{"address": "C:\\\\u0000"}', content_type="application/json")
    assert response.status_code == 200, response.content
