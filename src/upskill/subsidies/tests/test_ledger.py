"""The fund ledger (HB45-PUB-1): append-only, Decimal, hash-chained; corrections reverse."""

from __future__ import annotations

import base64
import io
import itertools
import json
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation

from upskill.core.scoping import SYSTEM
from upskill.subsidies import anchor, calendar, ledger, services
from upskill.subsidies.models import (
    GENESIS,
    CalendarDay,
    CheckpointReason,
    ImmutableError,
    LedgerCheckpoint,
    LedgerEntry,
)
from upskill.subsidies.tasks import ledger_daily_checkpoint

from . import factories


def _entries(fund, n=3):
    return [
        ledger.append(
            actor=SYSTEM,
            kind="charge",
            account="committed",
            fund=fund,
            amount=Decimal("100.10") * (i + 1),
            rule="GA23-LIV-1",
            memo=f"test {i}",
        )
        for i in range(n)
    ]


def test_entries_are_chained_and_verify(fund):
    first, second, third = _entries(fund)
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]
    assert isinstance(LedgerEntry.objects.get(pk=third.pk).amount, Decimal)
    result = ledger.verify()
    assert result.ok and result.count == 3


def test_amounts_must_be_decimal(fund):
    with pytest.raises(TypeError):
        ledger.append(actor=SYSTEM, kind="charge", account="committed", fund=fund, amount=1.5)


def test_the_orm_refuses_updates_and_deletes(fund):
    (entry,) = _entries(fund, 1)
    entry.amount = Decimal("1.00")
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
    with pytest.raises(ImmutableError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("2.00"))
    with pytest.raises(ImmutableError):
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100.10")


def test_postgresql_refuses_updates_in_the_database_itself(fund):
    """On PostgreSQL a trigger refuses UPDATE and DELETE whatever the client; on SQLite the
    model's guards above are the protection and raw SQL is what ``verify`` catches."""
    (entry,) = _entries(fund, 1)
    if connection.vendor != "postgresql":
        assert LedgerEntry._meta.get_field("hash").unique
        assert LedgerEntry._meta.get_field("seq").unique
        return
    for sql in (
        "UPDATE subsidies_ledgerentry SET amount = 1 WHERE id = %s",
        "DELETE FROM subsidies_ledgerentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])


@contextmanager
def as_superuser_dba():
    """A cursor of someone with full rights on the database: on PostgreSQL the append-only
    trigger is switched off (superuser); on SQLite raw SQL passes the model's guards anyway."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")


def tamper(entry_pk: int, amount: str) -> None:
    """What someone with database access could do: change an amount behind the product."""
    with as_superuser_dba() as cursor:
        cursor.execute(
            "UPDATE subsidies_ledgerentry SET amount = %s WHERE id = %s", [amount, entry_pk]
        )


def rewrite_with_recomputed_hashes(seq: int, amount: str) -> None:
    """The stronger attack: change an amount, then recompute that entry's hash and every
    following link and hash with the model's own function, so the plain chain is whole again."""
    previous = LedgerEntry.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS
    with as_superuser_dba() as cursor:
        for entry in LedgerEntry.objects.filter(seq__gte=seq).order_by("seq"):
            if entry.seq == seq:
                entry.amount = Decimal(amount)
            entry.prev_hash = previous
            entry.hash = entry.compute_hash()
            cursor.execute(
                "UPDATE subsidies_ledgerentry SET amount = %s, prev_hash = %s, hash = %s "
                "WHERE id = %s",
                [entry.amount, entry.prev_hash, entry.hash, entry.pk],
            )
            previous = entry.hash


def delete_last_entry() -> None:
    with as_superuser_dba() as cursor:
        cursor.execute(
            "DELETE FROM subsidies_ledgerentry WHERE seq = "
            "(SELECT MAX(seq) FROM subsidies_ledgerentry)"
        )


def run_verify(*args: str) -> tuple[int, str]:
    """``upskill ledger verify`` and friends: (exit code, what it wrote)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with translation.override("en"):  # the findings are asserted in English
            call_command("ledger", *args, stdout=out, stderr=err)
    except SystemExit as exit_info:
        return exit_info.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def test_tampering_breaks_the_chain_and_the_command_says_where(fund):
    entries = _entries(fund, 4)
    out = io.StringIO()
    call_command("ledger", "verify", stdout=out)
    assert "4" in out.getvalue()
    tamper(entries[1].pk, "9999.00")
    result = ledger.verify()
    assert not result.ok and result.broken_seq == 2
    with pytest.raises(SystemExit) as exit_info:
        call_command("ledger", "verify", stdout=io.StringIO(), stderr=(err := io.StringIO()))
    assert exit_info.value.code == 1
    assert "2" in err.getvalue()


# -- the keyed chain and its signed checkpoints (security item 5) --------------------------


def test_new_entries_are_keyed_and_a_genesis_checkpoint_anchors_the_start(fund):
    first, second = _entries(fund, 2)
    assert (first.key_id, second.key_id) == ("t1", "t1")
    assert len(first.mac) == 64 and first.mac != first.hash
    genesis = LedgerCheckpoint.objects.get(reason=CheckpointReason.GENESIS)
    assert (genesis.seq, genesis.count, genesis.genesis_seq) == (0, 0, 0)
    signed = anchor.read(genesis.name)
    assert signed.verify(anchor.trusted_public_keys())
    assert anchor.storage().exists(genesis.name)
    code, output = run_verify("verify")
    assert code == 0 and "2 MACs verified" in output


def test_a_rewrite_with_recomputed_hashes_is_found(fund):
    _entries(fund, 4)
    rewrite_with_recomputed_hashes(2, "9999.00")
    # the plain chain is whole again: what `ledger verify` accepted before the chain was keyed
    entries = list(LedgerEntry.objects.order_by("seq"))
    assert all(e.compute_hash() == e.hash for e in entries)
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    result = ledger.verify()
    assert not result.ok and result.broken_seq == 2
    code, output = run_verify("verify")
    assert code == 1
    assert "entry 2 does not give its MAC" in output
    # the page's check, from the newest checkpoint (the genesis), finds it too
    assert not ledger.verify_recent().ok


def test_a_rewrite_before_a_checkpoint_is_found_with_the_public_key_alone(fund):
    _entries(fund, 3)
    code, _output = run_verify("checkpoint")
    assert code == 0
    rewrite_with_recomputed_hashes(2, "0.01")
    public = anchor.public_key_b64()
    code, output = run_verify("verify-checkpoints", "--public-key", public)
    assert code == 1
    assert "entry 3 is not the entry signed by the checkpoint" in output
    code, output = run_verify("verify", "--from-checkpoint")
    assert code == 1 and "entry 3 is not the entry signed" in output


def test_deleting_the_last_entry_is_found(fund):
    _entries(fund, 3)
    ledger.checkpoint(actor=SYSTEM, reason=CheckpointReason.MANUAL)
    delete_last_entry()
    assert LedgerEntry.objects.count() == 2
    code, output = run_verify("verify")
    assert code == 1
    assert "entries were removed" in output and "entry 3" in output
    assert not ledger.verify_recent().ok
    code, output = run_verify("verify-checkpoints", "--public-key", anchor.public_key_b64())
    assert code == 1 and "entries were removed" in output


def test_deleting_an_entry_in_the_middle_is_found(fund):
    _entries(fund, 3)
    ledger.checkpoint(actor=SYSTEM, reason=CheckpointReason.MANUAL)
    with as_superuser_dba() as cursor:
        cursor.execute("DELETE FROM subsidies_ledgerentry WHERE seq = 2")
    code, output = run_verify("verify")
    assert code == 1 and "entry 3 follows 1: entries are missing" in output


def test_stripping_the_key_to_pass_an_entry_off_as_old_is_found(fund):
    _entries(fund, 2)
    with as_superuser_dba() as cursor:
        cursor.execute("UPDATE subsidies_ledgerentry SET key_id = '', mac = '' WHERE seq = 2")
    code, output = run_verify("verify")
    assert code == 1 and "entry 2 has no MAC" in output


def test_a_forged_or_removed_checkpoint_file_is_found(fund):
    _entries(fund, 2)
    made = ledger.checkpoint(actor=SYSTEM, reason=CheckpointReason.MANUAL)
    assert ledger.verify().ok
    path = Path(anchor.storage().path(made.name))
    document = json.loads(path.read_text(encoding="utf-8"))
    document["checkpoint"]["count"] = 1
    path.write_text(json.dumps(document), encoding="utf-8")
    code, output = run_verify("verify")
    assert code == 1 and "is not signed by a trusted ledger key" in output
    anchor.storage().delete(made.name)
    code, output = run_verify("verify")
    assert code == 1 and "missing from the checkpoint store" in output


def test_entries_written_before_the_keyed_chain_keep_their_sha256_links(fund):
    """Entries of a deployment made before the keyed chain have no key (the trigger forbids
    adding one): the genesis checkpoint anchors them and the keyed segment starts after."""
    previous = GENESIS
    for seq in (1, 2):
        old = LedgerEntry(
            seq=seq,
            at=timezone.now(),
            kind="charge",
            account="committed",
            fund=fund,
            amount=Decimal("10.00"),
            prev_hash=previous,
        )
        old.hash = old.compute_hash()
        old.save()
        previous = old.hash
    (new,) = _entries(fund, 1)
    assert new.seq == 3 and new.prev_hash == previous and new.key_id == "t1"
    genesis = LedgerCheckpoint.objects.get(reason=CheckpointReason.GENESIS)
    assert (genesis.seq, genesis.count, genesis.genesis_seq) == (2, 2, 2)
    assert genesis.head_hash == previous
    code, output = run_verify("verify")
    assert code == 0 and "3 entries" in output and "1 MACs verified" in output
    # an old entry rewritten with recomputed hashes: the genesis checkpoint signed its head
    rewrite_with_recomputed_hashes(1, "1000.00")
    code, output = run_verify("verify")
    assert code == 1 and "entry 2 is not the entry signed by the checkpoint" in output


def test_old_ledger_keys_stay_for_verification(fund, settings):
    _entries(fund, 1)
    settings.LEDGER_MAC_KEYS = {
        **settings.LEDGER_MAC_KEYS,
        "t2": "MzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzM=",
    }
    settings.LEDGER_MAC_KEY_ID = "t2"
    (second,) = _entries(fund, 1)
    assert second.key_id == "t2"
    assert ledger.verify().ok
    settings.LEDGER_MAC_KEYS = {"t2": settings.LEDGER_MAC_KEYS["t2"]}
    code, output = run_verify("verify")
    assert code == 1 and "names the ledger key t1, which is not configured" in output


def test_a_broken_chain_is_never_signed(fund):
    entries = _entries(fund, 2)
    tamper(entries[0].pk, "1.00")
    code, output = run_verify("checkpoint")
    assert code == 1 and "entry 1 was changed after it was written" in output
    assert not LedgerCheckpoint.objects.exclude(reason=CheckpointReason.GENESIS).exists()
    assert ledger.checkpoint_quietly(actor=SYSTEM, reason=CheckpointReason.DAILY) is None


def test_the_page_check_walks_only_from_the_newest_checkpoint(fund):
    _entries(fund, 5)
    ledger.checkpoint(actor=SYSTEM, reason=CheckpointReason.MANUAL)
    _entries(fund, 2)
    result = ledger.verify_recent()
    assert result.ok and result.count == 7
    assert (result.from_seq, result.walked, result.macs) == (6, 2, 2)
    assert ledger.verify().walked == 7


def test_the_daily_job_walks_the_whole_chain_and_signs_a_checkpoint(fund):
    _entries(fund, 2)
    ledger_daily_checkpoint.call_local()
    daily = LedgerCheckpoint.objects.get(reason=CheckpointReason.DAILY)
    assert daily.full_walk and (daily.seq, daily.count) == (2, 2)
    assert anchor.read(daily.name).body["full_walk"] is True


def test_a_bank_file_export_writes_a_checkpoint(
    world, make_person, django_capture_on_commit_callbacks
):
    batch = factories.organiser_batch(world, make_person)
    _entries(batch.fund, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_export(actor=SYSTEM, batch=batch, fmt="csv")
    export = LedgerCheckpoint.objects.get(reason=CheckpointReason.EXPORT)
    assert export.seq == LedgerEntry.objects.order_by("-seq").first().seq
    assert anchor.read(export.name).verify(anchor.trusted_public_keys())


def test_the_public_key_is_printed_and_another_key_is_refused(fund):
    _entries(fund, 1)
    out, err = io.StringIO(), io.StringIO()
    call_command("ledger", "public-key", stdout=out, stderr=err)
    public = out.getvalue().strip()
    assert public == anchor.public_key_b64() and "fingerprint" in err.getvalue()
    code, output = run_verify("verify-checkpoints", "--public-key", public)
    assert code == 0 and "OK with the public key" in output
    stranger = anchor.public_key_bytes(Ed25519PrivateKey.generate().public_key())
    code, output = run_verify(
        "verify-checkpoints", "--public-key", base64.b64encode(stranger).decode()
    )
    assert code == 1 and "not signed by a trusted ledger key" in output


def test_a_correction_is_a_reversing_entry(fund):
    (entry,) = _entries(fund, 1)
    assert ledger.committed(fund) == Decimal("100.10")
    reversal = ledger.reverse(actor=SYSTEM, entry=entry, memo="entered twice")
    assert reversal.amount == Decimal("-100.10") and reversal.reverses == entry
    assert ledger.committed(fund) == Decimal("0.00")
    assert ledger.remaining(fund) == fund.budget
    assert ledger.verify().ok


def test_fund_budget_cannot_fall_below_what_is_charged(world, fund):
    _entries(fund, 1)
    with pytest.raises(Exception, match="already charged"):
        factories.fund(world, budget="50.00")


# -- the working-day calendar ---------------------------------------------------------------


def test_calendar_seeded_from_the_library(db):
    made = services.calendar_seed(actor=SYSTEM, years=[2023])
    assert made > 10
    national_day = CalendarDay.objects.get(date=date(2023, 10, 2))
    assert national_day.kind == "holiday" and national_day.from_library
    assert CalendarDay.objects.get(date=date(2023, 10, 7)).kind == "workday"  # make-up Saturday
    # From Thursday 2023-09-28, three working days: the 28th, then the make-up Saturday and
    # Sunday 7 and 8 October (29 September to 6 October is the Mid-Autumn and National Day break)
    assert calendar.add_working_days(date(2023, 9, 28), 3) == date(2023, 10, 8)
    assert not calendar.is_working_day(date(2023, 10, 4))


def test_the_bureau_edits_the_calendar(world, make_user):
    admin = make_user("gongan", "admin")
    assert calendar.is_working_day(date(2023, 6, 1))
    day = services.calendar_day_set(actor=admin, day=date(2023, 6, 1), kind="holiday", name="县庆")
    assert not calendar.is_working_day(date(2023, 6, 1))
    services.calendar_day_remove(actor=admin, day=day)
    assert calendar.is_working_day(date(2023, 6, 1))
    clerk = make_user("inst1", "clerk")
    with pytest.raises(PermissionDenied):
        services.calendar_day_set(actor=clerk, day=date(2023, 6, 2), kind="holiday")


def test_the_auditors_page_shows_the_checkpoints_and_what_verification_found(
    fund, make_user, client
):
    _entries(fund, 3)
    made = ledger.checkpoint(actor=SYSTEM, reason=CheckpointReason.MANUAL)
    client.force_login(make_user("gongan", "auditor"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = client.get("/subsidies/ledger/").content.decode()
    assert 'id="ledger-checkpoints"' in html and made.head_hash[:12] in html
    verification = html.split('id="ledger-verification"')[1].split("</div>")[0]
    assert "✔" in verification and "✘" not in verification
    delete_last_entry()
    html = client.get("/subsidies/ledger/").content.decode()
    verification = html.split('id="ledger-verification"')[1].split("</div>")[0]
    assert "✘" in verification and "entries were removed" in verification
    anchor.storage().delete(made.name)
    html = client.get("/subsidies/ledger/").content.decode()
    assert "missing from the checkpoint store" in html
