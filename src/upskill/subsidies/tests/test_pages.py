"""Pages, API, the public notice and disclosure, and the batch settlement (command and job)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from upskill.core.models import Job
from upskill.core.scoping import SYSTEM
from upskill.subsidies import calendar, selectors, services

from . import factories


def _paid_organiser_batch(world, make_person):
    batch = factories.organiser_batch(world, make_person)
    content, _name = services.batch_export(actor=SYSTEM, batch=batch, fmt="csv")
    reference = content.decode("utf-8-sig").splitlines()[1].split(",")[0]
    answer = io.BytesIO(f"Reference,Status\n{reference},paid\n".encode())
    answer.name = "r.csv"
    services.batch_results_import(actor=SYSTEM, batch=batch, upload=answer)
    return batch


def test_settlement_runs_the_batch_path_with_a_progress_bar(world, make_person, capsys):
    factories.training_standard()
    factories.finished_class(world, [make_person(), make_person(hukou="non_agricultural")])
    result = selectors.settle(actor=SYSTEM, region="421022", year=2023)
    assert result["classes"] == 1 and result["records"] == 2 and result["accepted"] == 2
    lines = {(line["payee"], line["rule"]): line for line in result["lines"]}
    assert lines[("organiser", "GA23-TRN-1")]["amount"] == "2400.00"
    assert lines[("trainee", "GA23-LIV-1")] == {
        "program": "employment",
        "payee": "trainee",
        "rule": "GA23-LIV-1",
        "count": 1,
        "amount": "96.00",
    }
    assert result["total"] == "2496.00"
    call_command("settle", "--region", "421022", "--year", "2023")
    captured = capsys.readouterr()
    assert "2496.00" in captured.out and "GA23-LIV-1" in captured.out
    assert "[##############################] 2/2" in captured.err


def test_settlement_reads_a_fixed_number_of_queries_whatever_the_classes(world, make_person):
    """Issue 19.4: the settlement reads classes in chunks, never a query per class or trainee."""
    factories.training_standard()
    factories.finished_class(world, [make_person(), make_person()])
    with CaptureQueriesContext(connection) as one:
        assert selectors.settle(actor=SYSTEM, region="421022", year=2023)["classes"] == 1
    for _ in range(3):
        factories.finished_class(world, [make_person(), make_person(), make_person()])
    with CaptureQueriesContext(connection) as four:
        result = selectors.settle(actor=SYSTEM, region="421022", year=2023)
    assert result["classes"] == 4 and result["records"] == 11
    assert len(four) == len(one), [q["sql"][:120] for q in four.captured_queries]


def test_settlement_as_a_background_job(world, make_person, make_user, client):
    factories.training_standard()
    factories.finished_class(world, [make_person()])
    client.force_login(make_user("gongan", "admin"))
    response = client.post("/subsidies/settle/", {"region": "421022", "year": 2023})
    job = Job.objects.get(kind="subsidies.settle")
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.status == "done" and job.result["total"] == "1296.00"
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    refused = client.post("/subsidies/settle/", {"region": "420100", "year": 2023})
    assert refused.status_code == 200 and Job.objects.count() == 1


def test_a_bureau_cannot_settle_a_class_outside_its_jurisdiction(world, make_person, make_user):
    factories.training_standard()
    factories.finished_class(world, [make_person()])  # held in Gong'an (421022)
    wuhan = make_user("wuhan", "admin")
    with pytest.raises(ValidationError) as refused:
        services.settlement_start(actor=wuhan, region="421022", year=2023)
    assert "region" in refused.value.message_dict
    assert not Job.objects.exists()
    # the job's read goes through the scope too: naming the region does not reach the class
    assert selectors.settle(actor=wuhan, region="421022", year=2023)["classes"] == 0
    gongan = make_user("gongan", "admin")
    assert selectors.settle(actor=gongan, region="421022", year=2023)["classes"] == 1


def test_public_notice_masks_ids_and_takes_objections(world, make_person, client):
    claim = factories.noticed_claim(world, make_person)
    line = claim.lines.get()
    # the notice is public while it runs
    today = timezone.localdate()
    type(claim).objects.filter(pk=claim.pk).update(notice_from=today, notice_until=today)
    page = client.get(f"/subsidies/notices/{claim.pk}/")
    text = page.content.decode()
    assert line.person.name in text and line.person.id_number_masked in text
    assert line.person.id_number not in text
    response = client.post(
        f"/subsidies/notices/{claim.pk}/", {"lodged_by": "群众", "text": "该学员未参训"}
    )
    assert response.status_code == 302
    assert claim.objections.get().text == "该学员未参训"


def test_disclosure_shows_aggregates_only_with_a_chart_and_excel(world, make_person, client):
    batch = _paid_organiser_batch(world, make_person)
    year = batch.entries.first().at.year
    data = selectors.disclosure(year=year)
    assert data["institution"][0].key == "公安县职业技术培训学校"
    assert data["institution"][0].amount == Decimal("1200.00")
    assert data["institution"][0].people == 1
    assert [(a.key, a.amount) for a in data["program"]] == [
        ("Employment skills training", Decimal("1200.00"))
    ]
    assert [a.key for a in data["township"]] == ["斗湖堤镇"]
    page = client.get(f"/subsidies/disclosure/?year={year}")
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and "1,200.00" in text
    person = batch.items.get().item.line.person
    assert person.name not in text and person.id_number_masked not in text
    workbook = load_workbook(
        io.BytesIO(client.get(f"/subsidies/disclosure.xlsx?year={year}").content)
    )
    values = [[c.value for c in row] for row in workbook.active.iter_rows()]
    assert any(row[1] == "公安县职业技术培训学校" and row[2] == 1200 for row in values[1:])
    api = client.get(f"/api/disclosure/{year}")
    assert api.status_code == 200 and api.json()["total"]["amount"] in (1200, "1200.00", 1200.0)


def test_claim_pages_and_api_for_the_claimant_and_the_reviewer(
    world, make_person, make_user, client
):
    claim = factories.submitted_claim(world, make_person)
    clerk = make_user("inst1", "clerk")
    client.force_login(clerk)
    page = client.get(f"/subsidies/claims/{claim.pk}/")
    assert page.status_code == 200 and "GA23-TRN-1" in page.content.decode()
    lines = client.get(f"/api/claims/{claim.pk}/lines").json()
    assert lines[0]["total"] in ("1224.00", 1224, 1224.0)  # one day: 24 + 1,200
    # the API says what the caller may do, as the page does (selectors.claim_permissions)
    own = client.get(f"/api/claims/{claim.pk}").json()["permissions"]
    assert own["is_claimant"] and not own["review"] and not own["submit"]  # already submitted
    client.force_login(make_user("gongan", "reviewer"))
    theirs = client.get(f"/api/claims/{claim.pk}").json()["permissions"]
    assert theirs["review"] and theirs["take"] and not theirs["decide"]
    assert client.post(f"/subsidies/claims/{claim.pk}/take/").status_code == 302
    claim.refresh_from_db()
    assert claim.status == "under_review"
    line = claim.lines.get()
    client.post(f"/subsidies/lines/{line.pk}/decide/", {"decision": "refuse", "reason": "冒名"})
    line.refresh_from_db()
    assert line.decision == "refused" and line.decision_reason == "冒名"


def test_ledger_page_and_api_for_the_auditor(world, make_person, make_user, client):
    _paid_organiser_batch(world, make_person)
    client.force_login(make_user("gongan", "auditor"))
    page = client.get("/subsidies/ledger/")
    assert page.status_code == 200 and "✔" in page.content.decode()
    entries = client.get("/api/ledger-entries").json()["items"]
    assert {e["kind"] for e in entries} == {"charge", "payment"}
    assert client.get("/subsidies/batches/").status_code == 200  # auditors read batches
    batches = client.get("/api/payment-batches").json()["items"]
    assert batches[0]["payments"][0]["status"] == "paid"
    assert client.get(f"/api/payment-batches/{batches[0]['id']}").status_code == 200


def test_funds_and_calendar_pages_for_the_administrator(world, make_user, client):
    client.force_login(make_user("gongan", "admin"))
    response = client.post(
        "/subsidies/funds/", {"source": "unemployment_insurance", "year": 2023, "budget": "5000.00"}
    )
    assert response.status_code == 302
    page = client.get("/subsidies/funds/").content.decode()
    assert "5000.00" in page
    client.post("/subsidies/calendar/", {"day": "2023-06-01", "kind": "holiday", "name": "县庆"})
    assert "县庆" in client.get("/subsidies/calendar/?year=2023").content.decode()
    assert date(2023, 6, 1) not in [d for d in (date(2023, 6, 1),) if calendar.is_working_day(d)]


def test_township_clerk_claims_its_fees_from_the_claims_page(world, make_person, make_user, client):
    """GA23-FEE-1 on the pages: the organiser's claim shows the fee as the township's; the
    township's clerk sees the year's fees ready to claim, assembles the claim and follows it
    on the fees page; the API says which organiser item a township item claims."""
    organiser_claim = factories.payable_poverty_claim(world, make_person)
    client.force_login(make_user("inst1", "clerk"))
    text = client.get(f"/subsidies/claims/{organiser_claim.pk}/").content.decode()
    assert 'class="township-fee"' in text
    fee = organiser_claim.lines.get().items.get(rule="GA23-FEE-1")
    client.force_login(make_user("township:421022101", "clerk"))
    page = client.get("/subsidies/claims/")
    text = page.content.decode()
    assert "assemble-township-2023" in text and "260.00" in text
    response = client.post("/subsidies/claims/assemble/township/", {"year": "2023"})
    assert response.status_code == 302
    claim_url = response["Location"]
    detail = client.get(claim_url).content.decode()
    assert "GA23-FEE-1" in detail and f"#{organiser_claim.pk}" in detail
    assert 'class="township-fee"' not in detail
    claim_pk = int(claim_url.rstrip("/").rsplit("/", 1)[1])
    fees_page = client.get("/subsidies/township-fees/").content.decode()
    assert f"#{claim_pk}" in fees_page
    (line,) = client.get(f"/api/claims/{claim_pk}/lines").json()
    assert line["items"][0]["source_id"] == fee.pk
    assert line["items"][0]["claimed_by_township"] is False
    # nothing is left to claim: the page says so and offers no button
    assert "assemble-township" not in client.get("/subsidies/claims/").content.decode()
    response = client.post("/subsidies/claims/assemble/township/", {"year": "2023"}, follow=True)
    assert "GA23-FEE-1" in response.content.decode()
