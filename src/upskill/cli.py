"""The ``upskill`` command.

``upskill demo`` sets up and serves the demo; ``upskill policy …`` and ``upskill bench …`` are
the policy engine's doors; anything else is one of Django's management commands
(``upskill migrate``, ``upskill createsuperuser``, ``upskill check --deploy`` …).
"""

from __future__ import annotations

import argparse
import os
import sys


def _own_commands(argv: list[str]) -> int:
    # Imports inside the function on purpose: the benchmarks' database is chosen before Django
    # reads its settings, and the apps are imported only after ``django.setup()``. Nothing sits
    # above this module, so these imports hide no dependency (docs/architecture.md).
    import django

    from upskill.benchmarks.database import use_fresh_database, use_fresh_postgres

    if argv[:2] in (["bench", "import"], ["bench", "roster"]):
        use_fresh_database()  # before the settings are read
    if argv[:2] == ["bench", "lists"]:
        server = next((a.split("=", 1)[1] for a in argv if a.startswith("--postgres=")), "")
        if "--postgres" in argv:
            server = argv[argv.index("--postgres") + 1]
        use_fresh_postgres(server) if server else use_fresh_database()
    django.setup()
    from upskill.benchmarks import (
        class_roster,
        heartbeat,
        person_list,
        province,
        roster_import,
        scale,
    )
    from upskill.policy import cli as policy_cli
    from upskill.policy_admin.services import parameters_for_cli

    parser = argparse.ArgumentParser(prog="upskill")
    subparsers = parser.add_subparsers(dest="command", required=True)
    policy_cli.register(subparsers, params_factory=parameters_for_cli)
    roster_import.register(subparsers.choices["bench"])
    class_roster.register(subparsers.choices["bench"])
    province.register(subparsers.choices["bench"])
    person_list.register(subparsers.choices["bench"])
    scale.register(subparsers.choices["bench"])
    heartbeat.register(subparsers.choices["bench"])
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upskill.settings")
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in {"policy", "bench"}:
        return _own_commands(argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["upskill", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
