"""Subsidy journey: an institution's claim assembled from a compliant class (one trainee refused
by the 3-a-year cap, HB45-CAP-1), a reviewer approving part of it, the public notice (HB45-PUB-1),
a payment batch exported to the bank, results imported with one failure which is retried, the
ledger verified and then tampered with, and the public disclosure page."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from upskill.core.scoping import SYSTEM
from upskill.subsidies import services
from upskill.subsidies.models import Claim, LedgerEntry, PaymentItem
from upskill.subsidies.tests import factories

from .conftest import log_in


def _setup(world, make_person):
    """Through the services: the county's training subsidy standard, a fund, a trainee who has
    had three subsidised trainings in 2023 (enrolled in a fourth while the county's cap had been
    raised by mistake, withdrawn since), and inst1's finished, compliant cook class."""
    from upskill.policy_admin.services import parameter_version_add, parameter_version_withdraw
    from upskill.registry.services import bank_account_set

    factories.training_standard()
    fund = factories.fund(world)
    mistake = parameter_version_add(
        actor=SYSTEM,
        parameter="caps.trainings_per_year",
        region_code="421022",
        valid_from=date(2023, 1, 1),
        valid_until=date(2023, 12, 31),
        value=4,
        document="公人社发〔2023〕5号",
        rule="HB45-CAP-1",
    )
    # on the bureau's poverty-alleviated roster, for the domestic-service class (GA23-OBJ-2)
    [zhao] = factories.poverty_persons(make_person, ["赵六"])
    for entry, start in (
        ("pastry", date(2023, 2, 6)),
        ("shop", date(2023, 3, 6)),
        ("domestic", date(2023, 4, 3)),
    ):
        earlier = factories.finished_class(
            world, [zhao], entry=entry, start=start, organisation="inst2", days=1
        )
        services.claim_assemble(actor=SYSTEM, training_class=earlier)
    zhang, li = make_person(name="张伟"), make_person(name="李娜")
    training_class = factories.finished_class(world, [zhang, li, zhao], start=date(2023, 5, 8))
    parameter_version_withdraw(actor=SYSTEM, version=mistake, reason="录入错误")
    bank_account_set(
        actor=SYSTEM,
        person=zhang,
        kind="card",
        account_name="张伟",
        account_number="6228480402564890018",
        bank_name="中国农业银行公安支行",
        branch_code="103537000123",
    )
    return fund, training_class, zhang, li, zhao


def _row(page, person) -> str:
    return page.locator(f"#claim-lines tr:has-text('{person.name}')").inner_text()


@pytest.mark.django_db(transaction=True)
def test_claim_review_payment_ledger_and_disclosure(page, make_user, make_person, world, tmp_path):
    fund, training_class, zhang, li, zhao = _setup(world, make_person)
    make_user("inst1", "clerk", username="inst_clerk")
    make_user("gongan", "reviewer", username="ga_rev")
    make_user("gongan", "payment_clerk", username="ga_pay")
    make_user("gongan", "auditor", username="ga_aud")

    # 1. the institution's clerk has the system assemble the claim, uploads documents, submits
    log_in(page, "inst_clerk")
    page.goto("/subsidies/claims/")
    page.click(f"[data-testid=assemble-{training_class.pk}]")
    page.wait_for_url("**/subsidies/claims/*/")
    claim = Claim.objects.get(training_class=training_class)
    zhang_row = _row(page, zhang)
    assert "1296.00" in zhang_row and "GA23-LIV-1" in zhang_row and "GA23-TRN-1" in zhang_row
    zhao_row = _row(page, zhao)
    assert "HB45-CAP-1" in zhao_row and "0.00" in zhao_row
    assert page.inner_text("#claim-total") == "2592.00"
    # the certificates were issued by the system at the exam: verifiable, no copy asked for
    assert page.locator("#documents input[data-doc=certificates]").count() == 0
    for key in ("application", "roster"):
        pdf = tmp_path / f"{key}.pdf"
        pdf.write_bytes(b"%PDF-1.4 scanned")
        page.set_input_files(f"input[data-doc={key}]", str(pdf))
        page.click(f"form:has(input[data-doc={key}]) button")
        page.wait_for_load_state()
    page.click("#submit-claim")
    page.wait_for_load_state()
    claim.refresh_from_db()
    assert claim.status == "submitted"
    page.click("text=退出")

    # 2. the bureau's reviewer approves 张伟 and refuses 李娜: a partial approval
    log_in(page, "ga_rev")
    page.goto(f"/subsidies/claims/{claim.pk}/")
    page.click("#take-claim")
    page.wait_for_load_state()
    page.click(f"tr:has-text('{zhang.name}') button[value=approve]")
    page.wait_for_load_state()
    page.fill(f"tr:has-text('{li.name}') input[name=reason]", "考勤签名与本人不符")
    page.click(f"tr:has-text('{li.name}') button[value=refuse]")
    page.wait_for_load_state()
    page.select_option("select[name=fund]", str(fund.pk))
    page.click("#approve-claim")
    page.wait_for_load_state()
    claim.refresh_from_db()
    assert claim.status == "notice" and page.inner_text("#claim-approved") == "1296.00"
    page.click("text=退出")

    # 3. the public notice runs its working days; after it (the service's `today`), payable
    assert services.release_due(today=claim.notice_until) == 0
    assert services.release_due(today=claim.notice_until + timedelta(days=1)) == 1

    # 4. the payment clerk gathers the living allowances into a batch and exports the bank file
    log_in(page, "ga_pay")
    page.goto("/subsidies/batches/")
    page.select_option("select[name=fund]", str(fund.pk))
    page.select_option("select[name=payee]", "trainee")
    page.click("#make-batch")
    page.wait_for_url("**/subsidies/batches/*/")
    assert "6228480402564890018" not in page.inner_text("#bank-rows")  # masked on screen
    assert "0018" in page.inner_text("#bank-rows")
    with page.expect_download() as download:
        page.click("#export-csv")
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert rows[1][1:6] == [
        "张伟",
        "6228480402564890018",
        "中国农业银行公安支行",
        "103537000123",
        "96.00",
    ]
    reference = rows[1][0]

    # 5. the bank answers: failed; retried; paid
    answer = tmp_path / "answer.csv"
    answer.write_text(f"参考号,结果,原因\n{reference},失败,户名不符\n", encoding="utf-8")
    page.set_input_files("input[name=file]", str(answer))
    page.click("#import-results")
    page.wait_for_load_state()
    assert "户名不符" in page.inner_text("#payments")
    page.click("#payments button.retry")
    page.wait_for_load_state()
    with page.expect_download():
        page.click("#export-xlsx")
    answer.write_text(f"参考号,结果\n{reference},成功\n", encoding="utf-8")
    page.set_input_files("input[name=file]", str(answer))
    page.click("#import-results")
    page.wait_for_load_state()
    payment = PaymentItem.objects.get(batch__payee="trainee")
    assert payment.status == "paid" and payment.attempts == 2
    page.click("text=退出")

    # 6. the ledger verifies, on the auditor's page and on the command line
    log_in(page, "ga_aud")
    page.goto("/subsidies/ledger/")
    assert "✔" in page.inner_text("#ledger-verification")
    out = io.StringIO()
    call_command("ledger", "verify", stdout=out)
    assert "OK" in out.getvalue()

    # 7. the public page shows the fund use, without personal data
    page.goto("/subsidies/disclosure/")
    total = page.inner_text("#disclosure-total")
    assert "96.00" in total
    assert zhang.name not in page.content()

    # 8. someone changes an entry behind the product: the chain no longer verifies
    entry = LedgerEntry.objects.get(kind="payment")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE subsidies_ledgerentry SET amount = 960 WHERE id = %s", [entry.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")
    with pytest.raises(SystemExit) as exit_info:
        call_command("ledger", "verify", stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_info.value.code == 1
    page.goto("/subsidies/ledger/")
    assert "✘" in page.inner_text("#ledger-verification")


@pytest.mark.django_db(transaction=True)
def test_township_claims_its_management_fees(page, make_user, make_person, world, tmp_path):
    """GA23-FEE-1: once an organiser's claim for a poverty-alleviation class is approved and
    past its notice, the township centre's clerk assembles its fee claim on *Subsidy claims*,
    uploads the application form and submits it; the fees page follows it."""
    organiser_claim = factories.payable_poverty_claim(world, make_person, names=("刘强", "陈静"))
    make_user("township:421022101", "clerk", username="douhudi_clerk")

    log_in(page, "douhudi_clerk")
    page.goto("/subsidies/claims/")
    assert "520.00" in page.inner_text("#township-claimable")  # two trainees × 260
    page.click("[data-testid=assemble-township-2023]")
    page.wait_for_url("**/subsidies/claims/*/")
    claim = Claim.objects.get(kind="township")
    for name in ("刘强", "陈静"):
        row = page.locator(f"#claim-lines tr:has-text('{name}')").inner_text()
        assert "260.00" in row and "GA23-FEE-1" in row and f"#{organiser_claim.pk}" in row
    assert page.inner_text("#claim-total") == "520.00"
    form = tmp_path / "application.pdf"
    form.write_bytes(b"%PDF-1.4 scanned")
    page.set_input_files("input[data-doc=application]", str(form))
    page.click("form:has(input[data-doc=application]) button")
    page.wait_for_load_state()
    page.click("#submit-claim")
    page.wait_for_load_state()
    claim.refresh_from_db()
    assert claim.status == "submitted"
    page.goto("/subsidies/township-fees/")
    assert page.locator(f"#township-fees a[href='/subsidies/claims/{claim.pk}/']").count() == 2
