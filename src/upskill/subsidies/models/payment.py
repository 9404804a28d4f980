"""Payment: the accounts of payee organisations, batches and the payments in them (an item
reaches one batch once)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upskill.core.fields import EncryptedTextField
from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.organisations.models import Organisation, Region

from ._common import MONEY, ZERO, _bureau_q
from .claims import ClaimItem, Payee
from .funds import Fund


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
        constraints = [
            models.CheckConstraint(
                condition=Q(payee__in=Payee.values), name="payment_batch_payee_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=BatchStatus.values), name="payment_batch_status_valid"
            ),
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
    HELD = "held", _("Held out of the batch")


class PaymentItemQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the payment batch: the bureaus alone."""
        return self.filter(batch__in=PaymentBatch.objects.scope_for(organisation).values("pk"))

    def scope_for_person(self, person):
        """The payments of the claim items about them."""
        return self.filter(item__line__person=person)


class PaymentItem(models.Model):
    """A claim item, or an advance (HB45-ADV-1), in a batch. ``item`` and ``advance`` are
    unique: an amount reaches one batch, once."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="items")
    item = models.OneToOneField(
        ClaimItem, null=True, blank=True, on_delete=models.PROTECT, related_name="payment"
    )
    advance = models.OneToOneField(
        "subsidies.Advance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment",
        verbose_name=_("advance payment"),
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    status = models.CharField(
        _("status"), max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    failure_reason = models.CharField(_("reason of the failure"), max_length=255, blank=True)
    # Held out of the batch by the payment clerk (a payee without a bank account, issue 15.5):
    # the rest of the batch is exported; released, it goes out with the batch's next file.
    hold_reason = models.CharField(_("reason of the hold"), max_length=255, blank=True)
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
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values), name="payment_status_valid"
            ),
            # a payment pays a claim item or an advance, never both
            models.CheckConstraint(
                condition=Q(item__isnull=False, advance__isnull=True)
                | Q(item__isnull=True, advance__isnull=False),
                name="payment_item_or_advance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch.reference}-{self.pk}"

    @property
    def reference(self) -> str:
        return f"{self.batch.reference}-{self.pk}"
