import pytest

from upskill.core.scoping import SYSTEM
from upskill.organisations.services import api_token_create, api_token_revoke, role_for


@pytest.fixture
def rural_token(world):
    token, secret = api_token_create(
        actor=SYSTEM,
        organisation=world["rural"],
        role=role_for("rural_revitalisation", "clerk"),
        name="乡村振兴局名册系统",
    )
    return token, secret


def test_openapi_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/persons" in paths and "/api/organisations/{organisation_id}" in paths


def test_api_needs_authentication(client, world):
    assert client.get("/api/persons").status_code == 401
    assert client.get("/api/persons", HTTP_AUTHORIZATION="Bearer usk_nope").status_code == 401


def test_partner_token_carries_its_organisations_scope(client, rural_token, make_person, id_number):
    _token, secret = rural_token
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    me = client.get("/api/me", **auth).json()
    assert me["organisation"]["kind"] == "rural_revitalisation"
    # a person it has not submitted is outside its scope
    other = make_person()
    assert client.get(f"/api/persons/{other.pk}", **auth).status_code == 404
    # it registers a person and adds the roster category: now the person is in scope
    created = client.post(
        "/api/persons",
        {
            "id_number": id_number(),
            "name": "黄秀英",
            "hukou": "agricultural",
            "township_code": "421022103",
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    person_id = created.json()["id"]
    added = client.post(
        f"/api/persons/{person_id}/categories",
        {
            "category": "poverty_alleviated",
            "source": "2023年脱贫人员名册",
            "valid_from": "2023-01-01",
        },
        content_type="application/json",
        **auth,
    )
    assert added.status_code == 201, added.content
    listed = client.get("/api/persons", **auth).json()
    assert [item["id"] for item in listed["items"]] == [person_id]
    assert "*" in listed["items"][0]["id_number_masked"]
    # the history names the token and its organisation
    from upskill.registry.models import PersonCategory

    record = PersonCategory.objects.get(person_id=person_id).history.latest()
    assert record.history_token == "乡村振兴局名册系统"
    assert record.history_organisation_id == me["organisation"]["id"]


def test_reveal_over_the_api_is_a_permission(client, rural_token, make_person, make_user):
    _token, _secret = rural_token
    person = make_person()
    reviewer_token, reviewer_secret = api_token_create(
        actor=SYSTEM,
        organisation=make_user("gongan", "reviewer").organisation,
        role=role_for("county_hr", "reviewer"),
        name="省平台",
    )
    response = client.post(
        f"/api/persons/{person.pk}/reveal", HTTP_AUTHORIZATION=f"Bearer {reviewer_secret}"
    )
    assert response.json() == {"id_number": person.id_number}
    _inspector_token, inspector_secret = api_token_create(
        actor=SYSTEM,
        organisation=reviewer_token.organisation,
        role=role_for("county_hr", "inspector"),
        name="巡查",
    )
    response = client.post(
        f"/api/persons/{person.pk}/reveal", HTTP_AUTHORIZATION=f"Bearer {inspector_secret}"
    )
    assert response.status_code == 403


def test_revoked_token_is_refused(client, rural_token, make_user):
    token, secret = rural_token
    api_token_revoke(actor=SYSTEM, token=token)
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_bad_input_names_the_field(client, rural_token):
    _token, secret = rural_token
    response = client.post(
        "/api/persons",
        {"id_number": "421022197503080019", "name": "某", "hukou": "agricultural"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "id_number" in response.json()["detail"]
