"""What the import benchmarks share: the demo's organisations in the fresh database, the timing
of one import, the verdict against the target, the ``upskill bench <name>`` sub-command."""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import time

from django.core.management import call_command
from django.db import connection

from upskill.core.scoping import SYSTEM
from upskill.demo.seed import organisations
from upskill.organisations.models import Region
from upskill.organisations.services import role_for, user_create

from .database import FRESH


def fresh_world(org_key: str):
    """Migrate the fresh database and make the demo's organisations and a clerk of
    ``world[org_key]``: returns the organisations, the clerk and the names of Gong'an's
    townships."""
    print(f"database: {connection.settings_dict['NAME']} (fresh SQLite)")
    call_command("migrate", verbosity=0, interactive=False)
    world = organisations()
    clerk = user_create(
        actor=SYSTEM,
        organisation=world[org_key],
        role=role_for(world[org_key].kind, "clerk"),
        username=f"bench_{org_key}",
        password=secrets.token_urlsafe(16),  # never logs in
        check_password=False,
    )
    townships = list(
        Region.objects.filter(level="township", parent__code="421022").values_list(
            "name", flat=True
        )
    )
    return world, clerk, townships


def timed_import(run, *, n: int, read_seconds: float):
    """Run ``run(progress)`` (an import of n rows: read + validate + commit), print the wall
    time of each step, rows/s, the CPU time and the load average, and return
    ``(result, wall seconds)``."""
    marks: dict[str, float] = {}

    def progress(done: int, total: int) -> None:
        if done == total and "validated" not in marks:
            marks["validated"] = time.perf_counter()

    load = os.getloadavg()
    started = time.perf_counter()
    cpu_started = time.process_time()
    result = run(progress)
    finished = time.perf_counter()
    cpu = time.process_time() - cpu_started
    total = finished - started
    validated = marks.get("validated", finished) - started
    print(f"read alone:                 {read_seconds:6.2f} s")
    print(f"read + validate:            {validated:6.2f} s")
    print(f"commit (bulk, with history): {finished - marks.get('validated', finished):5.2f} s")
    print(f"total read+validate+commit: {total:6.2f} s  →  {n / total:,.0f} rows/s")
    print(
        f"CPU time of this process:   {cpu:6.2f} s  (the wall time above also counts waiting "
        "for a CPU on a busy machine)"
    )
    print(f"load average before the run (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"recorded: {result}")
    return result, total


def finish(total: float, n: int) -> int:
    """Say whether the run kept to the target (10 s for 10,000 rows) and remove the database."""
    target = 10.0 * n / 10_000
    print(("within" if total < target else "OVER") + f" the target of {target:.1f} s")
    connection.close()
    if FRESH["dir"]:
        shutil.rmtree(FRESH["dir"], ignore_errors=True)
    return 0


def bench_command(
    bench_parser: argparse.ArgumentParser, name: str, help_text: str
) -> argparse.ArgumentParser:
    """A new ``upskill bench <name>`` beside ``upskill bench policy``, for its arguments."""
    benches = next(
        action for action in bench_parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    return benches.add_parser(name, help=help_text)


def add_command(bench_parser: argparse.ArgumentParser, name: str, help_text: str, main) -> None:
    """Add ``upskill bench <name> --n N --seed S`` beside ``upskill bench policy``."""
    command = bench_command(bench_parser, name, help_text)
    command.add_argument("--n", type=int, default=10_000)
    command.add_argument("--seed", type=int, default=2023)
    command.set_defaults(func=lambda args: main(n=args.n, seed=args.seed))
