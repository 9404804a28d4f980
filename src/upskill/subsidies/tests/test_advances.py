"""Advance payments of project-based training (HB45-ADV-1) and the fund rules (HB45-FND-1),
through the services: an advance priced by the engine as if every enrolled trainee attends in
full and passes, approved by the bureau's reviewer, paid through a batch and the bank's file,
deducted from the final claim, and a receivable where the final claim is smaller; which fund
may pay which kind of item."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.http import Http404

from upskill.core.import_report import ImportRejected
from upskill.core.queues import queue_for
from upskill.core.scoping import SYSTEM
from upskill.organisations.models import Region
from upskill.subsidies import ledger, services
from upskill.subsidies.models import (
    AdvanceDeduction,
    AdvanceStatus,
    LedgerEntry,
    PaymentItem,
)
from upskill.subsidies.selectors import advances as selectors

from . import advance_factories as af
from . import factories

TODAY = date(2020, 6, 2)  # the class is running


@pytest.fixture
def users(make_user):
    return {
        "hr": make_user("wh_ent1", "hr_clerk"),
        "other_hr": make_user("wh_ent2", "hr_clerk"),
        "reviewer": make_user("wuhan", "reviewer"),
        "payer": make_user("wuhan", "payment_clerk"),
        "admin": make_user("wuhan", "admin"),
    }


@pytest.fixture
def lathe_class(world, make_person):
    """江城精密's running post-skill class of three enrolled employees."""
    district = Region.objects.get(code="420112")
    people = [
        make_person(township_code="", county=district, name=name)
        for name in ("王芳", "李娜", "张伟")
    ]
    return af.running_class(world, people)


def _paid_advance(world, lathe_class, users, fund):
    """The advance applied for, approved, gathered into a batch, exported and paid."""
    advance = services.advance_apply(actor=users["hr"], training_class=lathe_class)
    services.advance_approve(actor=users["reviewer"], advance=advance, fund=fund, today=TODAY)
    af.organiser_account(world)
    batch = services.batch_create(actor=users["payer"], fund=fund, payee="organiser", today=TODAY)
    content, _name = services.batch_export(actor=users["payer"], batch=batch, fmt="csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    answer = ContentFile(f"参考号,结果\n{rows[1][0]},成功\n".encode(), name="answer.csv")
    services.batch_results_import(actor=users["payer"], batch=batch, upload=answer)
    advance.refresh_from_db()
    return advance, batch, rows


def test_the_advance_is_the_share_of_the_subsidy_as_if_every_trainee_attends_and_passes(
    lathe_class, users
):
    """HB45-ADV-1: 3 enrolled × 300 (HB61-PS-2) as if all attend and pass = 900; the share in
    force for Hubei on the class's start date in 2020 is 0.5: 450. Nobody types the amount."""
    quote = selectors.advance_quote(lathe_class)
    assert (quote.trainees, quote.basis, quote.share, quote.amount) == (
        3,
        Decimal("900.00"),
        Decimal("0.5"),
        Decimal("450.00"),
    )
    assert quote.reference == {
        "document": "鄂政办发〔2019〕45号",
        "clause": "四(二)",
        "rule": "HB45-ADV-1",
    }
    advance = services.advance_apply(actor=users["hr"], training_class=lathe_class)
    assert (advance.status, advance.amount, advance.claimant.name) == (
        AdvanceStatus.APPLIED,
        Decimal("450.00"),
        "武汉江城精密机械有限公司",
    )
    assert advance.explanation["items"] == [
        {"rule": "HB61-PS-2", "kind": "post_skill", "count": 3, "amount": "900.00"}
    ]
    # once per class
    with pytest.raises(ValidationError, match="HB45-ADV-1"):
        services.advance_apply(actor=users["hr"], training_class=lathe_class)


def test_only_the_organiser_of_an_approved_class_applies(world, make_person, lathe_class, users):
    with pytest.raises((PermissionDenied, Http404)):
        services.advance_apply(actor=users["other_hr"], training_class=lathe_class)
    with pytest.raises(PermissionDenied):
        services.advance_apply(actor=users["reviewer"], training_class=lathe_class)
    af.finish(lathe_class)
    with pytest.raises(ValidationError, match="before or during the training"):
        services.advance_apply(actor=users["hr"], training_class=lathe_class)


def test_no_advance_where_no_share_is_in_force(world, make_person, make_user):
    """HB45-ADV-1 is in force 2019–2021: a Gong'an 2023 class gets no advance by default."""
    factories.training_standard()
    gongan_class = af.running_class(
        world,
        [make_person()],
        entry=factories.entries()["cook"],
        organisation="inst1",
        township="421022101",
        start=date(2023, 5, 8),
    )
    quote = selectors.advance_quote(gongan_class)
    assert quote.amount == 0 and "HB45-ADV-1" in quote.problem
    with pytest.raises(ValidationError, match="no advance payment is in force"):
        services.advance_apply(actor=make_user("inst1", "clerk"), training_class=gongan_class)


def test_the_reviewer_approves_the_advance_and_charges_it_to_a_fund(lathe_class, users):
    advance = services.advance_apply(actor=users["hr"], training_class=lathe_class)
    fund = af.wuhan_fund(budget="400.00")
    with pytest.raises(PermissionDenied):  # the applicant never reviews
        services.advance_approve(actor=users["hr"], advance=advance, fund=fund, today=TODAY)
    with pytest.raises(ValidationError, match=r"400\.00 left"):
        services.advance_approve(actor=users["reviewer"], advance=advance, fund=fund, today=TODAY)
    fund = af.wuhan_fund(budget="10000.00")
    advance = services.advance_approve(
        actor=users["reviewer"], advance=advance, fund=fund, today=TODAY
    )
    assert advance.status == AdvanceStatus.APPROVED and advance.fund == fund
    assert (advance.charge.kind, advance.charge.amount, advance.charge.rule) == (
        "charge",
        Decimal("450.00"),
        "HB45-ADV-1",
    )
    assert ledger.committed(fund) == Decimal("450.00") and ledger.disbursed(fund) == 0
    with pytest.raises(ValidationError, match="decided already"):
        services.advance_refuse(actor=users["reviewer"], advance=advance, reason="重复")


def test_a_refused_advance_may_be_applied_for_again(lathe_class, users):
    advance = services.advance_apply(actor=users["hr"], training_class=lathe_class)
    with pytest.raises(ValidationError):
        services.advance_refuse(actor=users["reviewer"], advance=advance, reason=" ")
    services.advance_refuse(actor=users["reviewer"], advance=advance, reason="花名册未核实")
    again = services.advance_apply(actor=users["hr"], training_class=lathe_class)
    assert again.pk != advance.pk and again.status == AdvanceStatus.APPLIED


def test_the_advance_is_paid_through_a_bank_file_and_deducted_from_the_final_claim(
    world, lathe_class, users
):
    """HB45-ADV-1 end to end: the organiser batch pays the approved advance (bank file, bank
    answer, one ADVANCE entry; importing the answer again pays nothing twice); the final claim
    (one trainee failed: 2 × 300 = 600) deducts the 450, so the batch pays 150."""
    fund = af.wuhan_fund()
    advance, batch, rows = _paid_advance(world, lathe_class, users, fund)
    assert rows[1][1:6] == [
        "武汉江城精密机械有限公司",
        "42001860000052500123",
        "中国工商银行武汉东西湖支行",
        "102521000456",
        "450.00",
    ]
    assert advance.status == AdvanceStatus.PAID
    payment = PaymentItem.objects.get(advance=advance)
    assert payment.status == "paid" and payment.item is None
    paid = LedgerEntry.objects.filter(kind="advance")
    assert [(e.amount, e.rule, e.account, e.batch_id) for e in paid] == [
        (Decimal("450.00"), "HB45-ADV-1", "disbursed", batch.pk)
    ]
    # idempotent: the bank's answer again is refused, the advance is in no further batch
    again = ContentFile(f"参考号,结果\n{rows[1][0]},成功\n".encode(), name="again.csv")
    with pytest.raises(ImportRejected):
        services.batch_results_import(actor=users["payer"], batch=batch, upload=again)
    with pytest.raises(ValidationError, match="Nothing is due"):
        services.batch_create(actor=users["payer"], fund=fund, payee="organiser", today=TODAY)
    assert LedgerEntry.objects.filter(kind="advance").count() == 1

    af.finish(lathe_class, failed=(2,))
    claim = af.final_claim_under_review(lathe_class, reviewer=users["reviewer"])
    assert claim.approved_total == Decimal("600.00")
    claim = services.claim_approve(
        actor=users["reviewer"], claim=claim, fund=fund, today=date(2020, 6, 10)
    )
    deductions = list(AdvanceDeduction.objects.order_by("pk").values_list("amount", flat=True))
    assert deductions == [Decimal("300.00"), Decimal("150.00")]
    advance.refresh_from_db()
    assert advance.status == AdvanceStatus.SETTLED and advance.settled_by_claim == claim
    assert advance.receivable == 0 and advance.deducted == Decimal("450.00")
    # the fund is charged 450 (the advance) + 150 (the rest of the claim): 600 in all
    assert ledger.committed(fund) == Decimal("600.00")
    batch = services.batch_create(
        actor=users["payer"],
        fund=fund,
        payee="enterprise",
        today=claim.notice_until + timedelta(days=1),
    )
    assert batch.total == Decimal("150.00")
    assert [p.amount for p in batch.items.all()] == [Decimal("150.00")]
    assert not LedgerEntry.objects.filter(kind="receivable").exists()
    assert ledger.verify().ok


def test_an_advance_larger_than_the_final_claim_becomes_a_receivable(world, lathe_class, users):
    """HB45-ADV-1: two of three fail; the final claim is 300, the advance 450: 300 deducted,
    150 recorded as a receivable of the organiser, nothing more paid."""
    fund = af.wuhan_fund()
    advance, _batch, _rows = _paid_advance(world, lathe_class, users, fund)
    af.finish(lathe_class, failed=(1, 2))
    claim = af.final_claim_under_review(lathe_class, reviewer=users["reviewer"])
    claim = services.claim_approve(
        actor=users["reviewer"], claim=claim, fund=fund, today=date(2020, 6, 10)
    )
    advance.refresh_from_db()
    assert (advance.deducted, advance.receivable) == (Decimal("300.00"), Decimal("150.00"))
    receivable = LedgerEntry.objects.get(kind="receivable")
    assert (receivable.amount, receivable.account, receivable.rule, receivable.organisation) == (
        Decimal("150.00"),
        "receivable",
        "HB45-ADV-1",
        world["wh_ent1"],
    )
    with pytest.raises(ValidationError, match="Nothing is due"):
        services.batch_create(
            actor=users["payer"],
            fund=fund,
            payee="enterprise",
            today=claim.notice_until + timedelta(days=1),
        )
    assert ledger.verify().ok


def test_a_refused_final_claim_leaves_the_whole_advance_to_recover(world, lathe_class, users):
    fund = af.wuhan_fund()
    advance, _batch, _rows = _paid_advance(world, lathe_class, users, fund)
    af.finish(lathe_class)
    claim = af.final_claim_under_review(lathe_class, reviewer=users["reviewer"])
    for line in claim.lines.all():
        services.claim_line_decide(
            actor=users["reviewer"], line=line, approve=False, reason="签到造假"
        )
    claim = services.claim_approve(actor=users["reviewer"], claim=claim, fund=fund, today=TODAY)
    advance.refresh_from_db()
    assert claim.status == "refused"
    assert (advance.status, advance.receivable) == (AdvanceStatus.SETTLED, Decimal("450.00"))


def test_an_advance_still_applied_for_when_the_class_ends_is_not_approved(lathe_class, users):
    """HB45-ADV-1: the advance is paid before or during the training; once the class has
    finished, its final claim pays it all."""
    advance = services.advance_apply(actor=users["hr"], training_class=lathe_class)
    af.finish(lathe_class)
    with pytest.raises(ValidationError, match="before or during the training"):
        services.advance_approve(
            actor=users["reviewer"], advance=advance, fund=af.wuhan_fund(), today=TODAY
        )


def test_the_final_claim_waits_for_an_approved_advance_to_be_paid(lathe_class, users):
    fund = af.wuhan_fund()
    advance = services.advance_apply(actor=users["hr"], training_class=lathe_class)
    services.advance_approve(actor=users["reviewer"], advance=advance, fund=fund, today=TODAY)
    af.finish(lathe_class)
    claim = af.final_claim_under_review(lathe_class, reviewer=users["reviewer"])
    with pytest.raises(ValidationError, match="not paid yet"):
        services.claim_approve(actor=users["reviewer"], claim=claim, fund=fund, today=TODAY)


def test_a_failed_advance_payment_given_up_reverses_its_charge(world, lathe_class, users):
    fund = af.wuhan_fund()
    advance = services.advance_apply(actor=users["hr"], training_class=lathe_class)
    services.advance_approve(actor=users["reviewer"], advance=advance, fund=fund, today=TODAY)
    af.organiser_account(world)
    batch = services.batch_create(actor=users["payer"], fund=fund, payee="organiser", today=TODAY)
    services.batch_export(actor=users["payer"], batch=batch, fmt="csv")
    payment = batch.items.get()
    answer = ContentFile(
        f"参考号,结果,原因\n{payment.reference},失败,账户冻结\n".encode(), name="a.csv"
    )
    services.batch_results_import(actor=users["payer"], batch=batch, upload=answer)
    payment.refresh_from_db()
    services.payment_cancel(actor=users["payer"], payment=payment, reason="账户冻结")
    advance.refresh_from_db()
    assert advance.status == AdvanceStatus.CANCELLED
    assert ledger.committed(fund) == 0 and ledger.disbursed(fund) == 0
    assert services.advance_apply(actor=users["hr"], training_class=lathe_class).amount == Decimal(
        "450.00"
    )


# -- fund rules (HB45-FND-1) ---------------------------------------------------------------------


def test_living_allowances_are_paid_only_from_the_employment_fund(world, make_person):
    """HB45-FND-1 (and GA23 三(六) for Gong'an 2023): a claim with living allowances is
    refused on any other fund; the employment subsidy fund takes it."""
    claim = factories.submitted_claim(world, make_person)
    services.claim_take(actor=SYSTEM, claim=claim)
    for line in claim.lines.filter(decision="pending"):
        services.claim_line_decide(actor=SYSTEM, line=line, approve=True)
    assert claim.lines.filter(items__kind="living_allowance").exists()
    skills = factories.fund(world, source="skills_account")
    with pytest.raises(ValidationError, match="HB45-FND-1"):
        services.claim_approve(actor=SYSTEM, claim=claim, fund=skills, today=date(2023, 6, 1))
    assert not LedgerEntry.objects.exists()
    employment = factories.fund(world)
    claim = services.claim_approve(
        actor=SYSTEM, claim=claim, fund=employment, today=date(2023, 6, 1)
    )
    assert claim.status == "notice"


def test_the_reviewer_sees_the_funds_that_may_pay_with_the_budget_left(world, make_person):
    claim = factories.submitted_claim(world, make_person)
    services.claim_take(actor=SYSTEM, claim=claim)
    employment = factories.fund(world, budget="5000.00")
    skills = factories.fund(world, source="skills_account")
    choices = {c.fund.source: c for c in selectors.claim_fund_choices(actor=SYSTEM, claim=claim)}
    assert choices["employment_fund"].refusal == ""
    assert choices["employment_fund"].remaining == employment.budget
    assert "HB45-FND-1" in choices["skills_account"].refusal
    assert choices["skills_account"].remaining == skills.budget


def test_the_bureau_narrows_what_a_fund_source_may_pay(lathe_class, users):
    """HB45-FND-1: by default any fund may pay a post-skill subsidy; once the bureau allows its
    skills account only training subsidies, that fund is refused for the advance."""
    advance = services.advance_apply(actor=users["hr"], training_class=lathe_class)
    fund = af.wuhan_fund()
    district = Region.objects.get(code="420112")
    rule = services.fund_rule_set(
        actor=users["admin"], region=district, source="skills_account", kinds=["training_subsidy"]
    )
    assert rule.kinds == ["training_subsidy"]
    choices = selectors.advance_fund_choices(actor=users["reviewer"], advance=advance)
    assert [bool(c.refusal) for c in choices] == [True]
    with pytest.raises(ValidationError, match="fund rules do not allow"):
        services.advance_approve(actor=users["reviewer"], advance=advance, fund=fund, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.fund_rule_set(
            actor=users["reviewer"], region=district, source="skills_account", kinds=None
        )
    assert (
        services.fund_rule_set(
            actor=users["admin"], region=district, source="skills_account", kinds=None
        )
        is None
    )
    advance = services.advance_approve(
        actor=users["reviewer"], advance=advance, fund=fund, today=TODAY
    )
    assert advance.status == AdvanceStatus.APPROVED


def test_a_bureau_setting_cannot_let_another_fund_pay_living_allowances(world, make_person):
    """The parameter's reservation holds whatever the bureau allows (HB45-FND-1)."""
    services.fund_rule_set(
        actor=SYSTEM,
        region=Region.objects.get(code="421022"),
        source="skills_account",
        kinds=["living_allowance", "training_subsidy"],
    )
    skills = factories.fund(world, source="skills_account")
    refusal = selectors.fund_refusal(skills, [("living_allowance", date(2023, 5, 8))])
    assert "HB45-FND-1" in refusal
    assert selectors.fund_refusal(skills, [("training_subsidy", date(2023, 5, 8))]) == ""


def test_the_organiser_applies_and_the_reviewer_approves_on_the_pages(lathe_class, users, client):
    """HB45-ADV-1 on the pages: the organiser's list prices the advance and applies; the
    reviewer sees each fund with its budget left and whether it may pay (HB45-FND-1)."""
    fund = af.wuhan_fund()
    client.force_login(users["hr"])
    page = client.get("/subsidies/advances/").content.decode()
    assert f'data-testid="apply-advance-{lathe_class.pk}"' in page and "450.00" in page
    response = client.post(f"/subsidies/advances/apply/{lathe_class.pk}/")
    advance = lathe_class.advances.get()
    assert response.status_code == 302 and response.url == f"/subsidies/advances/{advance.pk}/"
    assert 'id="approve-advance"' not in client.get(response.url).content.decode()

    client.force_login(users["reviewer"])
    page = client.get(f"/subsidies/advances/{advance.pk}/").content.decode()
    assert 'id="fund-choices"' in page and "100,000.00" in page and "HB45-ADV-1" in page
    client.post(f"/subsidies/advances/{advance.pk}/approve/", {"fund": fund.pk})
    advance.refresh_from_db()
    assert advance.status == AdvanceStatus.APPROVED

    client.force_login(users["admin"])
    client.post(
        "/subsidies/fund-rules/",
        {"source": "unemployment_insurance", "restrict": "1", "kinds": ["post_skill"]},
    )
    page = client.get("/subsidies/fund-rules/").content.decode()
    assert "post_skill" in page and "HB45-FND-1" in page


def test_the_claim_page_shows_the_advance_deducted_and_the_receivable(
    world, lathe_class, users, client
):
    fund = af.wuhan_fund()
    _advance, _batch, _rows = _paid_advance(world, lathe_class, users, fund)
    af.finish(lathe_class, failed=(1, 2))
    claim = af.final_claim_under_review(lathe_class, reviewer=users["reviewer"])
    client.force_login(users["reviewer"])
    page = client.get(f"/subsidies/claims/{claim.pk}/").content.decode()
    assert 'id="claim-advance"' in page and "450.00" in page
    assert "100,000.00" not in page  # the select shows what is left: 100,000 less the advance
    assert "99,550.00" in page
    services.claim_approve(actor=users["reviewer"], claim=claim, fund=fund, today=TODAY)
    page = client.get(f"/subsidies/claims/{claim.pk}/").content.decode()
    assert 'id="advance-receivable"' in page and "150.00" in page


def test_the_advance_waits_in_the_reviewers_then_the_payment_clerks_queue(lathe_class, users):
    """HB45-ADV-1 in the work queues (core/queues.py): applied for → the reviewer's count;
    approved → the payment clerk's, until a batch gathers it; each equals the data in scope."""

    def counts(user) -> dict[str, int]:
        return {item.key: item.count for item in queue_for(user)}

    assert counts(users["reviewer"])["subsidies.advances_to_review"] == 0
    advance = services.advance_apply(actor=users["hr"], training_class=lathe_class)
    assert counts(users["reviewer"])["subsidies.advances_to_review"] == 1
    assert "subsidies.advances_to_review" not in counts(users["hr"])  # never its own
    fund = af.wuhan_fund(budget="10000.00")
    services.advance_approve(actor=users["reviewer"], advance=advance, fund=fund, today=TODAY)
    assert counts(users["reviewer"])["subsidies.advances_to_review"] == 0
    assert counts(users["payer"])["subsidies.advances_to_pay"] == 1
    assert "subsidies.advances_to_pay" not in counts(users["reviewer"])
    services.batch_create(actor=users["payer"], fund=fund, payee="organiser", today=TODAY)
    assert counts(users["payer"])["subsidies.advances_to_pay"] == 0


def test_the_advance_cites_its_share_in_the_readers_language(lathe_class, users, client):
    """Issue 15.9: the share's reference is punctuated in the reader's language."""
    client.force_login(users["hr"])
    client.post(f"/subsidies/advances/apply/{lathe_class.pk}/")
    advance = lathe_class.advances.get()
    ref = advance.explanation["share"]
    assert ref["rule"] == "HB45-ADV-1"
    page = client.get(f"/subsidies/advances/{advance.pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    page = page.content.decode()
    assert f"（{ref['document']} {ref['clause']}，HB45-ADV-1）" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/subsidies/advances/{advance.pk}/").content.decode()
    assert f"({ref['document']} {ref['clause']}, HB45-ADV-1)" in page
