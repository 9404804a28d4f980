"""The fund ledger (HB45-PUB-1): append-only, hash-chained, keyed and anchored.

Entries are appended one at a time under a lock (PostgreSQL: a transaction-level advisory lock;
the unique ``seq`` and ``hash`` refuse a fork anywhere). Each entry keeps the SHA-256 of its
content (previous hash included) and, since the keyed chain started, an HMAC-SHA256 under a key
that is not in the database (:mod:`.anchor`), chained to the previous entry's MAC. Signed
checkpoints (last entry, count, head hash and MAC) are written outside the database at each bank
file export, daily and on demand, so truncation and a rewrite with recomputed hashes are both
found.

:func:`verify` walks the whole chain and every checkpoint file; :func:`verify_recent` (the
auditor's page) checks the newest signed checkpoint against the ledger and walks only the
entries after it.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from upskill.core.actor import user_of

from . import anchor
from .models import (
    GENESIS,
    Account,
    CheckpointReason,
    EntryKind,
    Fund,
    LedgerCheckpoint,
    LedgerEntry,
)

logger = logging.getLogger(__name__)

_LOCK_KEY = 4_521_022  # any constant: the ledger's advisory lock
# A rewrite with recomputed hashes breaks every following MAC: name the first few, count the rest.
MAX_PROBLEMS = 10
# The auditor's page tries this many of the newest checkpoint files for a good one.
RECENT_CHECKPOINTS = 3


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
    key_id = anchor.mac_key_id()
    key = anchor.mac_key(key_id)
    if key is None:
        raise ImproperlyConfigured(f"the ledger key {key_id} is not in UPSKILL_LEDGER_KEYS")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    last = LedgerEntry.objects.select_for_update().order_by("-seq").first()
    if (last is None or not last.key_id) and not LedgerCheckpoint.objects.filter(
        reason=CheckpointReason.GENESIS
    ).exists():
        # The keyed chain starts after the entries already written (their rows cannot be
        # rewritten): a signed genesis checkpoint anchors them and says where it starts.
        _write_checkpoint(
            actor=actor,
            reason=CheckpointReason.GENESIS,
            head=last,
            count=LedgerEntry.objects.count(),
            genesis_seq=last.seq if last else 0,
            full_walk=False,
        )
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
        key_id=key_id,
        **links,
    )
    entry.hash = entry.compute_hash()
    entry.mac = anchor.mac(key, entry.mac_message(last.link if last else GENESIS))
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
    problems: tuple[str, ...] = ()
    # How much was checked: entries walked (from_seq on), keyed entries whose MAC was
    # recomputed, signed checkpoint files that matched the ledger.
    from_seq: int = 1
    walked: int = 0
    macs: int = 0
    checkpoints: int = 0
    checkpoint: anchor.Signed | None = None


@dataclass
class _Findings:
    problems: list[str] = field(default_factory=list)
    broken_seq: int | None = None
    more: int = 0

    def add(self, text: str, seq: int | None = None) -> None:
        if self.broken_seq is None and seq is not None:
            self.broken_seq = seq
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)
        else:
            self.more += 1

    def result(self, count: int, **extra) -> Verification:
        problems = list(self.problems)
        if self.more:
            problems.append(_("… and %(n)d more problems") % {"n": self.more})
        return Verification(
            not problems,
            count,
            self.broken_seq,
            problems[0] if problems else "",
            tuple(problems),
            **extra,
        )


def _describe(signed: anchor.Signed) -> str:
    return _("the checkpoint %(name)s (entry %(seq)d, %(count)d entries)") % {
        "name": signed.name,
        "seq": signed.seq,
        "count": signed.count,
    }


def _missing_files(findings: _Findings, rows: Iterable[LedgerCheckpoint], present: set) -> None:
    """Checkpoints the database lists whose file is gone from the store."""
    for row in rows:
        if row.name not in present:
            findings.add(
                _(
                    "the checkpoint %(name)s of %(at)s is missing from the checkpoint store: "
                    "someone removed it"
                )
                % {
                    "name": row.name,
                    "at": timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M"),
                }
            )


def _read_signed(findings: _Findings, name: str, keys: dict) -> anchor.Signed | None:
    try:
        signed = anchor.read(name)
    except anchor.Unreadable:
        findings.add(_("the checkpoint file %(name)s cannot be read") % {"name": name})
        return None
    if not signed.verify(keys):
        findings.add(
            _(
                "the checkpoint file %(name)s is not signed by a trusted ledger key: it was "
                "forged or altered"
            )
            % {"name": name}
        )
        return None
    return signed


def _load_checkpoints(findings: _Findings, keys: dict) -> list[anchor.Signed]:
    """Every checkpoint file whose signature verifies; the others, and the checkpoints the
    database lists whose file is gone, are findings."""
    names = anchor.names()
    good = [signed for name in names if (signed := _read_signed(findings, name, keys))]
    _missing_files(findings, LedgerCheckpoint.objects.exclude(name__in=names), set(names))
    geneses = {signed.genesis_seq for signed in good}
    if len(geneses) > 1:
        findings.add(
            _("the checkpoints disagree on where the keyed chain starts (after entry %(seqs)s)")
            % {"seqs": ", ".join(str(g) for g in sorted(geneses))}
        )
    return good


def _walk(
    entries: Iterable[LedgerEntry],
    findings: _Findings,
    *,
    expected_seq: int,
    previous: str,
    prev_link: str,
    count: int,
    genesis_seq: int | None,
    checkpoints: list[anchor.Signed],
    use_mac: bool,
) -> tuple[int, int, int, int | None]:
    """Check each entry's order, link, content hash and (``use_mac``) MAC, and the entries the
    checkpoints signed. Returns (entries counted, entries walked, MACs checked, last seq)."""
    by_seq: dict[int, list[anchor.Signed]] = {}
    for signed in checkpoints:
        by_seq.setdefault(signed.seq, []).append(signed)
    walked = macs = 0
    last_seq = expected_seq - 1 if expected_seq > 1 else None
    keyed_seen = False
    for entry in entries:
        count += 1
        walked += 1
        seq = entry.seq
        if seq != expected_seq:
            findings.add(
                _("entry %(seq)d follows %(prev)d: entries are missing")
                % {"seq": seq, "prev": expected_seq - 1},
                seq,
            )
        if entry.prev_hash != previous:
            findings.add(
                _("entry %(seq)d does not link to the hash of the entry before it") % {"seq": seq},
                seq,
            )
        if entry.compute_hash() != entry.hash:
            findings.add(
                _(
                    "entry %(seq)d was changed after it was written: its content does not give "
                    "its hash"
                )
                % {"seq": seq},
                seq,
            )
        must_be_keyed = keyed_seen or (genesis_seq is not None and seq > genesis_seq)
        if not entry.key_id or not entry.mac:
            if must_be_keyed:
                findings.add(
                    _(
                        "entry %(seq)d has no MAC although the keyed chain started before it: "
                        "its key was stripped to pass it off as an old entry"
                    )
                    % {"seq": seq},
                    seq,
                )
        else:
            keyed_seen = True
            if use_mac:
                key = anchor.mac_key(entry.key_id)
                if key is None:
                    findings.add(
                        _("entry %(seq)d names the ledger key %(key)s, which is not configured")
                        % {"seq": seq, "key": entry.key_id},
                        seq,
                    )
                else:
                    macs += 1
                    expected = anchor.mac(key, entry.mac_message(prev_link))
                    if not hmac.compare_digest(expected, entry.mac):
                        findings.add(
                            _(
                                "entry %(seq)d does not give its MAC: it was changed, or "
                                "re-linked, and its hashes recomputed without the ledger key"
                            )
                            % {"seq": seq},
                            seq,
                        )
        for signed in by_seq.get(seq, ()):
            if entry.hash != signed.head_hash or entry.mac != signed.head_mac:
                findings.add(
                    _("entry %(seq)d is not the entry signed by %(checkpoint)s: it was rewritten")
                    % {"seq": seq, "checkpoint": _describe(signed)},
                    seq,
                )
            if count != signed.count:
                findings.add(
                    _("%(checkpoint)s counted %(signed)d entries up to it, the ledger has %(n)d")
                    % {"checkpoint": _describe(signed), "signed": signed.count, "n": count},
                    seq,
                )
        previous, prev_link, expected_seq, last_seq = entry.hash, entry.link, seq + 1, seq
    return count, walked, macs, last_seq


def _truncation(
    findings: _Findings, checkpoints: list[anchor.Signed], last_seq: int | None, count: int
) -> None:
    """Checkpoints that signed entries the ledger no longer has."""
    for signed in checkpoints:
        if signed.seq > (last_seq or 0) or signed.count > count:
            findings.add(
                _(
                    "%(checkpoint)s signed entries the ledger no longer has (it ends at entry "
                    "%(last)d with %(n)d entries): entries were removed"
                )
                % {"checkpoint": _describe(signed), "last": last_seq or 0, "n": count},
                (last_seq or 0) + 1,
            )


def verify(*, public_keys: dict | None = None, use_mac: bool = True) -> Verification:
    """The whole chain and every checkpoint file: each entry's order, link and content hash;
    each keyed entry's MAC (``use_mac``, needs the ledger keys); each checkpoint's signature,
    and that the entry it signed is still there, unchanged, with as many entries before it.

    With ``public_keys`` and ``use_mac=False`` this is what an auditor checks with the public
    key alone (``upskill ledger verify-checkpoints``)."""
    findings = _Findings()
    keys = public_keys if public_keys is not None else anchor.trusted_public_keys()
    checkpoints = _load_checkpoints(findings, keys)
    genesis = min((s.genesis_seq for s in checkpoints), default=None)
    if genesis is None and LedgerEntry.objects.exclude(key_id="").exists():
        findings.add(_("the ledger has keyed entries but no signed checkpoint: the anchor is gone"))
    count, walked, macs, last_seq = _walk(
        LedgerEntry.objects.order_by("seq").iterator(chunk_size=2000),
        findings,
        expected_seq=1,
        previous=GENESIS,
        prev_link=GENESIS,
        count=0,
        genesis_seq=genesis,
        checkpoints=checkpoints,
        use_mac=use_mac,
    )
    _truncation(findings, checkpoints, last_seq, count)
    return findings.result(
        count,
        walked=walked,
        macs=macs,
        checkpoints=len(checkpoints),
        from_seq=1,
        checkpoint=max(checkpoints, key=lambda s: (s.seq, s.name), default=None),
    )


def verify_recent() -> Verification:
    """What the auditor's page shows, without re-hashing the whole ledger: the newest checkpoint
    file whose signature verifies must match the ledger (its entry, hash, MAC and count: a
    rewrite or truncation before it shows there); the entries after it are walked with their
    MACs. The daily job walks the whole chain (:func:`checkpoint` with ``full_walk``)."""
    findings = _Findings()
    keys = anchor.trusted_public_keys()
    names = anchor.names()
    start: anchor.Signed | None = None
    for name in reversed(names[-RECENT_CHECKPOINTS:]):
        start = _read_signed(findings, name, keys)
        if start is not None:
            break
    _missing_files(
        findings,
        LedgerCheckpoint.objects.order_by("-seq", "-created_at")[:RECENT_CHECKPOINTS],
        set(names),
    )
    if start is None:
        if LedgerEntry.objects.exclude(key_id="").exists():
            findings.add(
                _("the ledger has keyed entries but no signed checkpoint: the anchor is gone")
            )
        return _recent_full(findings)
    head = LedgerEntry.objects.filter(seq=start.seq).first() if start.seq else None
    before = LedgerEntry.objects.filter(seq__lte=start.seq).count()
    if start.seq and head is None:
        last = LedgerEntry.objects.order_by("-seq").first()
        _truncation(findings, [start], last.seq if last else None, before)
    elif head is not None and (head.hash != start.head_hash or head.mac != start.head_mac):
        findings.add(
            _("entry %(seq)d is not the entry signed by %(checkpoint)s: it was rewritten")
            % {"seq": start.seq, "checkpoint": _describe(start)},
            start.seq,
        )
    if before != start.count:
        findings.add(
            _("%(checkpoint)s counted %(signed)d entries up to it, the ledger has %(n)d")
            % {"checkpoint": _describe(start), "signed": start.count, "n": before},
            start.seq,
        )
    link = GENESIS if not start.seq else (start.head_mac or start.head_hash)
    count, walked, macs, _last = _walk(
        LedgerEntry.objects.filter(seq__gt=start.seq).order_by("seq").iterator(chunk_size=2000),
        findings,
        expected_seq=start.seq + 1,
        previous=start.head_hash if start.seq else GENESIS,
        prev_link=link,
        count=before,
        genesis_seq=start.genesis_seq,
        checkpoints=[],
        use_mac=True,
    )
    return findings.result(
        count, walked=walked, macs=macs, checkpoints=1, from_seq=start.seq + 1, checkpoint=start
    )


def _recent_full(findings: _Findings) -> Verification:
    """No checkpoint yet (a ledger of unkeyed entries only): the whole walk is the check."""
    result = verify()
    problems = [*findings.problems, *result.problems]
    return Verification(
        not problems,
        result.count,
        result.broken_seq,
        problems[0] if problems else "",
        tuple(problems),
        walked=result.walked,
        macs=result.macs,
        checkpoints=result.checkpoints,
    )


def check_entries(entries: Iterable[LedgerEntry]) -> set[int]:
    """The sequence numbers of the given entries whose content no longer gives their hash (the
    auditor's page re-hashes the rows it shows)."""
    return {entry.seq for entry in entries if entry.compute_hash() != entry.hash}


class ChainBroken(Exception):
    def __init__(self, verification: Verification):
        super().__init__(verification.problem)
        self.verification = verification


def checkpoint(*, actor, reason: str, full_walk: bool = False) -> LedgerCheckpoint:
    """Verify the ledger (the whole chain with ``full_walk``, else from the newest checkpoint),
    then sign its state and write it outside the database. A broken chain is never signed:
    :class:`ChainBroken`."""
    head = LedgerEntry.objects.order_by("-seq").first()
    count = LedgerEntry.objects.filter(seq__lte=head.seq).count() if head else 0
    result = verify() if full_walk else verify_recent()
    if not result.ok:
        raise ChainBroken(result)
    # Where the keyed chain starts, as the checkpoints signed it (not as the database says).
    genesis = result.checkpoint.genesis_seq if result.checkpoint else None
    if genesis is None:
        first_keyed = LedgerEntry.objects.exclude(key_id="").order_by("seq").first()
        genesis = first_keyed.seq - 1 if first_keyed else (head.seq if head else 0)
    return _write_checkpoint(
        actor=actor,
        reason=reason,
        head=head,
        count=count,
        genesis_seq=genesis,
        full_walk=full_walk,
    )


def _write_checkpoint(
    *,
    actor,
    reason: str,
    head: LedgerEntry | None,
    count: int,
    genesis_seq: int,
    full_walk: bool,
) -> LedgerCheckpoint:
    created_at = timezone.now()
    body = {
        "seq": head.seq if head else 0,
        "count": count,
        "head_hash": head.hash if head else GENESIS,
        "head_mac": head.mac if head else "",
        "key_id": head.key_id if head else "",
        "genesis_seq": genesis_seq,
        "reason": reason,
        "full_walk": full_walk,
        "created_at": created_at.isoformat(),
    }
    signed = anchor.write(anchor.sign(body), created_at)
    return LedgerCheckpoint.objects.create(
        name=signed.name,
        seq=body["seq"],
        count=count,
        head_hash=body["head_hash"],
        head_mac=body["head_mac"],
        key_id=body["key_id"],
        genesis_seq=genesis_seq,
        reason=reason,
        full_walk=full_walk,
        signer=signed.signer,
        signature=signed.signature,
        created_at=created_at,
        created_by=user_of(actor),
    )


def checkpoint_quietly(*, actor, reason: str, full_walk: bool = False) -> LedgerCheckpoint | None:
    """For the export and the daily job: a broken chain or an unreachable store is logged (the
    auditor's page shows the chain's state) and does not stop the caller."""
    try:
        return checkpoint(actor=actor, reason=reason, full_walk=full_walk)
    except ChainBroken as exc:
        logger.error("ledger checkpoint refused, the chain is broken: %s", exc.verification.problem)
    except OSError:
        logger.exception("ledger checkpoint could not be written")
    return None


def signature_status(
    checkpoints: Iterable[LedgerCheckpoint],
) -> list[tuple[LedgerCheckpoint, bool | None]]:
    """Each checkpoint the database lists with whether its file says the same and is signed by
    a trusted key (None: the file is missing or unreadable)."""
    keys = anchor.trusted_public_keys()
    rows = []
    for row in checkpoints:
        try:
            signed = anchor.read(row.name)
        except anchor.Unreadable:
            rows.append((row, None))
            continue
        same = (signed.seq, signed.count, signed.head_hash, signed.head_mac) == (
            row.seq,
            row.count,
            row.head_hash,
            row.head_mac,
        )
        rows.append((row, same and signed.verify(keys)))
    return rows


def committed(fund: Fund) -> Decimal:
    """What approved claims have charged to the fund, net of reversals."""
    return _sum(fund, Account.COMMITTED)


def disbursed(fund: Fund) -> Decimal:
    return _sum(fund, Account.DISBURSED)


def remaining(fund: Fund) -> Decimal:
    return fund.budget - committed(fund)


def _sum(fund: Fund, account: str) -> Decimal:
    total = LedgerEntry.objects.filter(fund=fund, account=account).aggregate(s=Sum("amount"))["s"]
    return (total or Decimal(0)).quantize(Decimal("0.01"))
