"""Certificates and subsidies of the Wuhan path (issue 16 item 6): each verified skill-level
certificate is one record for the engine (HB61-CRT-1, HB45-CAP-1) paying the employee 1,500 or
2,000 (WH20-SUB-1/2); the enterprise's 1,000 (WH20-SUB-3) is paid once per employee, on one of
their records only, to the employee's own enterprise, also when a third-party institution runs
the training and applies on their behalf (由培训机构代申请)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from upskill.core.scoping import SYSTEM, visible
from upskill.enterprise.services import contract_record
from upskill.organisations.models import Region
from upskill.subsidies.models import ClaimItem, ClaimKind, ClaimLine
from upskill.subsidies.services import claim_assemble, claim_reassemble

from .factories import finished_class, skill_certificate, wh20_entries

START = date(2020, 8, 3)


def _employee(make_person, world, *, enterprise="wh_ent1", months=24):
    person = make_person(township_code=None, county=Region.objects.get(code="420112"), name="周敏")
    if enterprise:
        contract_record(
            actor=SYSTEM,
            enterprise=world[enterprise],
            person=person,
            signed=date(2018, 3, 1),
            years=Decimal(3),
            consecutive_insured_months=months,
            insured_as_of=date(2020, 7, 1),
            unemployment_insured_months=months,
        )
    return person


def _items(line) -> set[tuple]:
    return {
        (item.rule, item.payee, item.amount, getattr(item.payee_organisation, "name", None))
        for item in line.items.select_related("payee_organisation")
    }


@dataclass(frozen=True)
class Case:
    name: str
    level: int
    verified: bool = True
    enterprise: str | None = "wh_ent1"
    expected: set = field(default_factory=set)
    refused: str = ""  # a rule the refusal cites


ENT1 = "武汉江城精密机械有限公司"
CASES = [
    Case(
        "WH20-SUB-2 level 3: 2,000 to the employee, WH20-SUB-3 1,000 to their enterprise",
        level=3,
        expected={
            ("WH20-SUB-2", "trainee", Decimal("2000.00"), None),
            ("WH20-SUB-3", "enterprise", Decimal("1000.00"), ENT1),
        },
    ),
    Case(
        "WH20-SUB-1 level 4: 1,500 to the employee, WH20-SUB-3 1,000 to their enterprise",
        level=4,
        expected={
            ("WH20-SUB-1", "trainee", Decimal("1500.00"), None),
            ("WH20-SUB-3", "enterprise", Decimal("1000.00"), ENT1),
        },
    ),
    Case(
        "WH20-SUB-3 goes to the employee's own enterprise, another member's employee likewise",
        level=3,
        enterprise="wh_ent2",
        expected={
            ("WH20-SUB-2", "trainee", Decimal("2000.00"), None),
            ("WH20-SUB-3", "enterprise", Decimal("1000.00"), "武汉楚天食品有限公司"),
        },
    ),
    Case(
        "WH20-SUB-3 needs an enterprise: a trainee employed by none gets WH20-SUB-2 alone",
        level=3,
        enterprise=None,
        expected={("WH20-SUB-2", "trainee", Decimal("2000.00"), None)},
    ),
    Case(
        "HB61-CRT-1: a certificate the bureau has not verified pays nothing",
        level=3,
        verified=False,
        refused="WH20-SUB-2",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_certificate_records_on_the_institutions_claim(case, world, make_person):
    entry = wh20_entries()[case.level]
    person = _employee(make_person, world, enterprise=case.enterprise)
    training_class = finished_class(
        world, [person], entry=entry, start=START, days=2, insured_months=24
    )
    skill_certificate(person, training_class, verified=case.verified)
    claim = claim_assemble(actor=SYSTEM, training_class=training_class)
    assert claim.kind == ClaimKind.INSTITUTION and claim.claimant == world["inst1"]
    [line] = claim.lines.all()
    if case.refused:
        assert line.status == "rejected"
        assert case.refused in str(line.explanation)
        assert not line.items.exists()
    else:
        assert line.status == "accepted", line.explanation
        assert _items(line) == case.expected
        assert line.total == sum(amount for _rule, _payee, amount, _org in case.expected)


def test_two_certificates_two_records_the_enterprise_paid_once(world, make_person, make_user):
    """One general and one specialised occupation, two certificates, two records
    (two of the person's three subsidised trainings of the year, HB45-CAP-1); WH20-SUB-3 on the
    first only, ``online`` false on the second."""
    entries = wh20_entries()
    person = _employee(make_person, world)
    general = finished_class(
        world, [person], entry=entries[3], start=START, days=2, insured_months=24
    )
    special = finished_class(
        world, [person], entry=entries[4], start=START, days=2, insured_months=24
    )
    for training_class in (general, special):
        skill_certificate(person, training_class)
    first = claim_assemble(actor=SYSTEM, training_class=general)
    second = claim_assemble(actor=SYSTEM, training_class=special)
    [line1], [line2] = first.lines.all(), second.lines.all()
    assert {i[0] for i in _items(line1)} == {"WH20-SUB-2", "WH20-SUB-3"}
    assert _items(line2) == {("WH20-SUB-1", "trainee", Decimal("1500.00"), None)}
    assert line1.record["online"] is True and line2.record["online"] is False
    assert "WH20-SUB-3" in str(line2.explanation)  # said, not silently dropped
    # HB45-CAP-1: the engine counted the first certificate as an earlier training of the year
    assert ClaimLine.objects.filter(person=person, status="accepted").count() == 2

    # the enterprise sees the item paid to it and the line it rests on, not the other
    hr = make_user("wh_ent1", "hr_clerk")
    own = visible(ClaimItem, hr).filter(line__person=person)
    assert list(own.values_list("rule", flat=True)) == ["WH20-SUB-3"]
    other = make_user("wh_ent2", "hr_clerk")
    assert not visible(ClaimItem, other).filter(line__person=person).exists()


def test_a_claim_assembled_again_keeps_its_enterprise_subsidy(world, make_person):
    """After a return the claim is assembled again: its own earlier line does not count as
    the employee's WH20-SUB-3 already paid."""
    entries = wh20_entries()
    person = _employee(make_person, world)
    training_class = finished_class(
        world, [person], entry=entries[3], start=START, days=2, insured_months=24
    )
    skill_certificate(person, training_class)
    claim = claim_assemble(actor=SYSTEM, training_class=training_class)
    claim_reassemble(actor=SYSTEM, claim=claim)
    [line] = claim.lines.all()
    assert "WH20-SUB-3" in {item.rule for item in line.items.all()}


def test_the_institutions_claim_is_reviewed_noticed_and_pays_the_enterprise_in_a_batch(
    world, make_person
):
    """由培训机构代申请: the institution's claim goes the way of every claim — documents,
    review, public notice — and the enterprise's WH20-SUB-3 joins the enterprise payees' batch
    on the enterprise's own account, the employee's WH20-SUB-2 the trainees' batch."""
    from datetime import timedelta

    from upskill.subsidies.models import PaymentItem
    from upskill.subsidies.services import (
        batch_create,
        claim_approve,
        claim_line_decide,
        claim_release_due,
        claim_submit,
        claim_take,
        payee_account_set,
    )

    from .factories import documents, fund

    person = _employee(make_person, world)
    training_class = finished_class(
        world, [person], entry=wh20_entries()[3], start=START, days=2, insured_months=24
    )
    skill_certificate(person, training_class)
    claim = claim_assemble(actor=SYSTEM, training_class=training_class)
    documents(claim)
    claim_submit(actor=SYSTEM, claim=claim)
    claim_take(actor=SYSTEM, claim=claim)
    [line] = claim.lines.all()
    claim_line_decide(actor=SYSTEM, line=line, approve=True)
    money = fund(world, year=2020)
    claim = claim_approve(actor=SYSTEM, claim=claim, fund=money, today=date(2020, 10, 9))
    claim_release_due(actor=SYSTEM, today=claim.notice_until + timedelta(days=1))
    payee_account_set(
        actor=SYSTEM,
        organisation=world["wh_ent1"],
        account_name=ENT1,
        account_number="42050110010000000456",
        bank_name="中国建设银行武汉东西湖支行",
    )
    batch = batch_create(
        actor=SYSTEM, fund=money, payee="enterprise", today=claim.notice_until + timedelta(days=2)
    )
    [payment] = PaymentItem.objects.filter(batch=batch)
    assert (payment.item.rule, payment.amount) == ("WH20-SUB-3", Decimal("1000.00"))
    assert payment.item.payee_organisation == world["wh_ent1"]


def test_the_learner_sees_their_class_certificate_and_subsidy_in_the_portal(
    world, make_person, client
):
    """/me/: the learner's own class, certificate and the subsidy paid to them (WH20-SUB-2),
    not the enterprise's WH20-SUB-3; another learner's portal shows none of it."""
    from upskill.core import hooks
    from upskill.registry.services import person_account_create

    person = _employee(make_person, world)
    training_class = finished_class(
        world, [person], entry=wh20_entries()[3], start=START, days=2, insured_months=24
    )
    certificate = skill_certificate(person, training_class)
    claim_assemble(actor=SYSTEM, training_class=training_class)
    user = person_account_create(
        actor=SYSTEM, person=person, username="learner-zm", password="x", check_password=False
    )
    sections = {s.key: s for s in hooks.portal_sections(person=person, user=user)}
    assert [card.title for card in sections["enrolments"].cards] == [training_class.name]
    [held] = sections["certificates"].cards
    assert any(certificate.serial in line for line in held.lines)
    [subsidy] = sections["subsidies"].cards
    assert "2000.00" in subsidy.lines[0] and "WH20-SUB-2" in subsidy.lines[0]
    client.force_login(user)
    body = client.get("/me/").content.decode()
    assert training_class.name in body and certificate.serial in body and "WH20-SUB-3" not in body

    stranger = person_account_create(
        actor=SYSTEM,
        person=_employee(make_person, world),
        username="learner-other",
        password="x",
        check_password=False,
    )
    other = {s.key: s for s in hooks.portal_sections(person=stranger.person, user=stranger)}
    assert all(not section.cards for section in other.values())
