"""The Wuhan enrolment path over the JSON API, with partner tokens (WH20-ENR-1/2, WH20-OBJ-1,
WH20-FEE-1, WH20-LVE-1, WH20-USE-1): the same services and the same scope as the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from upskill.core.scoping import SYSTEM
from upskill.nominations import services
from upskill.nominations.models import Application, Nomination
from upskill.organisations.services import api_token_create, role_for

from .factories import employee


@pytest.fixture
def tokens(wh, world):
    """A partner token per organisation: the federation, the two member enterprises, the
    institution and the Wuhan bureau."""

    def token(organisation, role: str) -> dict[str, str]:
        _token, secret = api_token_create(
            actor=SYSTEM,
            organisation=organisation,
            role=role_for(organisation.kind, role),
            name=f"{organisation.name} 系统",
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return {
        "association": token(world["federation"], "clerk"),
        "hr1": token(world["wh_ent1"], "hr_clerk"),
        "hr2": token(world["wh_ent2"], "hr_clerk"),
        "institution": token(wh.institution, "clerk"),
        "bureau": token(world["wuhan"], "reviewer"),
        "gongan": token(world["gongan"], "reviewer"),
    }


def _post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


APPLICATION = {
    "industry": "机械制造",
    "hr_lead": "王经理",
    "hr_lead_phone": "13800138000",
    "occupations_wanted": "安全评价师、钳工",
    "eligible_employees": 5,
    "dispatched_included": 1,
}


def test_WH20_ENR_1_an_enterprise_applies_and_the_association_schedules_in_order(
    wh, tokens, client
):
    open_call = services.call_create(
        actor=wh.users["association"],
        title="2099线上培训",
        year=2099,
        deadline=date(2099, 7, 20),
        advanced_exam_fee=Decimal("320"),
    )
    batch = services.batch_create(
        actor=wh.users["association"],
        call=open_call,
        name="第一批",
        institution=wh.institution,
        platform=wh.platform,
        start_date=date(2020, 8, 1),
        end_date=date(2020, 10, 31),
    )
    first = _post(
        client, f"/api/nominations/calls/{open_call.pk}/applications", APPLICATION, tokens["hr1"]
    )
    assert first.status_code == 201, first.json()
    assert first.json()["sequence"] == 1 and first.json()["status"] == "submitted"
    assert first.json()["hr_lead_phone_masked"] == "138****8000"
    second = _post(
        client, f"/api/nominations/calls/{open_call.pk}/applications", APPLICATION, tokens["hr2"]
    )
    assert second.json()["sequence"] == 2
    # after the deadline (inclusive): refused naming the rule
    late = _post(
        client, f"/api/nominations/calls/{wh.call.pk}/applications", APPLICATION, tokens["hr1"]
    )
    assert late.status_code == 400 and "WH20-ENR-1" in str(late.json()["detail"])
    # the association's queue in order of registration; the second waits for the first
    queue = client.get(
        f"/api/nominations/applications?call_id={open_call.pk}&status=submitted",
        **tokens["association"],
    ).json()
    assert [row["sequence"] for row in queue["items"]] == [1, 2]
    out_of_order = _post(
        client,
        f"/api/nominations/applications/{second.json()['id']}/schedule",
        {"batch_id": batch.pk},
        tokens["association"],
    )
    assert out_of_order.status_code == 400 and "WH20-ENR-1" in str(out_of_order.json())
    scheduled = _post(
        client,
        f"/api/nominations/applications/{first.json()['id']}/schedule",
        {"batch_id": batch.pk},
        tokens["association"],
    )
    assert scheduled.status_code == 200, scheduled.json()
    assert scheduled.json()["status"] == "scheduled"
    # the enterprise sees its status, and only its own application
    mine = client.get("/api/nominations/applications", **tokens["hr1"]).json()
    assert [(row["id"], row["status"]) for row in mine["items"]] == [
        (first.json()["id"], "scheduled")
    ]
    assert (
        client.get(
            f"/api/nominations/applications/{second.json()['id']}", **tokens["hr1"]
        ).status_code
        == 404
    )
    # an enterprise schedules nothing; another county's bureau sees nothing
    refused = _post(
        client,
        f"/api/nominations/applications/{second.json()['id']}/schedule",
        {"batch_id": batch.pk},
        tokens["hr2"],
    )
    assert refused.status_code == 403
    gongan = client.get(f"/api/nominations/calls/{open_call.pk}", **tokens["gongan"])
    assert gongan.status_code == 404


def test_WH20_OBJ_1_hr_puts_employees_forward_and_eleven_months_are_refused(
    wh, scheduled, tokens, make_person, client
):
    hr = wh.users["hr1"]
    fit = employee(make_person, hr, 24, name="李娜")
    short = employee(make_person, hr, 11, name="刘强")
    url = f"/api/nominations/applications/{scheduled.pk}/employees"

    def body(contract, **changes):
        return {
            "id_number": contract.person.id_number,
            "name": contract.person.name,
            "general_occupation": "安全评价师",
            "general_level": 3,
            "specialised_occupation": "钳工",
            "specialised_level": 4,
            **changes,
        }

    refused = _post(client, url, body(short), tokens["hr1"])
    assert refused.status_code == 400
    detail = str(refused.json()["detail"])
    assert "WH20-OBJ-1" in detail and "11" in detail and "2020-07-01" in detail
    wrong_name = _post(client, url, body(fit, name="李四"), tokens["hr1"])
    assert wrong_name.status_code == 400 and "id_number" in wrong_name.json()["detail"]
    no_level = _post(client, url, body(fit, general_level=4), tokens["hr1"])
    assert no_level.status_code == 400 and "general_occupation" in no_level.json()["detail"]
    # another member's HR does not see the application
    assert _post(client, url, body(fit), tokens["hr2"]).status_code == 404

    made = _post(client, url, body(fit, payer="employee"), tokens["hr1"])
    assert made.status_code == 201, made.json()
    out = made.json()
    assert out["name"] == "李娜" and "*" in out["id_number_masked"]
    assert (out["insured_months"], out["months_source"], out["months_as_of"]) == (
        24,
        "contract",
        "2020-07-01",
    )
    assert out["general_occupation"]["name"] == "安全评价师"
    assert out["specialised_occupation"]["level"] == 4
    assert out["payer"] == "employee" and out["state"] == "applied"
    assert Decimal(out["fee"]["total"]) == Decimal("3000")
    assert Decimal(out["fee"]["exam_fees"]) == Decimal("320")
    assert out["permissions"]["register_on_site"] is True
    assert Nomination.objects.get().person == fit.person

    # the association sees the counts, never the persons
    progress = client.get(
        f"/api/nominations/calls/{wh.call.pk}/progress", **tokens["association"]
    ).json()
    assert progress[0]["put_forward"] == 1 and progress[0]["counts"] == {"applied": 1}
    assert client.get("/api/nominations/employees", **tokens["association"]).status_code == 403
    detail_url = f"/api/nominations/employees/{out['id']}"
    assert client.get(detail_url, **tokens["association"]).status_code == 404
    # the enterprise, the institution of the batch and the city bureau do
    for key in ("hr1", "institution", "bureau"):
        listed = client.get("/api/nominations/employees", **tokens[key]).json()
        assert [row["id"] for row in listed["items"]] == [out["id"]], key
        assert listed["items"][0]["state"] == "applied"
    assert client.get("/api/nominations/employees", **tokens["hr2"]).json()["count"] == 0
    totals = client.get("/api/nominations/totals", **tokens["bureau"]).json()
    assert (totals["applications"], totals["scheduled"], totals["put_forward"]) == (1, 1, 1)


def test_WH20_LVE_1_registration_receipt_exam_and_leaving_with_the_deduction(
    wh, scheduled, tokens, make_person, make_learner, client
):
    hr = wh.users["hr1"]
    nomination = services.nomination_put_forward(
        actor=hr,
        application=scheduled,
        contract=employee(make_person, hr, 24),
        general_occupation=wh.occupations[("安全评价师", 3)],
        specialised_occupation=wh.occupations[("钳工", 4)],
    )
    base = f"/api/nominations/employees/{nomination.pk}"
    registered = _post(client, f"{base}/register", {}, tokens["hr1"])
    assert registered.status_code == 200, registered.json()
    out = registered.json()
    assert out["status"] == "enrolled" and out["channel"] == "onsite"
    assert out["general_enrolment_id"] and out["specialised_enrolment_id"]
    # the institution records the enterprise's advance (WH20-FEE-1); never more than the fee
    receipt = _post(
        client,
        f"{base}/receipts",
        {"amount": "3000.00", "paid_on": "2020-07-25", "number": "MW-0001"},
        tokens["institution"],
    )
    assert receipt.status_code == 201 and receipt.json()["payer"] == "enterprise"
    too_much = _post(
        client,
        f"{base}/receipts",
        {"amount": "1.00", "paid_on": "2020-07-26", "number": "MW-0002"},
        tokens["hr1"],
    )
    assert too_much.status_code == 400 and "WH20-FEE-1" in str(too_much.json())
    # no leaving before the agreements are signed (WH20-LVE-1)
    early = _post(
        client, f"{base}/leave", {"left_on": "2020-09-01", "reason": "离职"}, tokens["hr1"]
    )
    assert early.status_code == 400 and "WH20-LVE-1" in str(early.json())
    services.agreements_confirm(actor=make_learner(nomination.person), nomination=nomination)
    detail = client.get(base, **tokens["hr1"]).json()
    assert detail["agreements_confirmed_how"] == "portal" and detail["agreements_confirmed_at"]
    assert [r["number"] for r in detail["receipts"]] == ["MW-0001"]
    # the institution does not record the leaving: that is the enterprise's
    assert (
        _post(
            client,
            f"{base}/leave",
            {"left_on": "2020-09-01", "reason": "离职"},
            tokens["institution"],
        ).status_code
        == 403
    )
    left = _post(
        client, f"{base}/leave", {"left_on": "2020-09-01", "reason": "个人原因离职"}, tokens["hr1"]
    )
    assert left.status_code == 200, left.json()
    out = left.json()
    # 3,000 advanced, less the 320 exam fee: the employee left before registering for the exam
    assert (Decimal(out["advanced"]), Decimal(out["exam_fee_kept"])) == (
        Decimal("3000"),
        Decimal("320"),
    )
    assert Decimal(out["deduction"]) == Decimal("2680")
    assert out["status"] == "withdrawn" and out["state"] == "left"
    assert out["left_on"] == "2020-09-01"


def test_exam_registration_keeps_the_exam_fee_in_the_deduction(
    wh, scheduled, tokens, make_person, make_learner, client
):
    hr = wh.users["hr1"]
    nomination = services.nomination_put_forward(
        actor=hr,
        application=scheduled,
        contract=employee(make_person, hr, 24),
        general_occupation=wh.occupations[("安全评价师", 3)],
        specialised_occupation=wh.occupations[("钳工", 4)],
    )
    services.receipt_record(
        actor=hr,
        nomination=nomination,
        amount=Decimal("3000"),
        paid_on=date(2020, 7, 25),
        number="MW-0001",
    )
    base = f"/api/nominations/employees/{nomination.pk}"
    before = _post(client, f"{base}/exam-registration", {"on": "2020-08-20"}, tokens["hr1"])
    assert before.status_code == 400  # not enrolled yet
    services.nomination_register(actor=hr, nomination=nomination, channel="onsite")
    services.agreements_confirm(actor=make_learner(nomination.person), nomination=nomination)
    exam = _post(client, f"{base}/exam-registration", {"on": "2020-08-20"}, tokens["hr1"])
    assert exam.status_code == 200 and exam.json()["exam_registered_on"] == "2020-08-20"
    left = _post(
        client, f"{base}/leave", {"left_on": "2020-09-01", "reason": "离职"}, tokens["hr1"]
    ).json()
    assert Decimal(left["deduction"]) == Decimal("3000")


def test_WH20_USE_1_the_institution_states_the_use_and_food_is_no_category(
    wh, scheduled, tokens, client
):
    url = f"/api/nominations/batches/{scheduled.batch_id}/uses"
    made = _post(client, url, {"category": "teaching", "amount": "5000.00"}, tokens["institution"])
    assert made.status_code == 201 and made.json()["category"] == "teaching"
    food = _post(client, url, {"category": "food", "amount": "100.00"}, tokens["institution"])
    assert food.status_code == 400 and "WH20-USE-1" in str(food.json())
    # the association sees the batch and its statement, but states nothing itself
    assert (
        _post(
            client, url, {"category": "courses", "amount": "1"}, tokens["association"]
        ).status_code
        == 403
    )
    batch = client.get(f"/api/nominations/batches/{scheduled.batch_id}", **tokens["association"])
    assert [u["category"] for u in batch.json()["uses"]] == ["teaching"]
    assert batch.json()["institution"] == wh.institution.name
    # the enterprise scheduled into it sees the batch too; another member does not
    assert (
        client.get(f"/api/nominations/batches/{scheduled.batch_id}", **tokens["hr1"]).status_code
        == 200
    )
    assert (
        client.get(f"/api/nominations/batches/{scheduled.batch_id}", **tokens["hr2"]).status_code
        == 404
    )


def test_memberships_and_calls_as_each_partner_sees_them(wh, world, tokens, client):
    members = client.get("/api/nominations/memberships", **tokens["association"]).json()
    assert {row["enterprise_id"] for row in members["items"]} == {
        world["wh_ent1"].pk,
        world["wh_ent2"].pk,
    }
    own = client.get("/api/nominations/memberships", **tokens["hr1"]).json()
    assert [row["enterprise_id"] for row in own["items"]] == [world["wh_ent1"].pk]
    call = client.get(f"/api/nominations/calls/{wh.call.pk}", **tokens["hr1"]).json()
    assert call["deadline"] == "2020-07-20" and call["general_occupations"] == [
        "安全评价师",
        "劳动关系协调员",
    ]
    assert call["permissions"] == {"apply": True, "schedule": False, "add_batch": False}
    mine = client.get(f"/api/nominations/calls/{wh.call.pk}", **tokens["association"]).json()
    assert mine["permissions"]["schedule"] is True
    assert client.get("/api/nominations/calls?year=2020", **tokens["hr2"]).json()["count"] == 1
    # another county's bureau: none of Wuhan's calls
    assert client.get("/api/nominations/calls", **tokens["gongan"]).json()["count"] == 0
    assert not Application.objects.exists()
