"""A database dump of the demo, audit tables included, holds no plaintext ID or bank number."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.db import connection

from upskill.core.scoping import SYSTEM
from upskill.demo.seed import organisations, persons
from upskill.registry.models import BankAccount, Person
from upskill.registry.services import person_reveal_id_number, person_update


def _dump() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        assert shutil.which("pg_dump"), "pg_dump is needed for the PostgreSQL pass"
        result = subprocess.run(
            [
                "pg_dump",
                "--no-owner",
                "-h",
                params["HOST"] or "127.0.0.1",
                "-p",
                str(params["PORT"] or 5432),
                "-U",
                params["USER"] or "postgres",
                params["NAME"],
            ],
            capture_output=True,
            text=True,
            check=True,
            env={"PGPASSWORD": params.get("PASSWORD") or ""},
        )
        return result.stdout
    raise AssertionError(f"no dump for {connection.vendor}")


@pytest.mark.django_db(transaction=True)
def test_dump_holds_no_plaintext_identity_or_account_numbers():
    o = organisations()
    assert persons(o, count=40) == 40
    # changes and reveals too, so the history and access-log tables have rows
    for person in Person.objects.all()[:5]:
        person_update(actor=SYSTEM, person=person, phone="13800000000")
        person_reveal_id_number(actor=SYSTEM, person=person)
    numbers = [p.id_number for p in Person.objects.all()]
    accounts = [a.account_number for a in BankAccount.objects.all()]
    assert numbers and accounts
    dump = _dump()
    assert "historicalperson" in dump.lower()
    leaked = [n for n in numbers + accounts if n in dump]
    assert not leaked, f"{len(leaked)} plaintext numbers in the dump"
    # the lower-case form and a number inside any 18-character run are absent too
    assert not any(n.lower() in dump for n in numbers)
    assert re.search(r"enc1\$", dump)
