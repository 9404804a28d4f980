"""The fresh database a benchmark runs in, chosen before Django reads its settings (so this
module imports nothing of Django or the project; see ``upskill.cli``)."""

from __future__ import annotations

import os
import tempfile

# The temporary directory of the run's SQLite file, removed by ``common.finish``.
FRESH: dict[str, str | None] = {"dir": None}


def use_fresh_postgres(server_url: str) -> str:
    """Point Django at a new, empty PostgreSQL database made on ``server_url``'s server (a URL
    such as ``postgres://postgres@127.0.0.1:5432/``); :func:`drop_fresh_database` drops it."""
    import uuid

    import psycopg

    name = f"upskill_bench_{uuid.uuid4().hex[:8]}"
    from urllib.parse import urlsplit

    parts = urlsplit(server_url)
    base = f"{parts.scheme}://{parts.netloc}"  # the server, whatever database the URL names
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    FRESH["postgres"] = base
    FRESH["database"] = name
    os.environ["DATABASE_URL"] = f"{base}/{name}"
    return name


def drop_fresh_database() -> None:
    """Remove the run's database: the PostgreSQL database made by :func:`use_fresh_postgres`,
    or the temporary directory of the SQLite file."""
    import shutil

    if FRESH.get("database"):
        import psycopg

        with psycopg.connect(f"{FRESH['postgres']}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{FRESH["database"]}"')
        FRESH["database"] = None
    if FRESH.get("dir"):
        shutil.rmtree(FRESH["dir"], ignore_errors=True)
        FRESH["dir"] = None


def use_fresh_database() -> str:
    """Point Django at an empty SQLite file in a temporary directory."""
    directory = tempfile.mkdtemp(prefix="upskill-bench-")
    FRESH["dir"] = directory
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    return directory
