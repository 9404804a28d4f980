"""Backup and restore (issue 20.2): the demo, seeded through the services, is backed up with
``upskill backup``, restored by ``upskill restore`` into a fresh database (a new SQLite file, or
a new PostgreSQL database when the suite runs on PostgreSQL) with fresh file storage, and
``upskill ledger verify`` passes on the copy. The backup holds no key."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection

from upskill.core.backup import walk
from upskill.core.scoping import SYSTEM
from upskill.registry.models import Person
from upskill.subsidies import ledger
from upskill.subsidies.models import CheckpointReason, LedgerEntry

pytestmark = pytest.mark.django_db(transaction=True)


def _upskill(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upskill.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _fresh_database(tmp_path: Path) -> tuple[str, object]:
    """A URL of an empty database of the suite's engine, and how to count a table in it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def count(table: str) -> int:
            with sqlite3.connect(path) as db:
                return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

        return f"sqlite:///{path}", count
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    params = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    def count(table: str) -> int:
        with psycopg.connect(dbname=name, **params) as restored:
            return restored.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    user = f"{params['user']}@" if params["user"] else ""
    password = f":{params['password']}@" if params["password"] else ""
    auth = f"{params['user']}{password}" if params["password"] else user
    return f"postgres://{auth}{params['host'] or ''}:{params['port'] or 5432}/{name}", count


@pytest.fixture
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_backed_up_restores_into_a_fresh_installation_and_its_ledger_verifies(
    tmp_path, settings, _media_root
):
    from upskill.demo.seed import seed

    seed()
    ledger.checkpoint(actor=SYSTEM, reason=CheckpointReason.MANUAL)
    stored = sorted(walk(storages["default"]))
    checkpoints = sorted(walk(storages["ledger_checkpoints"]))
    assert stored and checkpoints  # evidence, certificates, claim documents; signed checkpoints

    archive = tmp_path / "upskill-backup.tar.gz"
    call_command("backup", str(archive))
    assert archive.exists()

    # never a key in the backup
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    secrets = [
        *settings.FIELD_ENCRYPTION_KEYS.values(),
        settings.LOOKUP_HASH_KEY,
        *settings.LEDGER_MAC_KEYS.values(),
        settings.LEDGER_SIGNING_KEY,
    ]
    for path in unpacked.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not any(s.encode() in content for s in secrets), path

    url, count = _fresh_database(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "upskill.settings",
        "DATABASE_URL": url,
        "UPSKILL_MEDIA_ROOT": str(tmp_path / "restored-media"),
        "UPSKILL_LEDGER_CHECKPOINT_STORAGE": "file",
        "UPSKILL_LEDGER_CHECKPOINT_DIR": str(tmp_path / "restored-checkpoints"),
        # the same keys, given to the new installation apart from the backup
        "UPSKILL_FIELD_KEYS": ",".join(
            f"{k}:{v}" for k, v in django_settings.FIELD_ENCRYPTION_KEYS.items()
        ),
        "UPSKILL_FIELD_KEY_ID": settings.FIELD_ENCRYPTION_KEY_ID,
        "UPSKILL_LEDGER_KEYS": ",".join(f"{k}:{v}" for k, v in settings.LEDGER_MAC_KEYS.items()),
        "UPSKILL_LEDGER_KEY_ID": settings.LEDGER_MAC_KEY_ID,
        "UPSKILL_LEDGER_SIGNING_KEY": settings.LEDGER_SIGNING_KEY,
    }
    env.pop("UPSKILL_S3_BUCKET", None)
    restored = _upskill("restore", str(archive), env=env)
    assert restored.returncode == 0, restored.stderr
    verified = _upskill("ledger", "verify", env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    assert count("registry_person") == Person.objects.count()
    assert count("subsidies_ledgerentry") == LedgerEntry.objects.count() > 0
    media = tmp_path / "restored-media"
    assert sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()) == (
        stored
    )
    restored_checkpoints = tmp_path / "restored-checkpoints"
    assert sorted(p.name for p in restored_checkpoints.iterdir()) == checkpoints

    # a second restore over the restored data is refused: restore makes a fresh installation
    again = _upskill("restore", str(archive), env=env)
    assert again.returncode != 0 and "not empty" in again.stderr
    # other keys than the backup's are refused before anything is written
    wrong = _upskill(
        "restore", str(archive), env={**env, "UPSKILL_LEDGER_KEYS": "other:" + "MQ" * 22}
    )
    assert wrong.returncode != 0 and "keys" in wrong.stderr


def test_a_damaged_backup_is_refused(tmp_path, _media_root):
    from upskill.core.backup import BackupError, backup_read, backup_write

    target = tmp_path / "backup"
    backup_write(target)
    database = next(p for p in target.iterdir() if p.name.startswith("database."))
    database.write_bytes(database.read_bytes()[:-10])
    with pytest.raises(BackupError, match="damaged"):
        backup_read(target)
