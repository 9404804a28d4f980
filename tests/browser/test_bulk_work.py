"""Bulk work in the browser (issue 15.4, 15.5): a 13-lesson curriculum entered in under 20
actions (a click, a filled field or a paste is one action each), a claim of 12 lines approved
with one action, and a payment batch with one missing account exported after that payment is
held out of it. Data is made through the services; screenshots go to
``UPSKILL_SCREENSHOT_DIR`` when it is set."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from upskill.core.scoping import SYSTEM
from upskill.subsidies.models import ClaimStatus, Decision, PaymentStatus
from upskill.subsidies.services import claim_assemble, claim_submit, claim_take
from upskill.subsidies.tests import factories as subsidy_factories
from upskill.training.tests import factories

from .conftest import log_in

pytestmark = pytest.mark.browser

# Screenshots of the pages go to this directory when it is set (to look at them).
SHOTS = os.environ.get("UPSKILL_SCREENSHOT_DIR", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


class Actions:
    """Counts what the user does: each click, filled field or paste is one action."""

    def __init__(self, page) -> None:
        self.page, self.count = page, 0

    def click(self, selector: str) -> None:
        self.count += 1
        self.page.click(selector)

    def fill(self, selector: str, value: str) -> None:
        self.count += 1
        self.page.fill(selector, value)


def test_a_13_lesson_curriculum_in_under_20_actions(page, world, make_user):
    factories.catalog_entries()
    training_class = factories.make_class(world, lessons=())  # 2023-05-08 (Mon) to 05-19
    make_user("inst1", "clerk", username="bulk_clerk")
    log_in(page, "bulk_clerk")
    page.goto(f"/training/classes/{training_class.pk}/")
    act = Actions(page)
    # the weekly pattern: Monday to Friday (ticked already), the class's dates (filled already)
    act.fill("[data-testid=pattern] input[name=start_time]", "08:30")
    act.fill("[data-testid=pattern] input[name=end_time]", "11:45")
    act.fill("[data-testid=pattern] input[name=content]", "理论第{n}讲")
    act.click("[data-testid=generate]")
    page.locator("[data-testid=lesson-row]").nth(9).wait_for()  # no eval under the CSP
    # three afternoons of practice pasted from Excel
    act.click("[data-testid=paste] summary")
    act.fill(
        "[data-testid=paste] textarea[name=text]",
        "2023-05-08\t13:30\t17:15\t5\t实操\t刀工实训\n"
        "2023-05-10\t13:30\t17:15\t5\t实操\t热菜实训\n"
        "2023-05-12\t13:30\t17:15\t5\t实操\t冷拼实训\n",
    )
    act.click("[data-testid=paste-add]")
    page.locator("[data-testid=lesson-row]").nth(12).wait_for()
    _shot(page, "curriculum")
    assert training_class.lessons.count() == 13
    assert act.count < 20, act.count


def test_a_claim_of_12_lines_is_approved_with_one_action(page, world, make_person, make_user):
    subsidy_factories.training_standard()
    training_class = subsidy_factories.finished_class(
        world, [make_person() for _ in range(12)], days=1
    )
    claim = claim_assemble(actor=SYSTEM, training_class=training_class)
    subsidy_factories.documents(claim)
    claim_submit(actor=SYSTEM, claim=claim)
    claim_take(actor=SYSTEM, claim=claim)
    subsidy_factories.fund(world)
    payable = claim.lines.filter(status="accepted", total__gt=Decimal(0))
    assert payable.count() == 12
    make_user("gongan", "reviewer", username="bulk_reviewer")
    log_in(page, "bulk_reviewer")
    page.goto(f"/subsidies/claims/{claim.pk}/")
    _shot(page, "claim-review")
    act = Actions(page)
    act.click("#approve-all")  # the only fund that may pay is chosen already
    page.wait_for_load_state()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.NOTICE
    assert all(line.decision == Decision.APPROVED for line in payable)
    assert act.count == 1


def _two_payee_batch(world, make_person):
    """An organiser batch paying inst1 and inst2 from one fund; only inst1 has an account."""
    from datetime import date

    from upskill.subsidies.services import (
        batch_create,
        claim_approve,
        claim_line_decide,
        payee_account_set,
    )

    if not subsidy_factories._has_standard():
        subsidy_factories.training_standard()
    fund = subsidy_factories.fund(world)
    for organisation in ("inst1", "inst2"):
        training_class = subsidy_factories.finished_class(
            world, [make_person()], organisation=organisation, days=1
        )
        claim = claim_assemble(actor=SYSTEM, training_class=training_class)
        subsidy_factories.documents(claim)
        claim_submit(actor=SYSTEM, claim=claim)
        claim_take(actor=SYSTEM, claim=claim)
        for line in claim.lines.filter(decision="pending"):
            claim_line_decide(actor=SYSTEM, line=line, approve=True)
        claim_approve(actor=SYSTEM, claim=claim, fund=fund, today=date(2023, 6, 1))
    payee_account_set(
        actor=SYSTEM,
        organisation=world["inst1"],
        account_name="公安县职业技术培训学校",
        account_number="42050110010000000123",
        bank_name="中国建设银行公安支行",
    )
    return batch_create(actor=SYSTEM, fund=fund, payee="organiser", today=date(2023, 6, 20))


def test_a_batch_with_a_missing_account_exports_after_holding_that_line(
    page, world, make_person, make_user
):
    batch = _two_payee_batch(world, make_person)
    missing = batch.items.get(item__payee_organisation=world["inst2"])
    make_user("gongan", "payment_clerk", username="bulk_payer")
    log_in(page, "bulk_payer")
    page.goto(f"/subsidies/batches/{batch.pk}/")
    assert page.locator("[data-testid=no-account]").count() == 1
    act = Actions(page)
    act.fill(f"[data-testid=hold-reason-{missing.pk}]", "培训机构未登记收款账户")
    act.click(f"[data-testid=hold-{missing.pk}]")
    page.wait_for_selector("[data-testid=hold-reason]")
    _shot(page, "batch-held")
    act.click("#export-xlsx")  # the bank file is a background job; its page links the file
    page.wait_for_selector("[data-testid=job-done]")
    with page.expect_download():
        act.click("#job-progress a[role=button]")
    batch.refresh_from_db()
    missing.refresh_from_db()
    assert batch.status == "exported" and missing.status == PaymentStatus.HELD
    assert act.count == 4  # reason, hold, export, download
