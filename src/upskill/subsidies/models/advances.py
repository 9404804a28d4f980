"""Advance payments of project-based training (HB45-ADV-1) and the bureau's fund rules
(HB45-FND-1).

An advance is money paid to the organiser of an approved class before or during the training:
at most the share in force of the subsidy the engine computes for the enrolled trainees as if
each attended in full and passed. The bureau's reviewer approves it (charged to a fund), a
payment batch and the bank's file pay it like any payment, and the class's final claim deducts
it (:class:`AdvanceDeduction`); what the final claim does not cover is a receivable.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from upskill.core.history import audit_history
from upskill.core.scoping import ScopedQuerySet
from upskill.organisations.models import Organisation, Region

from ._common import MONEY, ZERO, _bureau_q, claimant_or_bureau_q
from .claims import Claim, ClaimItem
from .funds import Fund, FundSource


class AdvanceStatus(models.TextChoices):
    APPLIED = "applied", _("Applied for")
    APPROVED = "approved", _("Approved, to be paid")
    REFUSED = "refused", _("Refused")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Payment given up")
    SETTLED = "settled", _("Deducted from the final claim")


class AdvanceQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """An advance: the organiser who applied and the bureaus of the class's county."""
        return self.filter(claimant_or_bureau_q(organisation))


class Advance(models.Model):
    """An advance on the subsidy of one approved class (HB45-ADV-1); one live advance per class.
    The amounts are the engine's: ``basis`` is the organiser's subsidy priced as if every
    enrolled trainee attended in full and passed, ``amount`` the share in force of it."""

    training_class = models.ForeignKey(
        "training.TrainingClass",
        on_delete=models.PROTECT,
        related_name="advances",
        verbose_name=_("class"),
    )
    claimant = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="advances", verbose_name=_("organiser")
    )
    county = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    trainees = models.PositiveIntegerField(_("enrolled trainees"))
    basis = models.DecimalField(_("subsidy as if all pass"), **MONEY)
    share = models.DecimalField(_("share advanced"), max_digits=5, decimal_places=4)
    amount = models.DecimalField(_("advance"), **MONEY)
    # the engine's items behind the basis, and the parameter version the share came from
    explanation = models.JSONField(_("explanation"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=AdvanceStatus.choices, default=AdvanceStatus.APPLIED
    )
    fund = models.ForeignKey(
        Fund,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advances",
        verbose_name=_("charged to fund"),
    )
    # the ledger's charge of the advance to the fund (reversed if its payment is given up)
    charge = models.OneToOneField(
        "subsidies.LedgerEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advance_charged",
        verbose_name=_("charge"),
    )
    refusal_reason = models.TextField(_("reason of the refusal"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # the final claim that deducted it, and what it left to recover
    settled_by_claim = models.ForeignKey(
        Claim,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advances_settled",
        verbose_name=_("deducted from claim"),
    )
    receivable = models.DecimalField(_("to recover"), **MONEY, default=ZERO)

    objects = AdvanceQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-applied_at", "pk"]
        verbose_name = _("advance payment")
        verbose_name_plural = _("advance payments")
        constraints = [
            # one live advance per class: a refused or given-up one may be applied for again
            models.UniqueConstraint(
                fields=["training_class"],
                condition=~Q(status__in=["refused", "cancelled"]),
                name="advance_once_per_class",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="advance_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.claimant.name} · {self.amount}"

    @property
    def deducted(self) -> Decimal:
        return sum((d.amount for d in self.deductions.all()), ZERO)


class AdvanceRelatedQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """Follows the advance: the organiser and the bureaus of the class's county."""
        return self.filter(advance__in=Advance.objects.scope_for(organisation).values("pk"))


class AdvanceDeduction(models.Model):
    """The part of an advance the final claim deducts from one of its organiser's items
    (HB45-ADV-1): the item's charge and payment are its amount less this. Written once, when
    the final claim is approved."""

    advance = models.ForeignKey(Advance, on_delete=models.PROTECT, related_name="deductions")
    claim_item = models.OneToOneField(
        ClaimItem, on_delete=models.PROTECT, related_name="advance_deduction"
    )
    amount = models.DecimalField(_("deducted"), **MONEY)

    objects = AdvanceRelatedQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["advance", "pk"]
        verbose_name = _("advance deduction")
        verbose_name_plural = _("advance deductions")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="advance_deduction_positive")
        ]

    def __str__(self) -> str:
        return f"{self.advance_id} · {self.amount}"


class FundRuleQuerySet(ScopedQuerySet):
    def scope_for(self, organisation: Organisation):
        """A fund rule: the bureaus whose jurisdiction holds its county; nobody else."""
        q = _bureau_q(organisation, "region")
        return self.filter(q) if q is not None else self.none()


class FundRule(models.Model):
    """The bureau's setting (HB45-FND-1): the kinds of item a fund source of the county may pay.
    No row for a source: it may pay any kind the policy's parameter ``funds.sources_by_kind``
    does not reserve to other sources."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    source = models.CharField(_("fund source"), max_length=32, choices=FundSource.choices)
    kinds = models.JSONField(_("kinds of item it may pay"), default=list)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FundRuleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["region", "source"]
        verbose_name = _("fund rule")
        verbose_name_plural = _("fund rules")
        constraints = [
            models.UniqueConstraint(fields=["region", "source"], name="fund_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.get_source_display()}: {', '.join(self.kinds)}"
