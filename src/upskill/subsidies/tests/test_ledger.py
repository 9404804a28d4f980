"""The fund ledger (HB45-PUB-1): append-only, Decimal, hash-chained; corrections reverse."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from upskill.core.scoping import SYSTEM
from upskill.subsidies import calendar, ledger, services
from upskill.subsidies.models import CalendarDay, ImmutableError, LedgerEntry

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


def tamper(entry_pk: int, amount: str) -> None:
    """What someone with database access could do: change an amount behind the product."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off
        cursor.execute(
            "UPDATE subsidies_ledgerentry SET amount = %s WHERE id = %s", [amount, entry_pk]
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


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
    made = services.calendar_seed(years=[2023])
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
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.calendar_day_set(actor=clerk, day=date(2023, 6, 2), kind="holiday")
