"""A trainee's living allowance (GA23-LIV-1/2) goes to the trainee's own account: who may record
or change it, when a change needs the payment clerk's confirmation, the holder-name exception,
and the account an exported bank file keeps."""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from upskill.core.scoping import SYSTEM
from upskill.registry.services import bank_account_set
from upskill.subsidies import services

from . import factories

APPROVED_ON = date(2023, 6, 1)
AFTER_NOTICE = date(2023, 6, 20)
OWN = "6228480402564890018"
OTHER = "6222021001115678903"  # another valid card (Luhn)
THIRD = "6217002860001234565"


@pytest.fixture
def users(make_user):
    return {
        "clerk": make_user("inst1", "clerk"),
        "reviewer": make_user("gongan", "reviewer"),
        "payer": make_user("gongan", "payment_clerk"),
        "payer2": make_user("gongan", "payment_clerk"),
    }


def _account(actor, person, number: str, name: str | None = None, **extra):
    return bank_account_set(
        actor=actor,
        person=person,
        kind="card",
        account_name=name if name is not None else person.name,
        account_number=number,
        bank_name="中国农业银行公安支行",
        branch_code="103537000123",
        **extra,
    )


@pytest.fixture
def approved(world, make_person, finished_class, users):
    """张伟, rural, trained by inst1, with an account of his own; inst1's claim approved (his
    living allowance charged to the fund, not paid yet)."""
    factories.training_standard()
    zhang = make_person(name="张伟")
    _account(SYSTEM, zhang, OWN)
    training_class = finished_class([zhang])
    claim = services.claim_assemble(actor=users["clerk"], training_class=training_class)
    factories.documents(claim, users["clerk"])
    services.claim_submit(actor=users["clerk"], claim=claim)
    services.claim_take(actor=users["reviewer"], claim=claim)
    for line in claim.lines.filter(decision="pending"):
        services.claim_line_decide(actor=users["reviewer"], line=line, approve=True)
    claim = services.claim_approve(
        actor=users["reviewer"], claim=claim, fund=factories.fund(world), today=APPROVED_ON
    )
    return claim, zhang


def _bank_file(users, claim) -> list[list[str]]:
    batch = services.batch_create(
        actor=users["payer"], fund=claim.fund, payee="trainee", today=AFTER_NOTICE
    )
    content, _name = services.batch_export(actor=users["payer"], batch=batch, fmt="csv")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]


@pytest.mark.parametrize("holder", ["张伟", "王五"])
def test_a_clerk_cannot_redirect_an_approved_allowance(approved, users, holder):
    """The defect: after approval the institution's clerk put another account on the trainee
    (any holder name) and the next bank file paid it."""
    claim, zhang = approved
    with contextlib.suppress(ValidationError, PermissionDenied):
        _account(users["clerk"], zhang, OTHER, name=holder)
    rows = _bank_file(users, claim)
    assert [row[1:3] for row in rows] == [["张伟", OWN]]
