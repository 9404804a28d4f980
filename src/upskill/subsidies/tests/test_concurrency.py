"""Paying twice is impossible: the same claim item cannot reach two batches, and a claim cannot
be charged twice, even when two people act at the same moment (PostgreSQL: real threads on
their own connections; SQLite, which serialises writers, checks the constraint that holds)."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from upskill.core.scoping import SYSTEM
from upskill.subsidies import services
from upskill.subsidies.models import (
    ClaimStatus,
    EntryKind,
    LedgerEntry,
    PaymentBatch,
    PaymentItem,
)

from . import factories

AFTER_NOTICE = date(2023, 6, 20)


def _concurrently(functions) -> list:
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.django_db(transaction=True)
def test_one_item_reaches_one_batch_only(world, make_person, make_user):
    claim = factories.noticed_claim(world, make_person)
    services.payee_account_set(
        actor=SYSTEM,
        organisation=world["inst1"],
        account_name="公安县职业技术培训学校",
        account_number="42050110010000000123",
        bank_name="中国建设银行公安支行",
    )
    if connection.vendor != "postgresql":
        batch = services.batch_create(
            actor=SYSTEM, fund=claim.fund, payee="organiser", today=AFTER_NOTICE
        )
        item = batch.items.get().item
        other = PaymentBatch.objects.create(
            reference="B-OTHER", county=batch.county, fund=batch.fund, payee="organiser"
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            PaymentItem.objects.create(batch=other, item=item, amount=item.amount)
        with pytest.raises(ValidationError, match="Nothing is due"):
            services.batch_create(
                actor=SYSTEM, fund=claim.fund, payee="organiser", today=AFTER_NOTICE
            )
        return
    payers = [make_user("gongan", "payment_clerk") for _ in range(4)]
    results = _concurrently(
        [
            lambda user=user: services.batch_create(
                actor=user, fund=claim.fund, payee="organiser", today=AFTER_NOTICE
            )
            for user in payers
        ]
    )
    made = [r for r in results if isinstance(r, PaymentBatch)]
    assert len(made) == 1, results
    assert all(isinstance(r, ValidationError) for r in results if r not in made)
    assert PaymentItem.objects.count() == 1
    assert PaymentBatch.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_charge_once(world, make_person, make_user):
    fund = factories.fund(world)
    claim = factories.submitted_claim(world, make_person)
    first, second = make_user("gongan", "reviewer"), make_user("gongan", "reviewer")
    services.claim_take(actor=first, claim=claim)
    for line in claim.lines.filter(decision="pending"):
        services.claim_line_decide(actor=first, line=line, approve=True)
    if connection.vendor != "postgresql":
        # SQLite serialises writers: the second approval finds the claim under notice already
        services.claim_approve(actor=first, claim=claim, fund=fund, today=date(2023, 6, 1))
        with pytest.raises(ValidationError, match="under review"):
            services.claim_approve(actor=second, claim=claim, fund=fund, today=date(2023, 6, 1))
        assert LedgerEntry.objects.filter(kind=EntryKind.CHARGE).count() == 2
        return
    results = _concurrently(
        [
            lambda user=user: services.claim_approve(
                actor=user, claim=claim, fund=fund, today=date(2023, 6, 1)
            )
            for user in (first, second)
        ]
    )
    approved = [r for r in results if not isinstance(r, Exception)]
    assert len(approved) == 1, results
    assert isinstance(next(r for r in results if r not in approved), ValidationError)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.NOTICE
    charges = LedgerEntry.objects.filter(kind=EntryKind.CHARGE)
    assert charges.count() == claim.lines.get().items.count()
    assert sum(e.amount for e in charges) == claim.approved_total > Decimal(0)
