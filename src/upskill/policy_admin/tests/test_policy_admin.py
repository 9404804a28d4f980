"""Administrators change policy without a deploy; the calculator's HTTP door and pages."""

from __future__ import annotations

from datetime import date

import pytest

from upskill.core.scoping import SYSTEM
from upskill.organisations.services import api_token_create, role_for
from upskill.policy_admin.models import ParameterVersion

RECORD = {
    "id": "1",
    "person_id": "421022197503080014",
    "region": "421022",
    "date": "2024-06-30",
    "program": "poverty",
    "categories": ["poverty_alleviated"],
    "passed": True,
    "total_hours": 60,
    "practical_hours": 36,
    "attended_hours": 60,
}
VERSION_FORM = {
    "parameter": "living_allowance.daily_poverty_alleviated",
    "region_code": "421022",
    "valid_from": "2024-01-01",
    "valid_until": "2024-12-31",
    "value": "45",
    "document": "公人社发〔2024〕3号",
    "clause": "三(六)",
    "rule": "GA23-LIV-2",
    "note": "2024年提标",
}


@pytest.fixture
def token(world):
    _token, secret = api_token_create(
        actor=SYSTEM,
        organisation=world["province"],
        role=role_for("province_hr", "statistician"),
        name="省级平台",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _evaluate(client, auth, records, lang=""):
    return client.post(
        f"/api/policy/evaluate{lang}", {"records": records}, content_type="application/json", **auth
    )


def test_http_door_evaluates_as_the_contract_says(client, token):
    response = _evaluate(client, token, [{**RECORD, "date": "2023-06-30"}])
    assert response.status_code == 200
    result = response.json()["results"][0]
    assert result["status"] == "accepted" and result["total"] == 660
    assert "GA23-LIV-2" in result["items"][0]["message"]
    english = _evaluate(client, token, [RECORD], lang="?lang=en").json()
    assert (
        "poverty" in english["results"][0]["reasons"][0]["message"]
        or "region 421022" in english["results"][0]["reasons"][0]["message"]
    )


def test_http_door_refuses_a_malformed_call_with_400(client, token):
    response = client.post(
        "/api/policy/evaluate", "{not json", content_type="application/json", **token
    )
    assert response.status_code == 400 and "not valid JSON" in response.json()["detail"]
    response = client.post(
        "/api/policy/evaluate", '{"rows": []}', content_type="application/json", **token
    )
    assert response.status_code == 400


def test_http_door_needs_authentication(client, world):
    assert _evaluate(client, {}, [RECORD]).status_code == 401


def test_http_door_takes_a_large_call(client, token):
    """A body past Django's default 2.5 MB limit (10,000 records, about 3 MB)."""
    records = [{**RECORD, "id": str(n), "date": "2023-06-30"} for n in range(10_000)]
    response = _evaluate(client, token, records)
    assert response.status_code == 200
    statuses = [r["status"] for r in response.json()["results"]]
    assert statuses[:3] == ["accepted"] * 3 and statuses[3:] == ["rejected"] * 9997


def test_parameters_in_force_over_the_api(client, token):
    rows = client.get("/api/policy/parameters?region=421022&on=2023-06-30", **token).json()
    by_name = {row["name"]: row for row in rows}
    assert by_name["living_allowance.daily_poverty_alleviated"]["value"] == 40
    assert by_name["living_allowance.daily_poverty_alleviated"]["reference"]["rule"] == "GA23-LIV-2"
    assert by_name["training_subsidy.standard"]["value"] is None


def test_county_administrator_adds_a_version_in_the_web_ui(client, make_user, token):
    admin = make_user("gongan", "admin")
    client.force_login(admin)
    assert _evaluate(client, {}, [RECORD]).json()["results"][0]["items"] == []
    response = client.post("/policy/versions/new/", VERSION_FORM)
    assert response.status_code == 302
    version = ParameterVersion.objects.get()
    assert version.created_by == admin and version.organisation == admin.organisation
    assert version.history.count() == 1  # audit-logged
    assert version.history.first().history_user == admin
    result = _evaluate(client, {}, [RECORD]).json()["results"][0]
    assert result["items"][0]["amount"] == 450
    assert "公人社发〔2024〕3号" in result["items"][0]["message"]
    # other processes see it too: the partner token's call
    assert _evaluate(client, token, [RECORD]).json()["results"][0]["total"] == 450
    # the page lists it
    page = client.get("/policy/?region=421022&date=2024-06-30").content.decode()
    assert "公人社发〔2024〕3号" in page and "45" in page


def test_overlapping_version_is_refused_with_a_reason(client, make_user):
    client.force_login(make_user("gongan", "admin"))
    client.post("/policy/versions/new/", VERSION_FORM)
    response = client.post(
        "/policy/versions/new/", {**VERSION_FORM, "valid_from": "2024-07-01", "valid_until": ""}
    )
    assert response.status_code == 200
    assert "overlap" in response.content.decode() or "重叠" in response.content.decode()
    assert ParameterVersion.objects.count() == 1


def test_versions_only_for_the_own_jurisdiction_and_with_the_permission(client, make_user):
    client.force_login(make_user("wuhan", "admin"))
    response = client.post("/policy/versions/new/", VERSION_FORM)
    assert response.status_code == 200 and ParameterVersion.objects.count() == 0
    client.force_login(make_user("gongan", "reviewer"))
    assert client.post("/policy/versions/new/", VERSION_FORM).status_code == 403
    assert client.get("/policy/versions/new/").status_code == 403


def test_a_bad_value_is_refused(client, make_user):
    client.force_login(make_user("province", "policy_admin"))
    response = client.post(
        "/policy/versions/new/", {**VERSION_FORM, "region_code": "420000", "value": '{"a": 1}'}
    )
    assert response.status_code == 200 and ParameterVersion.objects.count() == 0


def test_withdrawn_version_stops_applying(client, make_user):
    client.force_login(make_user("gongan", "admin"))
    client.post("/policy/versions/new/", VERSION_FORM)
    version = ParameterVersion.objects.get()
    client.post(f"/policy/versions/{version.pk}/withdraw/", {"reason": "录入错误"})
    version.refresh_from_db()
    assert version.withdrawn_at and version.withdrawn_reason == "录入错误"
    assert _evaluate(client, {}, [RECORD]).json()["results"][0]["items"] == []


def test_try_page_explains_a_record(client, make_user):
    client.force_login(make_user("gongan", "reviewer"))
    data = {
        "person_id": "421022197503080014",
        "region": "421022",
        "date": "2023-06-30",
        "program": "poverty",
        "categories": ["poverty_alleviated"],
        "passed": "on",
        "total_hours": "60",
        "practical_hours": "36",
        "attended_hours": "60",
    }
    fragment = client.post("/policy/try/", data, HTTP_HX_REQUEST="true").content.decode()
    assert "按 6 课时计 1 天共 10 天，每天 40 元，计 400 元" in fragment
    assert 'data-testid="total">660' in fragment


def test_parameters_page_shows_every_parameter_with_its_reference(client, make_user):
    client.force_login(make_user("wh_ent1", "hr_clerk"))
    page = client.get("/policy/?region=421022&date=2023-06-30").content.decode()
    assert "GA23-LIV-2" in page and "公人社发〔2023〕5号" in page
    assert date(2023, 1, 1).isoformat() in page
