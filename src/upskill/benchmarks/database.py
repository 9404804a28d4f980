"""The fresh database a benchmark runs in, chosen before Django reads its settings (so this
module imports nothing of Django or the project; see ``upskill.cli``)."""

from __future__ import annotations

import os
import tempfile

# The temporary directory of the run's SQLite file, removed by ``common.finish``.
FRESH: dict[str, str | None] = {"dir": None}


def use_fresh_database() -> str:
    """Point Django at an empty SQLite file in a temporary directory."""
    directory = tempfile.mkdtemp(prefix="upskill-bench-")
    FRESH["dir"] = directory
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    return directory
