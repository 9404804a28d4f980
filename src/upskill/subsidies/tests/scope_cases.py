"""Who sees the subsidies app's records (docs/roles.md): claims — the claimant and the county
bureau; funds, batches, payments and the ledger — the county bureau (payment clerks, auditors by
permission); the working-day calendar — everyone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from upskill.core.scoping import SYSTEM
from upskill.core.testing import Route, ScopeCase
from upskill.organisations.models import Region
from upskill.subsidies import ledger
from upskill.subsidies.models import CheckpointReason
from upskill.subsidies.services import (
    advance_apply,
    calendar_day_set,
    fund_rule_set,
    objection_lodge,
    payee_account_set,
)

from . import advance_factories, factories

_CLAIM_OUTSIDERS = (
    ("inst2", "clerk"),
    ("wuhan", "reviewer"),
    ("township:421022102", "clerk"),
    ("federation", "clerk"),
)
_BUREAU_OUTSIDERS = (
    ("wuhan", "admin"),
    ("inst1", "clerk"),
    ("township:421022101", "clerk"),
)


def _fund(world, **_):
    return factories.fund(world)


def _calendar_day(**_):
    return calendar_day_set(actor=SYSTEM, day=date(2023, 6, 1), kind="holiday", name="县庆")


def _claim(world, make_person, **_):
    return factories.submitted_claim(world, make_person)


def _township_claim(world, make_person, make_user, **_):
    return factories.township_claim(world, make_person, make_user("township:421022101", "clerk"))


def _line(world, make_person, **_):
    return _claim(world, make_person).lines.first()


def _item(world, make_person, **_):
    return _line(world, make_person).items.first()


def _document(world, make_person, **_):
    return _claim(world, make_person).documents.first()


def _objection(world, make_person, **_):
    claim = factories.noticed_claim(world, make_person)
    return objection_lodge(
        actor=SYSTEM, claim=claim, lodged_by="群众", text="未参训", today=date(2023, 6, 5)
    )


def _payee_account(world, **_):
    return payee_account_set(
        actor=SYSTEM,
        organisation=world["inst1"],
        account_name="公安县职业技术培训学校",
        account_number="42050110010000000123",
        bank_name="中国建设银行公安支行",
    )


def _batch(world, make_person, **_):
    return factories.organiser_batch(world, make_person)


def _payment(world, make_person, **_):
    return _batch(world, make_person).items.first()


def _entry(world, **_):
    return ledger.append(
        actor=SYSTEM,
        kind="charge",
        account="committed",
        fund=factories.fund(world),
        amount=Decimal("96.00"),
        rule="GA23-LIV-1",
    )


def _checkpoint(world, **_):
    _entry(world)
    return ledger.checkpoint(actor=SYSTEM, reason=CheckpointReason.MANUAL)


def _advance(world, make_person, make_user, **_):
    """江城精密's advance on its running Wuhan 2020 class (HB45-ADV-1)."""
    district = Region.objects.get(code="420112")
    person = make_person(township_code="", county=district)
    training_class = advance_factories.running_class(world, [person])
    return advance_apply(actor=make_user("wh_ent1", "hr_clerk"), training_class=training_class)


def _advance_deduction(world, make_person, make_user, **_):
    advance = _advance(world, make_person, make_user)
    fund = advance_factories.wuhan_fund()
    return advance_factories.deducted(world, advance, fund)


def _fund_rule(**_):
    return fund_rule_set(
        actor=SYSTEM,
        region=Region.objects.get(code="421022"),
        source="skills_account",
        kinds=["training_subsidy"],
    )


_WUHAN_OUTSIDERS = (
    ("wh_ent2", "hr_clerk"),
    ("gongan", "reviewer"),
    ("inst1", "clerk"),
    ("federation", "clerk"),
)


SCOPE_CASES = [
    ScopeCase(
        name="Advance",
        make=_advance,
        owner=("wh_ent1", "hr_clerk"),
        outsiders=_WUHAN_OUTSIDERS,
        admin=False,  # the admin outsider is Wuhan's own administrator
        page_url=lambda a: f"/subsidies/advances/{a.pk}/",
        routes=(
            Route("post", lambda a: f"/subsidies/advances/{a.pk}/approve/"),
            Route("post", lambda a: f"/subsidies/advances/apply/{a.training_class_id}/"),
        ),
    ),
    ScopeCase(
        name="AdvanceDeduction",
        make=_advance_deduction,
        owner=("wuhan", "reviewer"),
        outsiders=_WUHAN_OUTSIDERS,
        admin=False,
    ),
    ScopeCase(
        name="FundRule",
        make=_fund_rule,
        owner=("gongan", "admin"),
        outsiders=_BUREAU_OUTSIDERS,
    ),
    ScopeCase(
        name="Fund", make=_fund, owner=("gongan", "payment_clerk"), outsiders=_BUREAU_OUTSIDERS
    ),
    ScopeCase(
        name="CalendarDay",
        make=_calendar_day,
        owner=("wh_ent1", "hr_clerk"),  # the official calendar is public
        outsiders=(),
        admin=False,
        without_perm=("gongan", "reviewer"),
        perm_url=lambda d: "/subsidies/calendar/",
    ),
    ScopeCase(
        name="Claim",
        make=_claim,
        owner=("inst1", "clerk"),
        outsiders=_CLAIM_OUTSIDERS,
        page_url=lambda c: f"/subsidies/claims/{c.pk}/",
        api_url=lambda c: f"/api/claims/{c.pk}",
        routes=(
            Route("get", lambda c: f"/api/claims/{c.pk}/lines"),
            Route("post", lambda c: f"/subsidies/claims/{c.pk}/documents/"),
            Route("post", lambda c: f"/subsidies/claims/{c.pk}/submit/"),
            # the generated roster of qualified trainees (HB61-DOC-1)
            Route("get", lambda c: f"/subsidies/claims/{c.pk}/roster.pdf"),
        ),
        without_perm=("gongan", "inspector"),
        perm_url=lambda c: f"/subsidies/claims/{c.pk}/take/",
        perm_method="post",
    ),
    ScopeCase(
        name="Claim (township's management fees, GA23-FEE-1)",
        make=_township_claim,
        owner=("township:421022101", "clerk"),
        outsiders=(
            ("township:421022102", "clerk"),
            ("inst1", "clerk"),
            ("wuhan", "reviewer"),
            ("federation", "clerk"),
        ),
        page_url=lambda c: f"/subsidies/claims/{c.pk}/",
        api_url=lambda c: f"/api/claims/{c.pk}",
        without_perm=("gongan", "inspector"),
        perm_url=lambda c: f"/subsidies/claims/{c.pk}/take/",
        perm_method="post",
    ),
    ScopeCase(
        name="ClaimLine",
        make=_line,
        owner=("gongan", "reviewer"),
        outsiders=_CLAIM_OUTSIDERS,
        api_url=lambda line: f"/api/claim-lines/{line.pk}",
        without_perm=("inst1", "clerk"),
        perm_url=lambda line: f"/subsidies/lines/{line.pk}/decide/",
        perm_method="post",
        routes=(Route("post", lambda line: f"/subsidies/lines/{line.pk}/decide/"),),
    ),
    ScopeCase(name="ClaimItem", make=_item, owner=("inst1", "clerk"), outsiders=_CLAIM_OUTSIDERS),
    ScopeCase(
        name="ClaimDocument", make=_document, owner=("inst1", "clerk"), outsiders=_CLAIM_OUTSIDERS
    ),
    ScopeCase(
        name="Objection",
        make=_objection,
        owner=("gongan", "reviewer"),
        outsiders=_CLAIM_OUTSIDERS,
        routes=(Route("post", lambda o: f"/subsidies/objections/{o.pk}/resolve/"),),
    ),
    ScopeCase(
        name="PayeeAccount",
        make=_payee_account,
        owner=("inst1", "clerk"),
        outsiders=(("inst2", "clerk"), ("wuhan", "admin"), ("township:421022101", "clerk")),
    ),
    ScopeCase(
        name="PaymentBatch",
        make=_batch,
        owner=("gongan", "payment_clerk"),
        outsiders=_BUREAU_OUTSIDERS,
        page_url=lambda b: f"/subsidies/batches/{b.pk}/",
        api_url=lambda b: f"/api/payment-batches/{b.pk}",
        routes=(
            Route("post", lambda b: f"/subsidies/batches/{b.pk}/results/"),
            Route("post", lambda b: f"/subsidies/batches/{b.pk}/export.csv"),
            Route("get", lambda b: f"/subsidies/batches/{b.pk}/bank-file/"),
        ),
        without_perm=("gongan", "reviewer"),
        perm_url=lambda b: f"/subsidies/batches/{b.pk}/",
    ),
    ScopeCase(
        name="PaymentItem",
        make=_payment,
        owner=("gongan", "payment_clerk"),
        outsiders=_BUREAU_OUTSIDERS,
        without_perm=("gongan", "auditor"),
        perm_url=lambda p: f"/subsidies/payments/{p.pk}/retry/",
        perm_method="post",
        routes=(Route("post", lambda p: f"/subsidies/payments/{p.pk}/retry/"),),
    ),
    ScopeCase(
        name="LedgerEntry",
        make=_entry,
        owner=("gongan", "auditor"),
        outsiders=(("wuhan", "auditor"), ("inst1", "clerk"), ("township:421022101", "clerk")),
        api_url=lambda e: f"/api/ledger-entries/{e.seq}",
        without_perm=("gongan", "reviewer"),
        perm_url=lambda e: "/subsidies/ledger/",
    ),
    # A checkpoint covers the whole ledger (numbers and hashes, no amounts): every bureau's
    # auditors may check it, so a bureau of another city is no outsider and the admin case
    # (ADMIN_OUTSIDER is one) does not apply; institutions and townships never see it.
    ScopeCase(
        name="LedgerCheckpoint",
        make=_checkpoint,
        owner=("gongan", "auditor"),
        outsiders=(("inst1", "clerk"), ("township:421022101", "clerk")),
        admin=False,
        without_perm=("gongan", "reviewer"),
        perm_url=lambda c: "/subsidies/ledger/",
    ),
]
