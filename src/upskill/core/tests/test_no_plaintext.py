"""A database dump of the demo, audit tables included, holds no plaintext ID number, bank
number or phone number (persons and teachers)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.db import connection

from upskill.core.scoping import SYSTEM
from upskill.demo.seed import organisations, persons
from upskill.registry.models import BankAccount, Person
from upskill.registry.services import (
    person_reveal_id_number,
    person_reveal_phone,
    person_update,
)
from upskill.training.models import Teacher
from upskill.training.services import teacher_create, teacher_update


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
def test_dump_holds_no_plaintext_identity_account_or_phone_numbers():
    o = organisations()
    assert persons(o, count=40) == 40
    # changes and reveals too, so the history and access-log tables have rows: the phones the
    # persons were registered with stay in the history as they were changed
    registered_phones = [p.phone for p in Person.objects.exclude(phone="")]
    for index, person in enumerate(Person.objects.all()[:5]):
        person_update(actor=SYSTEM, person=person, phone=f"1380000000{index}")
        person_reveal_id_number(actor=SYSTEM, person=person)
        person_reveal_phone(actor=SYSTEM, person=person)
    teacher = teacher_create(
        actor=SYSTEM,
        organisation=o["inst1"],
        name="周老师",
        certificate_kind="职业技能等级证书",
        certificate_number="T2023099",
        phone="13971601234",
    )
    teacher_update(actor=SYSTEM, teacher=teacher, phone="13971605678")
    numbers = [p.id_number for p in Person.objects.all()]
    accounts = [a.account_number for a in BankAccount.objects.all()]
    phones = {p.phone for p in Person.objects.exclude(phone="")}
    phones |= {t.phone for t in Teacher.objects.exclude(phone="")}
    phones |= {*registered_phones, "13971601234"}
    assert numbers and accounts and len(phones) > 10
    dump = _dump()
    assert "historicalperson" in dump.lower() and "historicalteacher" in dump.lower()
    leaked = [n for n in numbers + accounts if n in dump]
    assert not leaked, f"{len(leaked)} plaintext numbers in the dump"
    leaked_phones = [phone for phone in phones if phone in dump]
    assert not leaked_phones, f"{len(leaked_phones)} plaintext phone numbers in the dump"
    # what screens show is in the dump instead: the masked copy
    assert "138****0000" in dump
    # the lower-case form and a number inside any 18-character run are absent too
    assert not any(n.lower() in dump for n in numbers)
    assert re.search(r"enc1\$", dump)
