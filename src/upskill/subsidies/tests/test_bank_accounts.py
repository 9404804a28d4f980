"""A trainee's living allowance (GA23-LIV-1/2) goes to the trainee's own account: who may record
or change it, when a change needs the payment clerk's confirmation, the holder-name exception,
and the account an exported bank file keeps."""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from upskill.core.masking import mask_account
from upskill.core.scoping import SYSTEM
from upskill.registry import services as registry_services
from upskill.registry.models import ChangeStatus
from upskill.registry.services import bank_account_set
from upskill.subsidies import selectors, services
from upskill.training.services import enrolment_withdraw
from upskill.training.tests.factories import enrol, make_class

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


def _fresh(user):
    """The user again, without the permission cache of an earlier check."""
    return type(user).objects.get(pk=user.pk)


def _answer(reference: str, outcome: str, reason: str = "") -> io.BytesIO:
    upload = io.BytesIO(f"参考号,结果,原因\n{reference},{outcome},{reason}\n".encode())
    upload.name = "result.csv"
    return upload


def test_a_change_after_approval_waits_for_the_payment_clerk(approved, users):
    claim, zhang = approved
    assert selectors.person_has_unpaid_money(person=zhang)
    result = _account(users["clerk"], zhang, OTHER)
    change = result.change
    assert result.account is None and change.status == ChangeStatus.PENDING
    assert change.needs_confirmation and not change.needs_exception
    assert zhang.bank_accounts.get(is_active=True).account_number == OWN
    # one change at a time
    with pytest.raises(ValidationError, match="awaits the bureau"):
        _account(users["clerk"], zhang, THIRD)
    # the reviewer does not confirm payments; a rejection needs its reason
    with pytest.raises(PermissionDenied):
        registry_services.bank_account_change_confirm(
            actor=users["reviewer"], change=change, approve=True
        )
    with pytest.raises(ValidationError):
        registry_services.bank_account_change_confirm(
            actor=users["payer"], change=change, approve=False
        )
    registry_services.bank_account_change_confirm(
        actor=users["payer"], change=change, approve=True, reason="本人到柜台核实"
    )
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPLIED and change.confirmed_by == users["payer"]
    assert zhang.bank_accounts.get(is_active=True) == change.account
    assert change.account.account_number == OTHER
    assert [row[2] for row in _bank_file(users, claim)] == [OTHER]
    # every step is in the history
    assert [h.status for h in change.history.order_by("history_id")] == [
        "pending",
        "pending",
        "applied",
    ]


def test_the_confirmer_is_never_the_one_who_asked(approved, users):
    _claim, zhang = approved
    # a payment clerk who may also change persons asks for a change: another confirms it
    role = users["payer"].role
    role.permissions.add(
        Permission.objects.get(content_type__app_label="registry", codename="change_person")
    )
    payer, payer2 = _fresh(users["payer"]), _fresh(users["payer2"])
    change = _account(payer, zhang, OTHER).change
    assert change.status == ChangeStatus.PENDING and change.requested_by == payer
    with pytest.raises(PermissionDenied):
        registry_services.bank_account_change_confirm(actor=payer, change=change, approve=True)
    registry_services.bank_account_change_confirm(actor=payer2, change=change, approve=True)
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPLIED and change.confirmed_by == payer2


def test_another_holder_needs_the_reviewers_exception(make_person, make_user, users):
    zhang = make_person(name="张伟")
    with pytest.raises(ValidationError, match="exception"):
        _account(SYSTEM, zhang, OWN, name="张三")
    assert not zhang.bank_accounts.exists()
    admin = make_user("gongan", "admin")
    change = _account(
        admin, zhang, OWN, name="张三", exception_reason="本人无卡，由父亲代收"
    ).change
    assert change.status == ChangeStatus.PENDING and change.needs_exception
    assert not change.needs_confirmation
    assert not zhang.bank_accounts.exists()  # not payable before the exception
    with pytest.raises(PermissionDenied):  # the payment clerk does not decide exceptions
        registry_services.bank_account_exception_decide(
            actor=users["payer"], change=change, approve=True, reason="同意"
        )
    with pytest.raises(ValidationError):  # the reason is recorded
        registry_services.bank_account_exception_decide(
            actor=users["reviewer"], change=change, approve=True, reason=""
        )
    registry_services.bank_account_exception_decide(
        actor=users["reviewer"], change=change, approve=True, reason="核实父子关系，同意代收"
    )
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPLIED
    assert change.exception_decided_by == users["reviewer"]
    assert change.decision_reason == "核实父子关系，同意代收"
    assert zhang.bank_accounts.get(is_active=True).account_name == "张三"


def test_a_refused_exception_leaves_the_account_in_use(approved, users, make_user):
    _claim, zhang = approved
    admin = make_user("gongan", "admin")
    change = _account(admin, zhang, OTHER, name="王五", exception_reason="代收").change
    assert change.needs_exception and change.needs_confirmation
    registry_services.bank_account_exception_decide(
        actor=users["reviewer"], change=change, approve=False, reason="无亲属关系证明"
    )
    change.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED and change.account is None
    assert zhang.bank_accounts.get(is_active=True).account_number == OWN


def test_an_exception_approved_after_money_was_approved_also_needs_the_payment_clerk(
    world, make_person, make_user, finished_class, users
):
    factories.training_standard()
    zhang = make_person(name="张伟")
    admin = make_user("gongan", "admin")
    change = _account(admin, zhang, OWN, name="张三", exception_reason="代收").change
    assert not change.needs_confirmation
    training_class = finished_class([zhang])
    claim = services.claim_assemble(actor=users["clerk"], training_class=training_class)
    factories.documents(claim, users["clerk"])
    services.claim_submit(actor=users["clerk"], claim=claim)
    services.claim_take(actor=users["reviewer"], claim=claim)
    for line in claim.lines.filter(decision="pending"):
        services.claim_line_decide(actor=users["reviewer"], line=line, approve=True)
    registry_services.bank_account_exception_decide(
        actor=users["reviewer"], change=change, approve=True, reason="同意代收"
    )
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING and change.needs_confirmation
    registry_services.bank_account_change_confirm(actor=users["payer"], change=change, approve=True)
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPLIED


def test_an_institution_records_accounts_only_for_its_enrolled_trainees(
    world, make_person, make_user, finished_class, users
):
    zhang = make_person(name="张伟")
    training_class = finished_class([zhang])
    # inst1 trains him and no money is approved: its change is in use at once
    result = _account(users["clerk"], zhang, OWN)
    assert result.change.status == ChangeStatus.APPLIED and result.account.is_active
    # inst2 does not train him: knowing his ID number gives it no way to record his account
    other = make_user("inst2", "clerk")
    with pytest.raises((PermissionDenied, Http404)):
        _account(other, zhang, OTHER)
    # the township centre of his residence keeps its right, under the same rules
    township = make_user("township:421022101", "clerk")
    assert _account(township, zhang, OTHER).change.status == ChangeStatus.APPLIED
    # a withdrawn trainee is no longer the institution's to change
    running = make_class(world, status="running")
    enrolment = enrol(running, make_person, name="李娜")[0]
    li = enrolment.person
    assert _account(users["clerk"], li, OWN).account is not None
    enrolment_withdraw(actor=SYSTEM, enrolment=enrolment, reason="个人原因")
    with pytest.raises(PermissionDenied):
        _account(users["clerk"], li, OTHER)
    assert training_class.pk


def test_unpaid_money_ends_with_the_payment_or_its_cancellation(approved, users):
    claim, zhang = approved
    assert selectors.person_has_unpaid_money(person=zhang)
    batch = services.batch_create(
        actor=users["payer"], fund=claim.fund, payee="trainee", today=AFTER_NOTICE
    )
    content, _name = services.batch_export(actor=users["payer"], batch=batch, fmt="csv")
    reference = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1][0]
    services.batch_results_import(
        actor=users["payer"], batch=batch, upload=_answer(reference, "失败", "账户已销户")
    )
    assert selectors.person_has_unpaid_money(person=zhang)  # failed: still owed
    payment = batch.items.get()
    services.payment_cancel(actor=users["payer"], payment=payment, reason="本人放弃")
    assert not selectors.person_has_unpaid_money(person=zhang)
    assert _account(users["clerk"], zhang, OTHER).change.status == ChangeStatus.APPLIED


def test_an_exported_payment_keeps_its_account_and_a_retry_takes_the_new_one(
    approved, users, client
):
    claim, zhang = approved
    batch = services.batch_create(
        actor=users["payer"], fund=claim.fund, payee="trainee", today=AFTER_NOTICE
    )
    content, _name = services.batch_export(actor=users["payer"], batch=batch, fmt="csv")
    first = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1]
    assert first[2] == OWN
    payment = batch.items.get()
    assert payment.account_fixed_at and payment.account_number == OWN
    # the account changes, properly confirmed, after the export
    change = _account(users["clerk"], zhang, OTHER).change
    change = registry_services.bank_account_change_confirm(
        actor=users["payer"], change=change, approve=True
    )
    content, _name = services.batch_export(actor=users["payer"], batch=batch, fmt="csv")
    assert list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1][2] == OWN
    assert selectors.batch_rows(batch)[0].account_number == mask_account(OWN)
    # the batch page says so, masked, and links the account's changes
    client.force_login(users["payer"])
    page = client.get(f"/subsidies/batches/{batch.pk}/").content.decode()
    assert 'data-testid="account-changed"' in page and mask_account(OTHER) in page
    assert f"/registry/bank-account-changes/?person={zhang.pk}" in page
    assert OWN not in page and OTHER not in page
    # the bank refuses the old account; the retry goes to the account in use now
    services.batch_results_import(
        actor=users["payer"], batch=batch, upload=_answer(first[0], "失败", "账户已销户")
    )
    services.payment_retry(actor=users["payer"], payment=payment)
    content, _name = services.batch_export(actor=users["payer"], batch=batch, fmt="csv")
    assert list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1][2] == OTHER
    payment.refresh_from_db()
    assert payment.bank_account == change.account
    # both accounts it was sent to are in the payment's history (masked on the history page)
    assert {h.account_number_masked for h in payment.history.all()} >= {
        mask_account(OWN),
        mask_account(OTHER),
    }


def test_the_batch_page_shows_a_pending_change_and_the_queue_confirms_it(approved, users, client):
    claim, zhang = approved
    batch = services.batch_create(
        actor=users["payer"], fund=claim.fund, payee="trainee", today=AFTER_NOTICE
    )
    change = _account(users["clerk"], zhang, OTHER).change
    client.force_login(users["payer"])
    page = client.get(f"/subsidies/batches/{batch.pk}/").content.decode()
    assert 'data-testid="account-change-pending"' in page
    queue = client.get("/registry/bank-account-changes/").content.decode()
    assert f'data-change="{change.pk}"' in queue and mask_account(OTHER) in queue
    assert OTHER not in queue
    response = client.post(
        f"/registry/bank-account-changes/{change.pk}/confirm/", {"decision": "approve"}
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPLIED
    # the institution's clerk follows it; it may not decide it
    client.force_login(users["clerk"])
    history = client.get(f"/registry/bank-account-changes/?person={zhang.pk}").content.decode()
    assert f'data-change="{change.pk}"' in history
    other = _account(users["clerk"], zhang, THIRD).change
    response = client.post(
        f"/registry/bank-account-changes/{other.pk}/confirm/", {"decision": "approve"}
    )
    assert response.status_code == 403


def test_the_api_records_lists_and_confirms(approved, users, client):
    _claim, zhang = approved
    client.force_login(users["clerk"])
    response = client.post(
        f"/api/persons/{zhang.pk}/bank-account",
        {
            "kind": "card",
            "account_name": "张伟",
            "account_number": OTHER,
            "bank_name": "中国工商银行公安支行",
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "pending"
    assert OTHER not in response.content.decode()
    change_id = response.json()["id"]
    client.force_login(users["payer"])
    listed = client.get("/api/bank-account-changes").json()["items"]
    assert [c["id"] for c in listed] == [change_id]
    response = client.post(
        f"/api/bank-account-changes/{change_id}/confirm",
        {"approve": True},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "applied"
