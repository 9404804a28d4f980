"""Payment: payee accounts, batches (an amount reaches one batch once), the bank's file (full
numbers, access-logged) and the bank's results, retries and cancellations.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from upskill.core import hooks
from upskill.core.actor import user_of
from upskill.core.exports import csv_bytes, xlsx_bytes
from upskill.core.imports import Column, RowProblem, read_rows, run_import
from upskill.core.jobs import job_start
from upskill.core.masking import mask_account
from upskill.core.models import Job
from upskill.core.scoping import Actor, get_visible_or_404, require_perm
from upskill.core.services import AccessAction, access_log_record
from upskill.core.stored_text import stored_text
from upskill.organisations.models import Organisation
from upskill.training.models import Enrolment

from .. import ledger
from ..models import (
    Account,
    BatchStatus,
    CheckpointReason,
    ClaimItem,
    ClaimStatus,
    Decision,
    EntryKind,
    Fund,
    LedgerEntry,
    Payee,
    PayeeAccount,
    PaymentBatch,
    PaymentItem,
    PaymentStatus,
)
from ..selectors.payment import account_in_use, batch_rows
from ..tasks import bank_file_job
from ._common import ADD_BATCH, CHANGE_PAYEE, EXPORT, PAID_THROUGH_OWN_CLAIM, _advanced, _bureau
from .advances import advance_batch_add, advance_paid, advance_payment_cancelled, advances_due
from .review import claim_release_due

# A batch is settled when none of its payments is still one of these.
UNSETTLED = (PaymentStatus.PENDING, PaymentStatus.FAILED, PaymentStatus.HELD)

# The bank details a payment copies from the account when the batch is fixed, and clears when
# the payment is returned to the claim: saved together.
_ACCOUNT_FIELDS = (
    "bank_account",
    "account_name",
    "account_number",
    "account_number_masked",
    "bank_name",
    "branch_code",
)


def payee_account_set(
    *,
    actor: Actor,
    organisation: Organisation,
    account_name: str,
    account_number: str,
    bank_name: str,
    branch_code: str = "",
) -> PayeeAccount:
    require_perm(actor, CHANGE_PAYEE)
    organisation = get_visible_or_404(Organisation, actor, pk=organisation.pk)
    number = "".join(str(account_number).split())
    if not number.isdigit():
        raise ValidationError({"account_number": _("An account number has digits only.")})
    account, _created = PayeeAccount.objects.update_or_create(
        organisation=organisation,
        defaults={
            "account_name": account_name.strip(),
            "account_number": number,
            "account_number_masked": mask_account(number),
            "bank_name": bank_name.strip(),
            "branch_code": branch_code.strip(),
        },
    )
    return account


_batch_numbers = itertools.count(1)


@transaction.atomic
def batch_create(
    *, actor: Actor, fund: Fund, payee: str, today: date | None = None
) -> PaymentBatch:
    """Gather the approved, noticed and unpaid amounts of one kind of payee charged to the fund.
    Each claim item is locked (``select_for_update``) and can join one batch only (the unique
    ``PaymentItem.item``): paying twice is impossible. The payment clerk is never the reviewer
    of a claim they pay. Township fees (GA23-FEE-1) are paid through the township's own claim
    (:func:`claim_assemble_township`), never through the organiser's."""
    require_perm(actor, ADD_BATCH)
    _bureau(actor)
    today = today or timezone.localdate()
    if payee not in Payee.values:
        raise ValidationError({"payee": _("Choose the kind of payee.")})
    fund = get_visible_or_404(Fund, actor, pk=fund.pk)
    claim_release_due(actor=actor, today=today)
    user = user_of(actor)
    candidates = ClaimItem.objects.filter(
        PAID_THROUGH_OWN_CLAIM,
        payee=payee,
        line__decision=Decision.APPROVED,
        line__claim__status=ClaimStatus.PAYABLE,
        line__claim__fund=fund,
    ).exclude(pk__in=PaymentItem.objects.filter(item__isnull=False).values("item_id"))
    if user is not None:
        candidates = candidates.exclude(line__claim__reviewed_by=user)
    items = [
        i
        for i in candidates.select_for_update(of=("self",)).order_by("pk")
        if i.amount - _advanced(i) > 0  # an item the advance paid in full is not paid again
    ]
    # HB45-ADV-1: approved advances are paid to the organiser like any approved amount
    advances = advances_due(fund=fund, user=user) if payee == Payee.ORGANISER else []
    if not items and not advances:
        raise ValidationError(_("Nothing is due to this kind of payee from this fund."))
    batch = PaymentBatch.objects.create(
        reference=f"B{today:%Y%m%d}{timezone.now():%H%M%S%f}"[:24] + f"{next(_batch_numbers)}",
        county=fund.region,
        fund=fund,
        payee=payee,
        created_by=user,
    )
    made = 0
    for item in items:
        try:
            with transaction.atomic():
                PaymentItem.objects.create(
                    batch=batch, item=item, amount=item.amount - _advanced(item)
                )
            made += 1
        except IntegrityError:
            continue  # another batch took it first
    for advance in advances:
        try:
            with transaction.atomic():
                advance_batch_add(batch=batch, advance=advance)
            made += 1
        except IntegrityError:
            continue
    if not made:
        raise ValidationError(_("Nothing is due to this kind of payee from this fund."))
    return batch


def _fix_accounts(batch: PaymentBatch) -> None:
    """At the first export of a payment, copy the account it is exported with onto it; later
    exports of the same batch use that copy, so the bank file never changes silently."""
    now = timezone.now()
    for payment in batch.items.filter(
        status=PaymentStatus.PENDING, account_fixed_at__isnull=True
    ).select_related("item__line__person", "item__payee_organisation", "advance"):
        account = account_in_use(payment)
        if account is None:
            continue
        payment.account_fixed_at = now
        payment.bank_account = (
            account if payment.item and payment.item.payee == Payee.TRAINEE else None
        )
        payment.account_name = account.account_name
        payment.account_number = account.account_number
        payment.account_number_masked = account.account_number_masked
        payment.bank_name = account.bank_name
        payment.branch_code = account.branch_code
        payment.save(update_fields=["account_fixed_at", *_ACCOUNT_FIELDS])


def bank_header() -> list[str]:
    return [
        pgettext("bank file column", "Payment reference"),
        _("Account name"),
        _("Account number"),
        _("Bank"),
        _("Branch code"),
        _("Amount"),
    ]


BANK_FILE_JOB = "subsidies.bank_file"
BANK_FILE_FORMATS = ("xlsx", "csv")


def batch_export_start(*, actor: Actor, batch: PaymentBatch, fmt: str = "xlsx") -> Job:
    """Make the bank file as a background job with progress (:func:`batch_export_store`); the
    clerk downloads it from the job's page. A worker killed while it runs leaves the batch as it
    was (no payment counted as exported, no file kept); running it again gives the same file."""
    require_perm(actor, EXPORT)
    batch = get_visible_or_404(PaymentBatch, actor, pk=batch.pk)
    if fmt not in BANK_FILE_FORMATS:
        raise ValidationError(_("Choose Excel or CSV."))
    return job_start(
        actor=actor,
        kind=BANK_FILE_JOB,
        task=bank_file_job,
        title=_("Bank file %(batch)s") % {"batch": batch.reference},
        batch_id=batch.pk,
        fmt=fmt,
    )


def batch_export_store(
    *, actor: Actor, batch: PaymentBatch, fmt: str, prefix: str, progress=None
) -> str:
    """The bank file stored under ``prefix`` (the job's files), in the caller's transaction: the
    job commits the export (attempts, the batch's state, the access log) together with its
    result, so a crash before the commit keeps none of it and the stored file is deleted with
    the failed job's files."""
    content, name = batch_export(actor=actor, batch=batch, fmt=fmt, progress=progress)
    return default_storage.save(f"{prefix}{name}", ContentFile(content))


def bank_file_latest(*, actor: Actor, batch: PaymentBatch) -> Job | None:
    """The newest bank file made for the batch by a job the actor may see."""
    return (
        Job.objects.visible_to(actor)
        .filter(kind=BANK_FILE_JOB, status="done", result__batch=batch.pk)
        .order_by("-finished_at", "-pk")
        .first()
    )


def bank_file_download(*, actor: Actor, batch: PaymentBatch) -> tuple[bytes, str]:
    """The newest bank file of the batch, for the payment clerk; each download is written to
    the access log (it holds the full account numbers)."""
    require_perm(actor, EXPORT)
    batch = get_visible_or_404(PaymentBatch, actor, pk=batch.pk)
    job = bank_file_latest(actor=actor, batch=batch)
    if job is None or not default_storage.exists(job.result["file"]):
        raise ValidationError(_("No bank file has been made for this batch yet."))
    with default_storage.open(job.result["file"], "rb") as handle:
        content = handle.read()
    access_log_record(
        actor=actor,
        action=AccessAction.EXPORT,
        obj=batch,
        field="account_number",
        description=stored_text(
            gettext_lazy("Bank file %(batch)s downloaded"), batch=batch.reference
        ),
        row_count=int(job.result.get("rows") or 0),
    )
    return content, job.result["name"]


@transaction.atomic
def batch_export(
    *, actor: Actor, batch: PaymentBatch, fmt: str = "xlsx", progress=None
) -> tuple[bytes, str]:
    """The bank's disbursement file (Excel or CSV) with the full account numbers: the payment
    clerk's permission only, and written to the access log. ``progress(done, total)`` is told
    of each row written."""
    require_perm(actor, EXPORT)
    batch = get_visible_or_404(
        PaymentBatch.objects.select_for_update(of=("self",)), actor, pk=batch.pk
    )
    _fix_accounts(batch)
    rows = batch_rows(batch, full=True)
    missing = [r.reference for r in rows if not r.account_number]
    if missing:
        raise ValidationError(
            _(
                "No bank account is known for: %(refs)s. Hold these payments out of the batch "
                "(with the reason) to export the rest."
            )
            % {"refs": ", ".join(missing)}
        )
    if not rows:
        raise ValidationError(_("Nothing in this batch is waiting to be paid."))
    access_log_record(
        actor=actor,
        action=AccessAction.EXPORT,
        obj=batch,
        field="account_number",
        description=stored_text(
            gettext_lazy("Bank file %(batch)s (%(format)s)"), batch=batch.reference, format=fmt
        ),
        row_count=len(rows),
    )
    PaymentItem.objects.filter(batch=batch, status=PaymentStatus.PENDING).update(
        attempts=F("attempts") + 1
    )
    batch.status = BatchStatus.EXPORTED
    batch.exported_at = timezone.now()
    batch.save(update_fields=["status", "exported_at"])
    # Each bank file anchors the ledger as it stands: a signed checkpoint outside the database
    # (HB45-PUB-1), once the export is committed.
    transaction.on_commit(
        lambda: ledger.checkpoint_quietly(actor=actor, reason=CheckpointReason.EXPORT)
    )
    values = []
    for number, r in enumerate(rows, 1):
        values.append(
            [r.reference, r.account_name, r.account_number, r.bank_name, r.branch_code, r.amount]
        )
        if progress is not None:
            progress(number, len(rows))
    if fmt == "csv":
        cents = Decimal("0.01")
        return (
            csv_bytes(bank_header(), [[*row[:5], row[5].quantize(cents)] for row in values]),
            f"{batch.reference}.csv",
        )
    return xlsx_bytes(batch.reference, bank_header(), values), f"{batch.reference}.xlsx"


def result_columns() -> list[Column]:
    return [
        # the bank file's own reference column is accepted back (a round trip, issue 15.5)
        Column(
            "reference",
            (
                "Reference",
                "Payment reference",
                pgettext("bank file column", "Payment reference"),
                "付款编号",
                "参考号",
                "业务编号",
                "流水号",
                "摘要",
            ),
        ),
        Column("status", ("Status", "Result", "状态", "结果", "处理结果", "支付结果")),
        Column(
            "reason", ("Reason", "原因", "失败原因", "备注", "说明", "结果说明"), required=False
        ),
    ]


_PAID = {"paid", "成功", "已支付", "支付成功", "success", "ok"}


_FAILED = {"failed", "失败", "支付失败", "退票", "failure"}


@transaction.atomic
def batch_results_import(*, actor: Actor, batch: PaymentBatch, upload, progress=None) -> dict:
    """The bank's answer, all or nothing (core.imports): paid → a payment entry in the ledger;
    failed with its reason → retried in the next export or cancelled."""
    require_perm(actor, EXPORT)
    batch = get_visible_or_404(
        PaymentBatch.objects.select_for_update(of=("self",)), actor, pk=batch.pk
    )
    payments = {
        p.reference: p for p in batch.items.select_related("batch", "item__line", "advance")
    }
    rows = read_rows(upload, result_columns())

    def validate(row: int, values: dict[str, str]):
        payment = payments.get(values["reference"])
        if payment is None:
            raise RowProblem("reference", _("No payment of this batch has this reference."))
        status = values["status"].strip().lower()
        if status in _PAID:
            outcome = PaymentStatus.PAID
        elif status in _FAILED:
            outcome = PaymentStatus.FAILED
            if not values.get("reason"):
                raise RowProblem("reason", _("Give the bank's reason of the failure."))
        else:
            raise RowProblem("status", _("Write paid (成功) or failed (失败)."))
        if payment.status != PaymentStatus.PENDING:
            raise RowProblem(
                "reference",
                _("This payment is already %(s)s.") % {"s": payment.get_status_display()},
            )
        return payment, outcome, values.get("reason", "")

    def apply(checked):
        paid = failed = 0
        enrolments: set[int] = set()
        for _row, (payment, outcome, reason) in checked:
            payment.status = outcome
            payment.failure_reason = reason[:255] if outcome == PaymentStatus.FAILED else ""
            payment.save(update_fields=["status", "failure_reason"])
            if outcome == PaymentStatus.PAID and payment.advance_id:
                paid += 1
                advance_paid(actor=actor, payment=payment)  # HB45-ADV-1
            elif outcome == PaymentStatus.PAID:
                paid += 1
                ledger.append(
                    actor=actor,
                    kind=EntryKind.PAYMENT,
                    account=Account.DISBURSED,
                    fund=batch.fund,
                    amount=payment.amount,
                    rule=payment.item.rule,
                    memo=payment.reference,
                    claim_line=payment.item.line,
                    claim_item=payment.item,
                    batch=batch,
                    person=payment.item.line.person,
                    organisation=payment.item.payee_organisation,
                )
            else:
                failed += 1
            if outcome == PaymentStatus.PAID and payment.item_id and payment.item.line.enrolment_id:
                enrolments.add(payment.item.line.enrolment_id)
        if enrolments:  # the paid amounts of the progress dashboards (reports), in this transaction
            hooks.call(
                hooks.CLASS_FIGURES_CHANGED,
                class_ids=set(
                    Enrolment.objects.filter(pk__in=enrolments).values_list(
                        "training_class_id", flat=True
                    )
                ),
            )
        if not batch.items.filter(status__in=UNSETTLED).exists():
            batch.status = BatchStatus.CLOSED
            batch.save(update_fields=["status"])
        return {"paid": paid, "failed": failed}

    return run_import(rows=rows, validate=validate, apply=apply, progress=progress)


@transaction.atomic
def payment_retry(*, actor: Actor, payment: PaymentItem) -> PaymentItem:
    """A failed payment goes out again with the batch's next file (after the account was fixed):
    the account it was exported with is released, so the next export takes the account in use
    then (the failed one stays in the payment's history)."""
    require_perm(actor, EXPORT)
    payment = get_visible_or_404(
        PaymentItem.objects.select_for_update(of=("self",)), actor, pk=payment.pk
    )
    if payment.status != PaymentStatus.FAILED:
        raise ValidationError(_("Only a failed payment is retried."))
    payment.status = PaymentStatus.PENDING
    payment.account_fixed_at = None
    payment.bank_account = None
    payment.account_name = payment.account_number = payment.account_number_masked = ""
    payment.bank_name = payment.branch_code = ""
    payment.save(update_fields=["status", "account_fixed_at", *_ACCOUNT_FIELDS])
    PaymentBatch.objects.filter(pk=payment.batch_id).update(status=BatchStatus.OPEN)
    return payment


@transaction.atomic
def payment_cancel(*, actor: Actor, payment: PaymentItem, reason: str) -> PaymentItem:
    """A failed payment given up: its charge to the fund is reversed."""
    require_perm(actor, EXPORT)
    payment = get_visible_or_404(
        PaymentItem.objects.select_for_update(of=("self",)), actor, pk=payment.pk
    )
    if payment.status != PaymentStatus.FAILED:
        raise ValidationError(_("Only a failed payment is cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if payment.advance_id:
        advance_payment_cancelled(actor=actor, payment=payment, reason=reason.strip())
    for entry in LedgerEntry.objects.filter(
        claim_item=payment.item, kind=EntryKind.CHARGE, reversed_by__isnull=True
    ).exclude(claim_item__isnull=True):
        ledger.reverse(actor=actor, entry=entry, memo=reason.strip())
    payment.status = PaymentStatus.CANCELLED
    payment.failure_reason = reason.strip()[:255]
    payment.save(update_fields=["status", "failure_reason"])
    batch = payment.batch
    if not batch.items.filter(status__in=UNSETTLED).exists():
        PaymentBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.CLOSED)
    return payment


@transaction.atomic
def payment_hold(*, actor: Actor, payment: PaymentItem, reason: str) -> PaymentItem:
    """The payment clerk holds a payment out of the batch, with the reason (a payee without a
    bank account, issue 15.5), so the rest of the batch is exported; it stays in the batch,
    waits in the clerk's queue, and is released once the account is known."""
    require_perm(actor, EXPORT)
    payment = get_visible_or_404(
        PaymentItem.objects.select_for_update(of=("self",)), actor, pk=payment.pk
    )
    if payment.status != PaymentStatus.PENDING:
        raise ValidationError(_("Only a payment waiting to be sent is held."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason of the hold.")})
    payment.status = PaymentStatus.HELD
    payment.hold_reason = reason.strip()[:255]
    payment._change_reason = payment.hold_reason
    payment.save(update_fields=["status", "hold_reason"])
    return payment


@transaction.atomic
def payment_release(*, actor: Actor, payment: PaymentItem) -> PaymentItem:
    """A held payment goes back into its batch and out with the batch's next file, with the
    account then in use (refused while the payee still has none)."""
    require_perm(actor, EXPORT)
    payment = get_visible_or_404(
        PaymentItem.objects.select_for_update(of=("self",)).select_related(
            "item__line__person", "item__payee_organisation", "advance"
        ),
        actor,
        pk=payment.pk,
    )
    if payment.status != PaymentStatus.HELD:
        raise ValidationError(_("Only a held payment is released."))
    if account_in_use(payment) is None:
        raise ValidationError(_("The payee still has no bank account; record it first."))
    payment.status = PaymentStatus.PENDING
    payment.save(update_fields=["status"])
    PaymentBatch.objects.filter(pk=payment.batch_id).update(status=BatchStatus.OPEN)
    return payment
