"""Advance journey (HB45-ADV-1): 江城精密's HR clerk applies for the advance of its running
Wuhan 2020 post-skill class, the city bureau's reviewer approves it to a fund that may pay it
(HB45-FND-1), the payment clerk pays it through an organiser batch and the bank's file, and the
final claim deducts it: the enterprise is then paid only the rest."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region
from upskill.subsidies import services
from upskill.subsidies.models import Claim, LedgerEntry, PaymentItem
from upskill.subsidies.tests import advance_factories as af

from .conftest import log_in


@pytest.mark.django_db(transaction=True)
def test_an_advance_is_paid_through_a_bank_file_and_deducted_from_the_final_claim(
    page, make_user, make_person, world, tmp_path
):
    district = Region.objects.get(code="420112")
    people = [
        make_person(township_code="", county=district, name=name)
        for name in ("王芳", "李娜", "张伟")
    ]
    training_class = af.running_class(world, people)
    fund = af.wuhan_fund()
    af.organiser_account(world)
    make_user("wh_ent1", "hr_clerk", username="jc_hr")
    make_user("wuhan", "reviewer", username="wh_rev")
    make_user("wuhan", "payment_clerk", username="wh_pay")

    # 1. the organiser applies: the engine prices 3 × 300 as if all pass, half of it advanced
    log_in(page, "jc_hr")
    page.goto("/subsidies/advances/")
    assert "450.00" in page.inner_text("#advance-quotes")
    page.click(f"[data-testid=apply-advance-{training_class.pk}]")
    page.wait_for_url("**/subsidies/advances/*/")
    assert page.inner_text("#advance-amount") == "450.00"
    assert "HB45-ADV-1" in page.content()
    page.click("text=退出")

    # 2. the bureau's reviewer approves it, seeing each fund's budget left
    log_in(page, "wh_rev")
    advance = training_class.advances.get()
    page.goto(f"/subsidies/advances/{advance.pk}/")
    assert "100,000.00" in page.inner_text("#fund-choices")
    page.select_option("select[name=fund]", str(fund.pk))
    page.click("#approve-advance")
    page.wait_for_load_state()
    advance.refresh_from_db()
    assert advance.status == "approved"
    page.click("text=退出")

    # 3. the payment clerk pays it through an organiser batch and the bank's file
    log_in(page, "wh_pay")
    page.goto("/subsidies/batches/")
    page.select_option("select[name=fund]", str(fund.pk))
    page.select_option("select[name=payee]", "organiser")
    page.click("#make-batch")
    page.wait_for_url("**/subsidies/batches/*/")
    assert "HB45-ADV-1" in page.inner_text("#payments")
    batch_url = page.url
    page.click("#export-csv")  # a background job with progress; its page links the file
    page.wait_for_selector("[data-testid=job-done]")
    with page.expect_download() as download:
        page.click("#job-progress a[role=button]")
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    page.goto(batch_url)
    assert rows[1][1:6] == [
        "武汉江城精密机械有限公司",
        "42001860000052500123",
        "中国工商银行武汉东西湖支行",
        "102521000456",
        "450.00",
    ]
    answer = tmp_path / "answer.csv"
    answer.write_text(f"参考号,结果\n{rows[1][0]},成功\n", encoding="utf-8")
    page.set_input_files("input[name=file]", str(answer))
    page.click("#import-results")
    page.wait_for_load_state()
    assert PaymentItem.objects.get(advance=advance).status == "paid"
    assert LedgerEntry.objects.get(kind="advance").amount == Decimal("450.00")
    page.click("text=退出")

    # 4. the class ends (one trainee fails); the final claim is 600 and deducts the 450
    af.finish(training_class, failed=(2,))
    claim = af.final_claim_under_review(training_class)
    log_in(page, "wh_rev")
    page.goto(f"/subsidies/claims/{claim.pk}/")
    assert "450.00" in page.inner_text("#claim-advance")
    page.select_option("select[name=fund]", str(fund.pk))
    page.click("#approve-claim")
    page.wait_for_load_state()
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.status == "notice" and page.inner_text("#claim-approved") == "600.00"
    assert "450.00" in page.inner_text("#claim-advance")
    page.click("text=退出")

    # 5. after the notice the enterprise is paid the rest: 150
    services.claim_release_due(actor=SYSTEM, today=claim.notice_until + timedelta(days=1))
    log_in(page, "wh_pay")
    page.goto("/subsidies/batches/")
    page.select_option("select[name=fund]", str(fund.pk))
    page.select_option("select[name=payee]", "enterprise")
    page.click("#make-batch")
    page.wait_for_url("**/subsidies/batches/*/")
    assert "150.00" in page.inner_text("#payments")
    assert "300.00" not in page.inner_text("#payments")
