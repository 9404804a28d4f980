"""The fund ledger (HB45-PUB-1): append-only, hash-chained entries and the signed checkpoints
that anchor the chain."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from upskill.core.scoping import ScopedQuerySet
from upskill.organisations.models import Organisation
from upskill.registry.models import Person

from ._common import MONEY, _bureau_q
from .claims import ClaimItem, ClaimLine
from .funds import Fund
from .payment import PaymentBatch


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
