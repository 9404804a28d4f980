"""``upskill backup`` and ``upskill restore`` (issue 20.2).

A backup is a directory (or one ``.tar.gz`` file) holding:

* ``manifest.json`` — when, the database engine, the newest migration of every app, the key
  *ids* and the ledger signing key's fingerprint the data was written with (never a key), and
  the SHA-256 of every file;
* ``database.sqlite3`` (SQLite's online backup API: one consistent copy while the product runs)
  or ``database.pgdump`` (``pg_dump --format=custom``: one snapshot);
* ``storage/<alias>/…`` — every stored file of each file storage in ``settings.STORAGES`` but the
  static files: evidence, certificates, claim documents, reports (``default``, local disk or the
  S3 bucket) and the fund ledger's signed checkpoints (``ledger_checkpoints``).

The ledger's checkpoints are copied *before* the database is dumped, so every checkpoint signs
an entry the dump holds (``upskill ledger verify`` passes on the copy); the other stored files
after it, so every file the dump names was already written.

The keys (``var/keys.json`` or the ``UPSKILL_*_KEY*`` environment) are never written into a
backup: the restored installation is given the same keys by the operator, kept apart
(docs/operations.md). ``restore`` compares the manifest's key ids and fingerprint with the
configured keys and refuses a mismatch, since the encrypted numbers could not be read.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
CHECKPOINTS = "ledger_checkpoints"
# Storages that are built from the code (collectstatic), not data.
NOT_BACKED_UP = {"staticfiles"}


class BackupError(Exception):
    pass


def storage_aliases() -> list[str]:
    """The file storages a backup holds, the ledger's checkpoints first."""
    names = [alias for alias in settings.STORAGES if alias not in NOT_BACKED_UP]
    return sorted(names, key=lambda alias: (alias != CHECKPOINTS, alias))


def walk(storage: Storage, top: str = "") -> Iterator[str]:
    """Every file name of a storage (local disk or S3), through the storage API."""
    try:
        directories, files = storage.listdir(top)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{top}/{name}" if top else name
    for directory in sorted(directories):
        yield from walk(storage, f"{top}/{directory}" if top else directory)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def key_identities() -> dict[str, object]:
    """What says which keys the data was written with, without the keys themselves."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    fingerprint = ""
    seed = getattr(settings, "LEDGER_SIGNING_KEY", "")
    if seed:
        try:
            import base64

            raw = base64.b64decode(seed)
            if len(raw) == 32:
                public = Ed25519PrivateKey.from_private_bytes(raw).public_key().public_bytes_raw()
                fingerprint = hashlib.sha256(public).hexdigest()[:16]
        except ValueError:
            fingerprint = ""
    return {
        "field_key_ids": sorted(settings.FIELD_ENCRYPTION_KEYS),
        "field_key_id": settings.FIELD_ENCRYPTION_KEY_ID,
        "lookup_key_sha256_prefix": hashlib.sha256(
            str(settings.LOOKUP_HASH_KEY).encode()
        ).hexdigest()[:8],
        "ledger_key_ids": sorted(settings.LEDGER_MAC_KEYS),
        "ledger_signing_key_fingerprint": fingerprint,
    }


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"no backup for the {vendor} database engine")
    return vendor


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client)")
    return path


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _dump_database(target: Path) -> str:
    engine = _engine()
    if engine == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target / SQLITE_FILE)
        try:
            with destination:
                connection.connection.backup(destination)
        finally:
            destination.close()
        return SQLITE_FILE
    args, env = _pg_env()
    subprocess.run(  # noqa: S603 - the program found on PATH, arguments from the settings
        [
            _program("pg_dump"),
            *args,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target / PG_FILE),
            connection.settings_dict["NAME"],
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    return PG_FILE


def _copy_storage(alias: str, target: Path, files: dict[str, str]) -> int:
    storage = storages[alias]
    count = 0
    for name in walk(storage):
        path = target / "storage" / alias / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, path.open("wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
        files[f"storage/{alias}/{name}"] = _sha256(path)
        count += 1
    return count


def backup_write(destination: str | os.PathLike) -> dict:
    """Write a backup to ``destination``: a new or empty directory, or a ``.tar.gz`` file.
    Returns the manifest."""
    destination = Path(destination)
    as_tar = destination.name.endswith((".tar.gz", ".tgz"))
    if as_tar:
        if destination.exists():
            raise BackupError(f"{destination} exists already")
        work = Path(tempfile.mkdtemp(prefix="upskill-backup-", dir=destination.parent))
    else:
        if destination.exists() and any(destination.iterdir()):
            raise BackupError(f"{destination} is not empty")
        destination.mkdir(parents=True, exist_ok=True)
        work = destination
    try:
        files: dict[str, str] = {}
        counts: dict[str, int] = {}
        aliases = storage_aliases()
        # the checkpoints first: each signs an entry the dump below holds
        for alias in aliases[:1]:
            counts[alias] = _copy_storage(alias, work, files)
        database = _dump_database(work)
        files[database] = _sha256(work / database)
        for alias in aliases[1:]:
            counts[alias] = _copy_storage(alias, work, files)
        manifest = {
            "format": FORMAT,
            "product": "upskill",
            "created_at": timezone.now().isoformat(),
            "engine": _engine(),
            "database": database,
            "migrations": _migrations(),
            "storages": counts,
            "keys": key_identities(),
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        if as_tar:
            partial = destination.with_name(destination.name + ".partial")
            with tarfile.open(partial, "w:gz") as tar:
                for item in sorted(work.iterdir()):
                    tar.add(item, arcname=item.name)
            partial.replace(destination)  # the file appears whole or not at all
        return manifest
    finally:
        if as_tar:
            shutil.rmtree(work, ignore_errors=True)


def _migrations() -> dict[str, str]:
    newest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        newest[app] = max(newest.get(app, ""), name)
    return dict(sorted(newest.items()))


# -- restore -----------------------------------------------------------------------------------


def _unpack(source: Path) -> tuple[Path, Path | None]:
    if source.is_dir():
        return source, None
    work = Path(tempfile.mkdtemp(prefix="upskill-restore-"))
    with tarfile.open(source, "r:*") as tar:
        tar.extractall(work, filter="data")
    return work, work


def backup_read(source: str | os.PathLike) -> tuple[dict, Path, Path | None]:
    """The manifest, the unpacked directory and the temporary directory to remove (or None),
    after checking every file against its SHA-256."""
    directory, cleanup = _unpack(Path(source))
    manifest_path = directory / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} is not an upskill backup (no {MANIFEST})")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for name, digest in manifest["files"].items():
        path = directory / name
        if not path.exists() or _sha256(path) != digest:
            raise BackupError(f"{name} is missing or damaged in the backup")
    return manifest, directory, cleanup


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _load_database(directory: Path, manifest: dict, *, force: bool = False) -> None:
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"the backup is of a {manifest['engine']} database; this installation uses {engine}"
        )
    if engine == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            raise BackupError("restore needs an SQLite database file, not an in-memory one")
        connection.close()
        source = sqlite3.connect(directory / SQLITE_FILE)
        destination = sqlite3.connect(name)
        try:
            with destination:
                source.backup(destination)
        finally:
            source.close()
            destination.close()
        return
    args, env = _pg_env()
    connection.close()
    subprocess.run(  # noqa: S603 - the program found on PATH, arguments from the settings
        [
            _program("pg_restore"),
            *args,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            *(["--clean", "--if-exists"] if force else []),
            "--dbname",
            connection.settings_dict["NAME"],
            str(directory / PG_FILE),
        ],
        env=env,
        check=True,
        capture_output=True,
    )


def _restore_storage(alias: str, directory: Path) -> int:
    storage = storages[alias]
    root = directory / "storage" / alias
    if not root.exists():
        return 0
    count = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        if storage.exists(name):
            storage.delete(name)
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"{alias}: {name} was stored as {saved}")
        count += 1
    return count


def backup_restore(source: str | os.PathLike, *, force: bool = False) -> dict:
    """Rebuild this installation from a backup: the database (which must be empty unless
    ``force``), then every stored file. The configured keys must be those the manifest names."""
    manifest, directory, cleanup = backup_read(source)
    try:
        mine, theirs = key_identities(), manifest["keys"]
        missing = [
            what
            for what, ok in (
                ("field encryption key", theirs["field_key_id"] in mine["field_key_ids"]),
                (
                    "lookup key",
                    theirs["lookup_key_sha256_prefix"] == mine["lookup_key_sha256_prefix"],
                ),
                ("ledger keys", set(theirs["ledger_key_ids"]) <= set(mine["ledger_key_ids"])),
            )
            if not ok
        ]
        if missing:
            raise BackupError(
                "the configured keys are not those the backup was written with ("
                + ", ".join(missing)
                + "): configure the installation's keys (kept apart from backups) first"
            )
        if not force and not _database_is_empty():
            raise BackupError("the database is not empty: restore into a fresh installation")
        _load_database(directory, manifest, force=force)
        counts = {alias: _restore_storage(alias, directory) for alias in storage_aliases()}
        return {"manifest": manifest, "restored": counts}
    finally:
        if cleanup is not None:
            shutil.rmtree(cleanup, ignore_errors=True)
