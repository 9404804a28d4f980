"""The pages of the Wuhan enrolment path, per role: the association's call with its queue and
counts (no persons), the enterprise's employees with their states, the bureau's totals, the
agreements PDF, the institution's statement of use (WH20-USE-1), the learner's own page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from upskill.nominations import services

from .factories import employee


def _nomination(wh, application, make_person, name="王芳"):
    return services.nomination_put_forward(
        actor=wh.users["hr1"],
        application=application,
        contract=employee(make_person, wh.users["hr1"], 24, name=name),
        general_occupation=wh.occupations[("安全评价师", 3)],
        specialised_occupation=wh.occupations[("钳工", 3)],
    )


def test_each_role_sees_its_part(wh, scheduled, make_person, client):
    nomination = _nomination(wh, scheduled, make_person)
    client.force_login(wh.users["association"])
    call_page = client.get(f"/nominations/calls/{wh.call.pk}/").content.decode()
    assert "武汉江城精密机械有限公司" in call_page and "WH20-ENR-1" in call_page
    assert "王芳" not in call_page  # counts, never persons
    assert client.get(f"/nominations/employees/{nomination.pk}/").status_code == 404

    client.force_login(wh.users["hr1"])
    index = client.get("/nominations/").content.decode()
    assert "王芳" in index
    detail = client.get(f"/nominations/employees/{nomination.pk}/").content.decode()
    assert "WH20-FEE-1" in detail and "3000" in detail and "320" in detail
    pdf = client.get(f"/nominations/employees/{nomination.pk}/agreements.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    client.force_login(wh.users["bureau"])
    totals = client.get("/nominations/").content.decode()
    assert 'data-testid="totals"' in totals


def test_WH20_USE_1_the_statement_page_offers_only_the_four_categories(wh, scheduled, client):
    client.force_login(wh.users["institution"])
    url = f"/nominations/batches/{scheduled.batch_id}/"
    page = client.get(url).content.decode()
    assert 'value="teaching"' in page and 'value="food"' not in page
    refused = client.post(url, {"category": "food", "amount": "100"})
    assert refused.status_code == 200 and not scheduled.batch.uses.exists()
    client.post(url, {"category": "assessment", "amount": "2560"})
    assert scheduled.batch.uses.get().amount == Decimal("2560")


def test_the_learner_registers_online_and_confirms_the_agreements(
    wh, scheduled, make_person, make_learner, client
):
    nomination = _nomination(wh, scheduled, make_person)
    learner = make_learner(nomination.person)
    client.force_login(learner)
    url = f"/nominations/me/{nomination.pk}/"
    assert 'data-testid="register-online"' in client.get(url).content.decode()
    client.post(f"{url}register/")
    client.post(f"{url}confirm/")
    nomination.refresh_from_db()
    assert (nomination.status, nomination.channel, nomination.agreements_confirmed_how) == (
        "enrolled",
        "online",
        "portal",
    )
    assert client.get(f"{url}agreements.pdf").content.startswith(b"%PDF")
    other = _nomination(wh, scheduled, make_person, name="李娜")
    assert client.get(f"/nominations/me/{other.pk}/").status_code == 404
    assert nomination.registered_at.date() >= date(2020, 1, 1)


def test_the_learner_page_sends_staff_to_the_staff_page_and_strangers_to_the_learner_log_in(
    wh, scheduled, make_person, client
):
    """One gate for the learner's pages (core.scoping.learner_only): staff who may see the
    nomination land on its staff page, staff who may not get 404, nobody logged in the learner's
    log-in."""
    nomination = _nomination(wh, scheduled, make_person)
    url = f"/nominations/me/{nomination.pk}/"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/me/login/")
    client.force_login(wh.users["hr1"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/nominations/employees/{nomination.pk}/"
    client.force_login(wh.users["association"])
    assert client.get(url).status_code == 404
