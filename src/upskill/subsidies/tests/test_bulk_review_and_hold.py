"""A claim approved with one action, exceptions refused with their reasons (issue 15.4); a
payment without a bank account held out of its batch so the rest exports, and the bank file's
own columns accepted back as the results file (issue 15.5)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from upskill.core.scoping import SYSTEM
from upskill.subsidies import queues, services
from upskill.subsidies.models import Decision, PayeeAccount, PaymentStatus

from . import factories

pytestmark = pytest.mark.django_db


def _under_review(world, make_person):
    claim = factories.submitted_claim(world, make_person)
    services.claim_take(actor=SYSTEM, claim=claim)
    return claim


def _payable(claim):
    return list(claim.lines.filter(status="accepted", total__gt=0).order_by("pk"))


def test_a_claim_is_approved_with_one_action_and_its_exceptions(world, make_person):
    claim = _under_review(world, make_person)
    lines = _payable(claim)
    assert lines
    refused = lines[0]
    with pytest.raises(ValidationError):  # an exception needs its reason
        services.claim_approve(
            actor=SYSTEM,
            claim=claim,
            fund=factories.fund(world),
            today=date(2023, 6, 1),
            approve_remaining=True,
            exceptions={refused.pk: ""},
        )
    approved = services.claim_approve(
        actor=SYSTEM,
        claim=claim,
        fund=factories.fund(world),
        today=date(2023, 6, 1),
        approve_remaining=True,
        exceptions={refused.pk: "培训期间在外务工，考勤存疑"},
    )
    refused.refresh_from_db()
    assert refused.decision == Decision.REFUSED and "考勤存疑" in refused.decision_reason
    assert all(
        line.decision == Decision.APPROVED for line in _payable(approved) if line.pk != refused.pk
    )
    assert approved.status in ("notice", "refused")


def test_approve_remaining_answers_in_place(world, make_person, make_user, client):
    claim = _under_review(world, make_person)
    client.force_login(make_user("gongan", "reviewer"))
    response = client.post(
        reverse("subsidies:claim_action", args=[claim.pk, "lines"]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="claim-review"' in body and "<html" not in body
    assert all(line.decision == Decision.APPROVED for line in _payable(claim))


def test_a_payment_without_account_is_held_and_the_round_trip_pays(world, make_person):
    batch = factories.organiser_batch(world, make_person)
    payment = batch.items.get()
    PayeeAccount.objects.filter(organisation=world["inst1"]).delete()
    with pytest.raises(ValidationError) as refused:
        services.batch_export(actor=SYSTEM, batch=batch)
    assert payment.reference in str(refused.value)
    with pytest.raises(ValidationError):
        services.payment_hold(actor=SYSTEM, payment=payment, reason=" ")
    services.payment_hold(actor=SYSTEM, payment=payment, reason="培训机构未登记收款账户")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.HELD
    assert queues.payments_held(SYSTEM) >= 1
    with pytest.raises(ValidationError):  # still no account
        services.payment_release(actor=SYSTEM, payment=payment)
    services.payee_account_set(
        actor=SYSTEM,
        organisation=world["inst1"],
        account_name="公安县职业技术培训学校",
        account_number="42050110010000000123",
        bank_name="中国建设银行公安支行",
    )
    services.payment_release(actor=SYSTEM, payment=payment)
    content, _name = services.batch_export(actor=SYSTEM, batch=batch)
    # the bank's answer is the exported file with a result column and a note column added
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header_row = next(
        i for i, row in enumerate(rows) if "付款编号" in row or "Payment reference" in row
    )
    back = Workbook()
    out = back.active
    out.append([*rows[header_row], "结果", "说明"])
    for row in rows[header_row + 1 :]:
        if any(row):
            out.append([*row, "成功", ""])
    buffer = io.BytesIO()
    back.save(buffer)
    outcome = services.batch_results_import(
        actor=SYSTEM, batch=batch, upload=SimpleUploadedFile("回单.xlsx", buffer.getvalue())
    )
    assert outcome == {"paid": 1, "failed": 0}
