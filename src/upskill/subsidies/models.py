"""Subsidy claims, their review and public notice, payment batches and the fund ledger.

Money leaves the public purse here. A claim is assembled by the system from the records it holds
(class, enrolments, attendance, assessments) and priced only by the policy engine; a claim line
keeps the engine's items and explanation. Every money movement is an append-only, hash-chained
:class:`LedgerEntry` (HB45-PUB-1); corrections are reversing entries, never edits.

Who sees what (docs/roles.md): a claim — the claimant organisation and the bureau of the county;
township management fees — the township centre they are payable to; funds, payment batches,
bank files and the ledger — the county bureau (the roles' permissions narrow it to payment
clerks and auditors); the working-day calendar and the disclosure aggregates — everyone.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upskill.core.fields import EncryptedTextField
from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.organisations.models import Organisation, OrganisationKind, Region
from upskill.registry.models import Person

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


def _bureau_q(organisation: Organisation, path: str) -> Q | None:
    prefix = organisation.jurisdiction_prefix
    if prefix:
        return Q(**{f"{path}__code__startswith": prefix})
    return None


# -- funds ----------------------------------------------------------------------------------------


class FundSource(models.TextChoices):
    EMPLOYMENT = "employment_fund", _("Employment subsidy fund (就业补助资金)")
    SKILLS_ACCOUNT = (
        "skills_account",
        _("Skills upgrading action account (职业技能提升行动专账资金)"),
    )
    UNEMPLOYMENT_INSURANCE = (
        "unemployment_insurance",
        _("Unemployment insurance fund (失业保险基金)"),
    )


class FundQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Funds: the bureaus whose jurisdiction holds the fund's region; nobody else."""
        q = _bureau_q(organisation, "region")
        return self.filter(q) if q is not None else self.none()


class Fund(models.Model):
    """A fund source's budget for one year in one county (HB45-PUB-1)."""

    source = models.CharField(_("fund source"), max_length=32, choices=FundSource.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    budget = models.DecimalField(_("budget"), **MONEY)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = FundQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-year", "region", "source"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.UniqueConstraint(fields=["source", "region", "year"], name="fund_unique"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="fund_budget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_display()} {self.region.name}"


# -- working-day calendar ------------------------------------------------------------------------


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (no work)")
    WORKDAY = "workday", _("Make-up working day")


class EveryoneQuerySet(ScopedQuerySet):
    """Published data every organisation may read (the official calendar)."""

    def scope_for(self, organisation: Organisation):
        """The working-day calendar: every organisation."""
        return self.all()


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday on a weekday or a make-up working
    day on a weekend. Seeded from the ``chinese-calendar`` library, editable by the bureau.
    Public notice periods (HB45-PUB-1) are counted in working days."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=64, blank=True)
    from_library = models.BooleanField(_("from the official calendar"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EveryoneQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


# -- claims ------------------------------------------------------------------------------------


class ClaimKind(models.TextChoices):
    INSTITUTION = "institution", _("Institution: a finished class")
    ENTERPRISE = "enterprise", _("Enterprise: its training programme")
    TOWNSHIP = "township", _("Township: management fees")


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    NOTICE = "notice", _("Public notice")
    PAYABLE = "payable", _("Approved, payable")
    REFUSED = "refused", _("Refused")


class ClaimQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """A claim: the claimant and the bureaus of the claim's county."""
        q = Q(claimant=organisation)
        bureau = _bureau_q(organisation, "county")
        if bureau is not None:
            q |= bureau
        return self.filter(q)


class Claim(models.Model):
    """A claim for a subsidy, assembled by the system (nobody types an amount)."""

    kind = models.CharField(_("kind"), max_length=16, choices=ClaimKind.choices)
    claimant = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="claims", verbose_name=_("claimant")
    )
    county = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    training_class = models.ForeignKey(
        "training.TrainingClass",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("class"),
    )
    period_year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    return_reason = models.TextField(_("reasons of the return"), blank=True)
    fund = models.ForeignKey(
        Fund,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("charged to fund"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    notice_from = models.DateField(_("public notice from"), null=True, blank=True)
    notice_until = models.DateField(_("public notice until"), null=True, blank=True)
    advance_share = models.DecimalField(
        _("advance share"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ClaimQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("subsidy claim")
        verbose_name_plural = _("subsidy claims")
        permissions = [
            ("submit_claim", _("Can assemble and submit subsidy claims")),
            ("review_claim", _("Can review subsidy claims")),
        ]
        constraints = [
            # One live claim per class: a class is never claimed twice.
            models.UniqueConstraint(
                fields=["training_class"],
                condition=~Q(status="refused"),
                name="claim_once_per_class",
            )
        ]

    def __str__(self) -> str:
        what = self.training_class.name if self.training_class_id else self.get_kind_display()
        return f"#{self.pk} {self.claimant.name} · {what}"

    @property
    def accepted_total(self) -> Decimal:
        return sum((line.total for line in self.lines.all()), ZERO)

    @property
    def approved_total(self) -> Decimal:
        return sum(
            (line.total for line in self.lines.all() if line.decision == Decision.APPROVED), ZERO
        )


class ClaimRelatedQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the claim: the claimant and the bureaus of the claim's county."""
        return self.filter(claim__in=Claim.objects.scope_for(organisation).values("pk"))


class Decision(models.TextChoices):
    PENDING = "pending", _("Not decided")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class LineQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the claim; a township centre also sees the lines that carry its management
        fees."""
        q = Q(claim__in=Claim.objects.scope_for(organisation).values("pk"))
        if organisation.kind == OrganisationKind.TOWNSHIP_CENTRE:
            q |= Q(items__payee_organisation=organisation)
        return self.filter(q).distinct()


class ClaimLine(models.Model):
    """One trainee (or one record) of a claim: the calculator record built from the system's
    data, the engine's outcome and its explanation, and the reviewer's decision."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="lines")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="claim_lines")
    enrolment = models.ForeignKey(
        "training.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record = models.JSONField(_("calculator record"))
    date = models.DateField(_("date"))
    occupation = models.CharField(_("occupation"), max_length=64, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    status = models.CharField(_("engine outcome"), max_length=16)
    total = models.DecimalField(_("amount"), **MONEY, default=ZERO)
    explanation = models.JSONField(_("explanation"))
    decision = models.CharField(
        _("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    decision_reason = models.TextField(_("reason of the decision"), blank=True)

    objects = LineQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["claim", "pk"]
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")

    def __str__(self) -> str:
        return f"{self.claim_id} · {self.person}"

    @property
    def is_accepted(self) -> bool:
        return self.status == "accepted"


class Payee(models.TextChoices):
    TRAINEE = "trainee", _("Trainee")
    ORGANISER = "organiser", _("Training organiser")
    TOWNSHIP = "township", _("Township centre")
    ENTERPRISE = "enterprise", _("Enterprise")


class ItemQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the claim; a township centre also sees the items payable to it."""
        q = Q(line__claim__in=Claim.objects.scope_for(organisation).values("pk"))
        if organisation.kind == OrganisationKind.TOWNSHIP_CENTRE:
            q |= Q(payee_organisation=organisation)
        return self.filter(q)


class ClaimItem(models.Model):
    """One amount of a line as the engine computed it: rule, kind, payee, amount."""

    line = models.ForeignKey(ClaimLine, on_delete=models.PROTECT, related_name="items")
    rule = models.CharField(_("rule"), max_length=16)
    kind = models.CharField(_("kind"), max_length=32)
    payee = models.CharField(_("payee"), max_length=16, choices=Payee.choices)
    payee_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    message = models.TextField(_("explanation"))
    # On a township's claim (GA23-FEE-1): the fee item of the organiser's claim it claims.
    source = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="township_claims",
        verbose_name=_("fee of the organiser's claim"),
    )

    objects = ItemQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["line", "pk"]
        verbose_name = _("claim item")
        verbose_name_plural = _("claim items")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_item_positive")
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.amount}"

    @property
    def claimed_by_township(self) -> bool:
        """A township's management fee (GA23-FEE-1) computed on an organiser's line: the engine
        prices it there, but the township claims it with its own claim, once the training
        subsidy is approved; the organiser's claim never charges or pays it."""
        return self.payee == Payee.TOWNSHIP and self.line.claim.kind != ClaimKind.TOWNSHIP

    @property
    def latest_township_claim(self) -> ClaimItem | None:
        """The township claim's item that claimed this fee last (prefetch ``township_claims``)."""
        claimed = list(self.township_claims.all())
        return claimed[-1] if claimed else None


class ClaimDocument(models.Model):
    """A document of the claim's checklist (HB61-DOC-1), uploaded through the storage API, or
    marked as verified inside the system (a certificate the system holds needs no copy)."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="documents")
    key = models.CharField(_("document"), max_length=32)
    file = models.FileField(_("file"), upload_to="subsidies/claims/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    verified_in_system = models.BooleanField(_("verified in the system"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ClaimRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["claim", "key"]
        verbose_name = _("claim document")
        verbose_name_plural = _("claim documents")
        constraints = [models.UniqueConstraint(fields=["claim", "key"], name="claim_document_once")]

    def __str__(self) -> str:
        return f"{self.claim_id} · {self.key}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld: the line is refused")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    """An objection lodged during the public notice (HB45-PUB-1); it must be resolved before
    anything of the claim is paid."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="objections")
    line = models.ForeignKey(
        ClaimLine, null=True, blank=True, on_delete=models.PROTECT, related_name="objections"
    )
    lodged_by = models.CharField(_("lodged by"), max_length=64)
    contact = models.CharField(_("contact"), max_length=64, blank=True)
    text = models.TextField(_("objection"))
    status = models.CharField(
        _("status"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lodged_at = models.DateTimeField(_("lodged"), auto_now_add=True)

    objects = ClaimRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["claim", "lodged_at", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.claim_id} · {self.lodged_by}"


# -- payment ----------------------------------------------------------------------------------


class PayeeAccountQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """A payee's bank account: the organisation itself and the bureaus of its jurisdiction."""
        q = Q(organisation=organisation)
        bureau = _bureau_q(organisation, "organisation__region")
        if bureau is not None:
            q |= bureau
        return self.filter(q)


class PayeeAccount(models.Model):
    """The bank account an organisation (institution, enterprise, township centre) is paid into."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="payee_account"
    )
    account_name = models.CharField(_("account name"), max_length=128)
    account_number = EncryptedTextField(_("account number"), purpose="bank.account_number")
    account_number_masked = models.CharField(_("account number"), max_length=40, editable=False)
    bank_name = models.CharField(_("bank"), max_length=64)
    branch_code = models.CharField(_("branch code"), max_length=16, blank=True)

    objects = PayeeAccountQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["organisation"]
        verbose_name = _("payee account")
        verbose_name_plural = _("payee accounts")

    def __str__(self) -> str:
        return f"{self.account_name} {self.account_number_masked}"


class BatchStatus(models.TextChoices):
    OPEN = "open", _("Prepared")
    EXPORTED = "exported", _("Sent to the bank")
    CLOSED = "closed", _("Settled")


class BatchQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Payment batches: the bureaus of the batch's county; nobody else."""
        q = _bureau_q(organisation, "county")
        return self.filter(q) if q is not None else self.none()


class PaymentBatch(models.Model):
    """Approved amounts of one kind of payee, charged to one fund, sent to the bank together."""

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="batches")
    payee = models.CharField(_("payee"), max_length=16, choices=Payee.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    exported_at = models.DateTimeField(_("last exported"), null=True, blank=True)

    objects = BatchQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        permissions = [
            ("export_paymentbatch", _("Can export bank disbursement files")),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.items.all()), ZERO)


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("To be paid")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentItemQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the payment batch: the bureaus alone."""
        return self.filter(batch__in=PaymentBatch.objects.scope_for(organisation).values("pk"))


class PaymentItem(models.Model):
    """A claim item in a batch. ``item`` is unique: an amount reaches one batch, once."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="items")
    item = models.OneToOneField(ClaimItem, on_delete=models.PROTECT, related_name="payment")
    amount = models.DecimalField(_("amount"), **MONEY)
    status = models.CharField(
        _("status"), max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    failure_reason = models.CharField(_("reason of the failure"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The account the bank file named, fixed at the first export so a re-export pays the same
    # account whatever happened in the registry since; a retry after a failure clears it and
    # the next export takes the account then in use. Encrypted like the registry's.
    account_fixed_at = models.DateTimeField(_("account fixed"), null=True, blank=True)
    bank_account = models.ForeignKey(
        "registry.BankAccount",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bank account exported"),
    )
    account_name = models.CharField(_("account name"), max_length=128, blank=True)
    account_number = EncryptedTextField(
        _("account number"), purpose="bank.account_number", blank=True
    )
    account_number_masked = models.CharField(
        _("account number"), max_length=40, blank=True, editable=False
    )
    bank_name = models.CharField(_("bank"), max_length=64, blank=True)
    branch_code = models.CharField(_("branch code"), max_length=16, blank=True)

    objects = PaymentItemQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["batch", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.batch.reference}-{self.pk}"

    @property
    def reference(self) -> str:
        return f"{self.batch.reference}-{self.pk}"


# -- the ledger --------------------------------------------------------------------------------


class EntryKind(models.TextChoices):
    CHARGE = "charge", _("Approved amount charged to the fund")
    ADVANCE = "advance", _("Advance payment")
    PAYMENT = "payment", _("Payment to the payee")
    REVERSAL = "reversal", _("Reversal")
    RECEIVABLE = "receivable", _("Amount to recover (fraud)")
    RECOVERY = "recovery", _("Amount recovered")


class Account(models.TextChoices):
    COMMITTED = "committed", _("Committed")
    DISBURSED = "disbursed", _("Disbursed")
    RECEIVABLE = "receivable", _("Receivable")


class ImmutableError(ValidationError):
    """The ledger is append-only: corrections are reversing entries."""


class LedgerQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """The fund ledger: the bureaus whose jurisdiction holds the fund's region; nobody else."""
        q = _bureau_q(organisation, "fund__region")
        return self.filter(q) if q is not None else self.none()

    def update(self, **kwargs):
        raise ImmutableError(_("Ledger entries are never changed: add a reversing entry."))

    def delete(self):
        raise ImmutableError(_("Ledger entries are never deleted: add a reversing entry."))


GENESIS = "0" * 64


class LedgerEntry(models.Model):
    """One money movement (HB45-PUB-1). Append-only: :meth:`save` refuses an update,
    :meth:`delete` is refused, and on PostgreSQL a trigger refuses UPDATE and DELETE. Each entry
    stores the SHA-256 of its canonical content, which includes the previous entry's hash, so
    changing any entry breaks the chain (``upskill ledger verify``). Since the keyed chain
    (``subsidies.anchor``), each entry also names its key and stores an HMAC-SHA256 of its content
    and the previous entry's MAC: recomputing the plain hashes after a change is no longer
    enough, the key is not in the database. Entries written before keep only their hash."""

    seq = models.PositiveBigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    account = models.CharField(_("account"), max_length=16, choices=Account.choices)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    amount = models.DecimalField(_("amount"), **MONEY)
    rule = models.CharField(_("rule"), max_length=16, blank=True)
    claim_line = models.ForeignKey(
        ClaimLine, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    claim_item = models.ForeignKey(
        ClaimItem, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    batch = models.ForeignKey(
        PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    memo = models.CharField(_("memo"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    # Empty on the entries written before the keyed chain (the trigger forbids filling them in).
    key_id = models.CharField(_("key"), max_length=32, blank=True, default="")
    mac = models.CharField(_("MAC"), max_length=64, blank=True, default="")

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"{self.seq} {self.kind} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise ImmutableError(_("Ledger entries are never changed: add a reversing entry."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(_("Ledger entries are never deleted: add a reversing entry."))

    def canonical(self) -> bytes:
        """The entry's content as the hash covers it: every field, in a fixed form."""
        content = {
            "seq": self.seq,
            "at": self.at.astimezone(UTC).isoformat(),
            "kind": self.kind,
            "account": self.account,
            "fund": self.fund_id,
            "amount": f"{Decimal(self.amount):.2f}",
            "rule": self.rule,
            "claim_line": self.claim_line_id,
            "claim_item": self.claim_item_id,
            "batch": self.batch_id,
            "person": self.person_id,
            "organisation": self.organisation_id,
            "reverses": self.reverses_id,
            "memo": self.memo,
            "created_by": self.created_by_id,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(
            content, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()

    def mac_message(self, prev_link: str) -> bytes:
        """What the MAC covers: the canonical content (previous hash included), the key's id and
        the previous entry's MAC (its hash when it has none: the link to the unkeyed part)."""
        return b"|".join([self.canonical(), self.key_id.encode(), prev_link.encode()])

    @property
    def link(self) -> str:
        """What the next entry's MAC chains to."""
        return self.mac or self.hash


class CheckpointReason(models.TextChoices):
    GENESIS = "genesis", _("start of the keyed chain")
    EXPORT = "export", _("bank file export")
    DAILY = "daily", _("daily")
    MANUAL = "manual", _("on demand")


class CheckpointQuerySet(ScopedQuerySet):
    """A checkpoint covers the whole ledger; every bureau's auditors see it (it names numbers
    and hashes, no amounts)."""

    def scope_for(self, organisation: Organisation):
        """Every bureau (the checkpoint covers the whole ledger); nobody else."""
        return self.all() if organisation.jurisdiction_prefix is not None else self.none()


class LedgerCheckpoint(models.Model):
    """A signed statement of the ledger's state (HB45-PUB-1): its last entry, how many entries
    there are, the last hash and MAC. The signed file outside the database is the anchor
    (``subsidies.anchor``); this row lists it for the auditor's page."""

    name = models.CharField(_("file"), max_length=255, unique=True)
    seq = models.PositiveBigIntegerField(_("last entry"))
    count = models.PositiveBigIntegerField(_("entries"))
    head_hash = models.CharField(_("head hash"), max_length=64)
    head_mac = models.CharField(_("head MAC"), max_length=64, blank=True)
    key_id = models.CharField(_("key"), max_length=32, blank=True)
    genesis_seq = models.PositiveBigIntegerField(_("keyed after entry"))
    reason = models.CharField(_("reason"), max_length=16, choices=CheckpointReason.choices)
    full_walk = models.BooleanField(_("whole chain verified"), default=False)
    signer = models.CharField(_("signing key"), max_length=16)
    signature = models.CharField(_("signature"), max_length=128)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["-seq", "-created_at"]
        verbose_name = _("ledger checkpoint")
        verbose_name_plural = _("ledger checkpoints")

    def __str__(self) -> str:
        return f"{self.seq}/{self.count} {self.created_at:%Y-%m-%d %H:%M}"
