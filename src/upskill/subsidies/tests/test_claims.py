"""Claims assembled from the records, review line by line, public notice, payment, recovery."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from openpyxl import load_workbook

from upskill.core.masking import mask_account
from upskill.core.models import AccessLog
from upskill.core.scoping import SYSTEM, visible
from upskill.policy_admin.services import parameter_version_add, parameter_version_withdraw
from upskill.registry.services import bank_account_change_confirm, bank_account_set
from upskill.subsidies import ledger, selectors, services
from upskill.subsidies.models import (
    Claim,
    ClaimItem,
    ClaimKind,
    ClaimStatus,
    EntryKind,
    LedgerEntry,
    PaymentItem,
    PaymentStatus,
)
from upskill.subsidies.selectors import disclosure
from upskill.supervision.services import sanction_blacklist

from . import factories

APPROVED_ON = date(2023, 6, 1)  # a Thursday
AFTER_NOTICE = date(2023, 6, 20)


@pytest.fixture
def users(make_user):
    return {
        "clerk": make_user("inst1", "clerk"),
        "reviewer": make_user("gongan", "reviewer"),
        "payer": make_user("gongan", "payment_clerk"),
        "auditor": make_user("gongan", "auditor"),
    }


@pytest.fixture
def cook_claim(world, make_person, finished_class, users):
    """Three trainees of a compliant cook class: two rural (living allowance), one urban; the
    third failed the exam. The county has set the training subsidy standard (GA23-TRN-1)."""
    factories.training_standard()
    people = [
        make_person(name="张伟"),
        make_person(name="李娜"),
        make_person(name="王芳", hukou="non_agricultural"),
    ]
    training_class = finished_class(people, failed=(2,))
    claim = services.claim_assemble(actor=users["clerk"], training_class=training_class)
    return claim, people


def _approve_all_but_last(claim, users, fund):
    services.claim_take(actor=users["reviewer"], claim=claim)
    payable = [line for line in claim.lines.order_by("pk") if line.decision == "pending"]
    for line in payable[:-1]:
        services.claim_line_decide(actor=users["reviewer"], line=line, approve=True)
    services.claim_line_decide(
        actor=users["reviewer"], line=payable[-1], approve=False, reason="考勤签名与本人不符"
    )
    return services.claim_approve(
        actor=users["reviewer"], claim=claim, fund=fund, today=APPROVED_ON
    )


def test_a_claim_is_assembled_from_the_records_and_priced_by_the_engine(cook_claim):
    claim, people = cook_claim
    lines = {line.person_id: line for line in claim.lines.all()}
    rural = lines[people[0].pk]
    assert rural.status == "accepted"
    rules = {item.rule: item.amount for item in rural.items.all()}
    # 24 hours attended, 6 hours a day → 4 days at 24 yuan (GA23-LIV-1); 1,200 (GA23-TRN-1)
    assert rules == {"GA23-LIV-1": Decimal("96.00"), "GA23-TRN-1": Decimal("1200.00")}
    assert rural.total == Decimal("1296.00")
    assert "GA23-LIV-1" in rural.items.get(rule="GA23-LIV-1").message
    assert rural.items.get(rule="GA23-TRN-1").payee_organisation == claim.claimant
    assert Decimal(rural.record["attended_hours"]) == 24 and rural.record["passed"] is True
    assert "*" in rural.record["person_id"]  # the full ID number is not kept in the line
    failed = lines[people[2].pk]
    assert failed.status == "rejected" and failed.decision == "refused"
    assert failed.total == 0 and not failed.items.exists()
    assert failed.explanation["reasons"][0]["rule"] == "GA23-CRT-1"
    assert claim.accepted_total == Decimal("2592.00")  # two rural trainees


def test_the_fourth_training_of_a_year_is_refused_by_the_cap(
    world, make_person, finished_class, users
):
    """HB45-CAP-1 across the person's whole history of claims: three subsidised trainings in
    2023, the fourth refused with the engine's explanation."""
    factories.training_standard()
    # The county had raised the cap by mistake while the trainee enrolled in a fourth class;
    # the version is withdrawn before anything is claimed.
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
    [person] = factories.poverty_persons(make_person, ["赵六"])
    classes = [
        finished_class([person], entry=entry, start=start)
        for entry, start in (
            ("cook", date(2023, 3, 6)),
            ("pastry", date(2023, 4, 3)),
            ("shop", date(2023, 5, 8)),
            ("domestic", date(2023, 6, 5)),
        )
    ]
    parameter_version_withdraw(actor=SYSTEM, version=mistake, reason="录入错误")
    claims = [services.claim_assemble(actor=users["clerk"], training_class=c) for c in classes]
    last = claims[-1].lines.get()
    assert [c.lines.get().status for c in claims[:3]] == ["accepted"] * 3
    assert last.status == "rejected"
    reason = last.explanation["reasons"][0]
    assert reason["rule"] == "HB45-CAP-1" and "3" in reason["message"]


def test_submission_needs_documents_and_is_refused_while_the_checklist_is_red(
    world, make_person, finished_class, users
):
    factories.training_standard()
    red = finished_class([make_person()], compliant=False)
    claim = services.claim_assemble(actor=users["clerk"], training_class=red)
    factories.documents(claim, users["clerk"])
    with pytest.raises(ValidationError) as refused:
        services.claim_submit(actor=users["clerk"], claim=claim)
    assert "compliance checklist" in str(refused.value)
    assert "GA23-INS-1" in str(refused.value)


def test_documents_checklist_and_blacklist(world, cook_claim, users, make_user):
    claim, _people = cook_claim
    checks = {c.key: c for c in selectors.documents_checklist(claim)}
    assert {k: c.done for k, c in checks.items()} == {
        "application": False,
        "roster": True,  # generated by the system (HB61-DOC-1), never uploaded
        "certificates": True,  # issued by the system at the exam: no copy needed
    }
    assert "no copy" in checks["certificates"].note
    with pytest.raises(ValidationError, match="HB61-DOC-1"):
        services.claim_submit(actor=users["clerk"], claim=claim)
    document = services.claim_document_upload(
        actor=users["clerk"],
        claim=claim,
        key="application",
        upload=ContentFile(b"%PDF-1.4", name="申请表.pdf"),
    )
    assert document.file.name.startswith("subsidies/claims/") and document.file.size == 8
    factories.documents(claim, users["clerk"])
    sanction_blacklist(
        actor=make_user("gongan", "inspector"),
        organisation=world["inst1"],
        reason="虚假培训",
        valid_from=date(2023, 1, 1),
    )
    with pytest.raises(ValidationError, match="HB45-BLK-1"):
        services.claim_submit(actor=users["clerk"], claim=claim)


def test_review_line_by_line_notice_objection_and_payment(
    world, cook_claim, users, fund, make_person
):
    claim, people = cook_claim
    factories.documents(claim, users["clerk"])
    services.claim_submit(actor=users["clerk"], claim=claim)
    with pytest.raises(PermissionDenied):
        services.claim_take(actor=users["clerk"], claim=claim)
    # returned with reasons, resubmitted
    services.claim_return(actor=users["reviewer"], claim=claim, reasons="缺少考勤照片说明")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RETURNED and "考勤" in claim.return_reason
    services.claim_submit(actor=users["clerk"], claim=claim)
    claim = _approve_all_but_last(claim, users, fund)
    assert claim.status == ClaimStatus.NOTICE
    # five working days from the next working day after Thursday 1 June 2023: 2–8 June
    assert (claim.notice_from, claim.notice_until) == (date(2023, 6, 2), date(2023, 6, 8))
    assert claim.approved_total == Decimal("1296.00")
    assert ledger.committed(fund) == Decimal("1296.00")
    # an objection during the notice holds the payment until it is resolved
    objection = services.objection_lodge(
        actor=SYSTEM, claim=claim, lodged_by="群众", text="该学员未实际参训", today=date(2023, 6, 5)
    )
    with pytest.raises(ValidationError):
        services.batch_create(actor=users["payer"], fund=fund, payee="trainee", today=AFTER_NOTICE)
    services.objection_resolve(
        actor=users["reviewer"],
        objection=objection,
        uphold=False,
        resolution="经核实考勤与影像，参训属实",
    )
    # the rural trainee's allowance: a batch for trainees; the institution's subsidy: another
    person = people[0]
    # recorded after the approval: in use once the payment clerk confirms it
    change = bank_account_set(
        actor=SYSTEM,
        person=person,
        kind="card",
        account_name=person.name,
        account_number="6228480402564890018",
        bank_name="中国农业银行公安支行",
        branch_code="103537000123",
    ).change
    bank_account_change_confirm(actor=users["payer"], change=change, approve=True)
    batch = services.batch_create(
        actor=users["payer"], fund=fund, payee="trainee", today=AFTER_NOTICE
    )
    assert batch.items.count() == 1 and batch.total == Decimal("96.00")
    assert selectors.batch_rows(batch)[0].account_number == mask_account("6228480402564890018")
    content, _name = services.batch_export(actor=users["payer"], batch=batch, fmt="csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1][2] == "6228480402564890018" and rows[1][5] == "96.00"
    assert AccessLog.objects.filter(action="export", object_id=str(batch.pk)).exists()
    reference = rows[1][0]
    # the bank answers: failed; retried; paid
    failure = io.BytesIO(f"参考号,结果,原因\n{reference},失败,户名不符\n".encode())
    failure.name = "result.csv"
    assert services.batch_results_import(actor=users["payer"], batch=batch, upload=failure) == {
        "paid": 0,
        "failed": 1,
    }
    payment = PaymentItem.objects.get(batch=batch)
    assert payment.status == PaymentStatus.FAILED and payment.failure_reason == "户名不符"
    services.payment_retry(actor=users["payer"], payment=payment)
    content, _name = services.batch_export(actor=users["payer"], batch=batch, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.cell(2, 3).value == "6228480402564890018"
    paid = io.BytesIO(f"参考号,结果\n{reference},成功\n".encode())
    paid.name = "result.csv"
    services.batch_results_import(actor=users["payer"], batch=batch, upload=paid)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.attempts == 2
    assert ledger.disbursed(fund) == Decimal("96.00")
    # the organiser's subsidy, to its account
    services.payee_account_set(
        actor=users["payer"],
        organisation=world["inst1"],
        account_name="公安县职业技术培训学校",
        account_number="42050110010000000123",
        bank_name="中国建设银行公安支行",
    )
    organiser = services.batch_create(
        actor=users["payer"], fund=fund, payee="organiser", today=AFTER_NOTICE
    )
    assert organiser.total == Decimal("1200.00")
    # nothing can be paid twice
    with pytest.raises(ValidationError):
        services.batch_create(
            actor=users["payer"], fund=fund, payee="organiser", today=AFTER_NOTICE
        )
    assert ledger.verify().ok


def test_a_refused_objection_line_and_cancelled_payment_reverse_their_charges(
    cook_claim, users, fund
):
    claim, people = cook_claim
    factories.documents(claim, users["clerk"])
    services.claim_submit(actor=users["clerk"], claim=claim)
    claim = _approve_all_but_last(claim, users, fund)
    line = claim.lines.get(person=people[0])
    objection = services.objection_lodge(
        actor=SYSTEM, claim=claim, lodged_by="村民", text="冒名参训", today=date(2023, 6, 2)
    )
    services.objection_resolve(
        actor=users["reviewer"], objection=objection, uphold=True, resolution="核实冒名", line=line
    )
    line.refresh_from_db()
    assert line.decision == "refused"
    assert ledger.committed(fund) == Decimal("0.00")
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 2
    with pytest.raises(ValidationError):
        services.batch_create(actor=users["payer"], fund=fund, payee="trainee", today=AFTER_NOTICE)


def test_a_claim_cannot_exceed_what_is_left_of_the_fund(world, cook_claim, users):
    claim, _people = cook_claim
    small = factories.fund(world, budget="1000.00", source="employment_fund")
    factories.documents(claim, users["clerk"])
    services.claim_submit(actor=users["clerk"], claim=claim)
    with pytest.raises(ValidationError, match="left"):
        _approve_all_but_last(claim, users, small)
    assert not LedgerEntry.objects.exists()


def test_the_payer_is_never_the_reviewer_of_the_claim(
    world, cook_claim, users, fund, django_user_model
):
    claim, _people = cook_claim
    both = django_user_model.objects.create_superuser("both", password="Test#Pass2023")
    factories.documents(claim, users["clerk"])
    services.claim_submit(actor=users["clerk"], claim=claim)
    _approve_all_but_last(claim, {**users, "reviewer": both}, fund)
    services.payee_account_set(
        actor=both,
        organisation=world["inst1"],
        account_name="公安县职业技术培训学校",
        account_number="42050110010000000123",
        bank_name="中国建设银行公安支行",
    )
    with pytest.raises(ValidationError, match="Nothing is due"):
        services.batch_create(actor=both, fund=fund, payee="organiser", today=AFTER_NOTICE)
    assert services.batch_create(
        actor=users["payer"], fund=fund, payee="organiser", today=AFTER_NOTICE
    )


def test_recovery_after_fraud_creates_receivables(world, cook_claim, users, fund, make_user):
    claim, _people = cook_claim
    factories.documents(claim, users["clerk"])
    services.claim_submit(actor=users["clerk"], claim=claim)
    _approve_all_but_last(claim, users, fund)
    services.payee_account_set(
        actor=users["payer"],
        organisation=world["inst1"],
        account_name="公安县职业技术培训学校",
        account_number="42050110010000000123",
        bank_name="中国建设银行公安支行",
    )
    batch = services.batch_create(
        actor=users["payer"], fund=fund, payee="organiser", today=AFTER_NOTICE
    )
    content, _name = services.batch_export(actor=users["payer"], batch=batch, fmt="csv")
    reference = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1][0]
    paid = io.BytesIO(f"Reference,Status\n{reference},paid\n".encode())
    paid.name = "result.csv"
    services.batch_results_import(actor=users["payer"], batch=batch, upload=paid)
    entries = services.recovery_open(
        actor=make_user("gongan", "admin"), claim=claim, reason="虚假培训套取补贴"
    )
    assert [(e.kind, e.amount, e.rule) for e in entries] == [
        ("receivable", Decimal("1200.00"), "HB45-BLK-1")
    ]
    assert ledger.verify().ok


def _poverty_claim(make_person, finished_class, users):
    """Two poverty-alleviated trainees of 斗湖堤镇 in a finished domestic-service class."""
    factories.training_standard()
    people = factories.poverty_persons(make_person, ("刘强", "陈静"))
    training_class = finished_class(people, entry="domestic")
    return services.claim_assemble(actor=users["clerk"], training_class=training_class), people


def test_township_fee_is_priced_on_the_organisers_line_but_not_charged_there(
    world, make_person, finished_class, users, fund
):
    """GA23-FEE-1: the engine prices the fee per poverty-alleviated trainee on the organiser's
    line; the organiser's claim neither totals, charges nor pays it."""
    claim, _people = _poverty_claim(make_person, finished_class, users)
    fees = ClaimItem.objects.filter(line__claim=claim, rule="GA23-FEE-1")
    assert fees.count() == 2
    assert {fee.payee_organisation for fee in fees} == {world["township:421022101"]}
    assert all(fee.claimed_by_township for fee in fees)
    for line in claim.lines.all():
        own = sum(i.amount for i in line.items.all() if i.payee != "township")
        assert line.total == own and line.total > 0
    factories.documents(claim, users["clerk"])
    services.claim_submit(actor=users["clerk"], claim=claim)
    _approve_all_but_last(claim, users, fund)
    charged = LedgerEntry.objects.filter(claim_line__claim=claim, kind=EntryKind.CHARGE)
    assert not charged.filter(rule="GA23-FEE-1").exists()
    assert sum(e.amount for e in charged) == claim.approved_total
    with pytest.raises(ValidationError):
        services.batch_create(actor=users["payer"], fund=fund, payee="township", today=AFTER_NOTICE)


def test_township_claims_its_fees_for_approved_trainees_only(
    world, make_person, finished_class, users, fund, make_user
):
    """GA23-FEE-1: the township centre's clerk assembles a claim of its own — one line per
    trainee whose training subsidy was approved and noticed, at the engine's amount —, it is
    reviewed, noticed and paid to the township's account; a fee is claimed once; the township
    sees its own fees and claims and no one else's."""
    claim, people = _poverty_claim(make_person, finished_class, users)
    township = world["township:421022101"]
    clerk = make_user("township:421022101", "clerk")
    factories.documents(claim, users["clerk"])
    services.claim_submit(actor=users["clerk"], claim=claim)

    # before the organiser's claim is approved and noticed, nothing is claimable
    with pytest.raises(ValidationError, match="GA23-FEE-1"):
        services.claim_assemble_township(actor=clerk, year=2023)
    _approve_all_but_last(claim, users, fund)  # 陈静's line is refused
    with pytest.raises(ValidationError, match="GA23-FEE-1"):
        services.claim_assemble_township(actor=clerk, year=2023)  # still under notice
    assert services.claim_release_due(actor=SYSTEM, today=AFTER_NOTICE) == 1

    fee_claim = services.claim_assemble_township(actor=clerk, year=2023)
    assert fee_claim.kind == ClaimKind.TOWNSHIP and fee_claim.claimant == township
    (line,) = fee_claim.lines.all()
    source = ClaimItem.objects.get(line__claim=claim, line__person=people[0], rule="GA23-FEE-1")
    assert line.person == people[0] and line.total == source.amount == Decimal("260.00")
    assert line.items.get().source == source
    assert "GA23-FEE-1" in line.explanation["items"][0]["message"]
    assert f"#{claim.pk}" in line.explanation["reasons"][0]["message"]
    # a fee is claimed once
    with pytest.raises(ValidationError, match="GA23-FEE-1"):
        services.claim_assemble_township(actor=clerk, year=2023)
    # only a township centre claims fees
    with pytest.raises(PermissionDenied):
        services.claim_assemble_township(actor=users["clerk"], year=2023)

    # HB61-DOC-1 for a fee claim: the application form
    assert [c.key for c in selectors.documents_checklist(fee_claim)] == ["application"]
    with pytest.raises(ValidationError, match="HB61-DOC-1"):
        services.claim_submit(actor=clerk, claim=fee_claim)
    factories.documents(fee_claim, clerk)
    services.claim_submit(actor=clerk, claim=fee_claim)
    services.claim_take(actor=users["reviewer"], claim=fee_claim)
    services.claim_line_decide(actor=users["reviewer"], line=line, approve=True)
    fee_claim = services.claim_approve(
        actor=users["reviewer"], claim=fee_claim, fund=fund, today=AFTER_NOTICE
    )
    assert ledger.committed(fund) == claim.approved_total + Decimal("260.00")
    services.claim_release_due(actor=SYSTEM, today=fee_claim.notice_until + timedelta(days=1))
    services.payee_account_set(
        actor=users["payer"],
        organisation=township,
        account_name="斗湖堤镇人社服务中心",
        account_number="42050110010000000456",
        bank_name="湖北公安农村商业银行",
    )
    batch = services.batch_create(
        actor=users["payer"],
        fund=fund,
        payee="township",
        today=fee_claim.notice_until + timedelta(days=1),
    )
    (payment,) = batch.items.all()
    assert payment.item.line.claim == fee_claim and payment.amount == Decimal("260.00")
    assert selectors.batch_rows(batch)[0].account_name == "斗湖堤镇人社服务中心"
    content, _name = services.batch_export(actor=users["payer"], batch=batch, fmt="csv")
    reference = content.decode("utf-8-sig").splitlines()[1].split(",")[0]
    answer = io.BytesIO(f"Reference,Status\n{reference},paid\n".encode())
    answer.name = "r.csv"
    services.batch_results_import(actor=users["payer"], batch=batch, upload=answer)
    # the public disclosure (HB45-PUB-1) shows the fee as its own programme, in its township
    year = LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).first().at.year
    shown = disclosure(year=year)
    assert [(a.key, a.amount, a.people) for a in shown["program"]] == [
        ("Township management fees (GA23-FEE-1)", Decimal("260.00"), 1)
    ]
    assert [a.key for a in shown["township"]] == ["斗湖堤镇"]

    # scoping: the township sees its fees and its claim; another township sees neither
    assert set(visible(Claim, clerk)) == {fee_claim}
    assert set(ClaimItem.objects.filter(rule="GA23-FEE-1")) <= set(visible(ClaimItem, clerk))
    other = make_user("township:421022102", "clerk")
    assert not visible(ClaimItem, other).exists() and not visible(Claim, other).exists()
    page = _township_page(clerk)
    assert "刘强" in page and "陈静" in page and f"#{fee_claim.pk}" in page


def test_a_returned_fee_claim_is_assembled_again_and_a_refused_fee_can_be_claimed_again(
    world, make_person, finished_class, users, fund, make_user
):
    claim, _people = _poverty_claim(make_person, finished_class, users)
    factories.documents(claim, users["clerk"])
    services.claim_submit(actor=users["clerk"], claim=claim)
    services.claim_take(actor=users["reviewer"], claim=claim)
    for line in claim.lines.all():
        services.claim_line_decide(actor=users["reviewer"], line=line, approve=True)
    services.claim_approve(actor=users["reviewer"], claim=claim, fund=fund, today=APPROVED_ON)
    services.claim_release_due(actor=SYSTEM, today=AFTER_NOTICE)
    clerk = make_user("township:421022101", "clerk")
    fee_claim = services.claim_assemble_township(actor=clerk, year=2023)
    assert fee_claim.lines.count() == 2
    factories.documents(fee_claim, clerk)
    services.claim_submit(actor=clerk, claim=fee_claim)
    services.claim_return(actor=users["reviewer"], claim=fee_claim, reasons="申请表未盖章")
    services.claim_reassemble(actor=clerk, claim=fee_claim)
    assert fee_claim.lines.count() == 2  # its own fees are not "taken" from itself
    services.claim_submit(actor=clerk, claim=fee_claim)
    services.claim_take(actor=users["reviewer"], claim=fee_claim)
    first, second = fee_claim.lines.order_by("pk")
    services.claim_line_decide(actor=users["reviewer"], line=first, approve=True)
    services.claim_line_decide(
        actor=users["reviewer"], line=second, approve=False, reason="户籍不在本镇"
    )
    services.claim_approve(actor=users["reviewer"], claim=fee_claim, fund=fund, today=AFTER_NOTICE)
    # the refused fee may be claimed again, on a new claim; the approved one may not
    again = services.claim_assemble_township(actor=clerk, year=2023)
    (line,) = again.lines.all()
    assert line.person == second.person
    assert line.items.get().source == ClaimItem.objects.get(
        line__claim=claim, line__person=second.person, rule="GA23-FEE-1"
    )


def _township_page(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/subsidies/township-fees/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_claim_is_assembled_in_a_fixed_number_of_queries_with_its_audit_trail(
    world, make_person, finished_class, users
):
    """Issue 19.4: a class's claim is written in bulk (a 200-trainee class in under 2 s), so
    four trainees cost the queries of two (the first claim of the run also reads what later
    ones find cached); each line and item still has its "created" audit row naming the
    clerk."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from upskill.subsidies.models import ClaimLine

    factories.training_standard()
    counts = []
    for size in (1, 2, 4):
        people = [make_person(name=f"赵{size}{i}") for i in range(size)]
        training_class = finished_class(people)
        with CaptureQueriesContext(connection) as queries:
            claim = services.claim_assemble(actor=users["clerk"], training_class=training_class)
        counts.append(len(queries))
        assert claim.lines.count() == size
        assert ClaimItem.objects.filter(line__claim=claim).count() == 2 * size  # LIV + TRN
    assert counts[1] == counts[2]
    lines = ClaimLine.objects.filter(claim=claim)
    created = ClaimLine.history.filter(id__in=lines.values("pk"), history_type="+")
    assert created.count() == 4
    assert {row.history_user_id for row in created} == {users["clerk"].pk}
    item_rows = ClaimItem.history.filter(line_id__in=lines.values("pk"), history_type="+")
    assert item_rows.count() == 8
