"""The fund ledger (HB45-PUB-1): append-only, hash-chained.

Entries are appended one at a time under a lock (PostgreSQL: a transaction-level advisory lock;
the unique ``seq`` and ``hash`` refuse a fork anywhere). :func:`verify` walks the chain and
reports the first entry whose stored hash, or link to its predecessor, does not match.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core.actor import user_of

from .models import GENESIS, Account, EntryKind, Fund, LedgerEntry

_LOCK_KEY = 4_521_022  # any constant: the ledger's advisory lock


@transaction.atomic
def append(
    *,
    actor,
    kind: str,
    account: str,
    fund: Fund,
    amount: Decimal,
    rule: str = "",
    memo: str = "",
    **links,
) -> LedgerEntry:
    """Add one entry at the end of the chain. ``links``: claim_line, claim_item, batch, person,
    organisation, reverses."""
    if not isinstance(amount, Decimal):
        raise TypeError("ledger amounts are Decimal")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    last = LedgerEntry.objects.select_for_update().order_by("-seq").first()
    entry = LedgerEntry(
        seq=(last.seq + 1) if last else 1,
        at=timezone.now(),
        kind=kind,
        account=account,
        fund=fund,
        amount=amount.quantize(Decimal("0.01")),
        rule=rule,
        memo=str(memo)[:255],
        created_by=user_of(actor),
        prev_hash=last.hash if last else GENESIS,
        **links,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    return entry


def reverse(*, actor, entry: LedgerEntry, memo: str) -> LedgerEntry:
    """A correction: the same movement with the opposite sign, pointing at the original."""
    return append(
        actor=actor,
        kind=EntryKind.REVERSAL,
        account=entry.account,
        fund=entry.fund,
        amount=-entry.amount,
        rule=entry.rule,
        memo=memo,
        claim_line=entry.claim_line,
        claim_item=entry.claim_item,
        batch=entry.batch,
        person=entry.person,
        organisation=entry.organisation,
        reverses=entry,
    )


@dataclass(frozen=True)
class Verification:
    ok: bool
    count: int
    broken_seq: int | None = None
    problem: str = ""


def verify() -> Verification:
    """Walk the chain in order; the first entry whose content no longer gives its stored hash,
    or whose link does not name its predecessor's hash, breaks it."""
    previous = GENESIS
    expected_seq = 1
    count = 0
    for entry in LedgerEntry.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if entry.seq != expected_seq:
            return Verification(
                False,
                count,
                entry.seq,
                _("entry %(seq)d follows %(prev)d: entries are missing")
                % {"seq": entry.seq, "prev": expected_seq - 1},
            )
        if entry.prev_hash != previous:
            return Verification(
                False,
                count,
                entry.seq,
                _("entry %(seq)d does not link to the hash of the entry before it")
                % {"seq": entry.seq},
            )
        if entry.compute_hash() != entry.hash:
            return Verification(
                False,
                count,
                entry.seq,
                _(
                    "entry %(seq)d was changed after it was written: its content does not give "
                    "its hash"
                )
                % {"seq": entry.seq},
            )
        previous = entry.hash
        expected_seq += 1
    return Verification(True, count)


def committed(fund: Fund) -> Decimal:
    """What approved claims have charged to the fund, net of reversals."""
    return _sum(fund, Account.COMMITTED)


def disbursed(fund: Fund) -> Decimal:
    return _sum(fund, Account.DISBURSED)


def remaining(fund: Fund) -> Decimal:
    return fund.budget - committed(fund)


def _sum(fund: Fund, account: str) -> Decimal:
    from django.db.models import Sum

    total = LedgerEntry.objects.filter(fund=fund, account=account).aggregate(s=Sum("amount"))["s"]
    return (total or Decimal(0)).quantize(Decimal("0.01"))
