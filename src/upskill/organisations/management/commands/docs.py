"""``upskill docs roles``: write docs/roles.md from roles.py and the models' scope rules;
``--check`` only compares (exit 1 when the committed page differs, e.g. in CI after a change
to roles.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from upskill.organisations.docs import ROLES_PAGE, roles_document


class Command(BaseCommand):
    help = "Generate the project's documents that come from the code (roles)."

    def add_arguments(self, parser):
        parser.add_argument("document", choices=["roles"])
        parser.add_argument("--check", action="store_true", help="compare only; exit 1 if stale")
        parser.add_argument("--output", type=Path, default=ROLES_PAGE)

    def handle(self, *args, document: str, check: bool, output: Path, **options):
        text = roles_document()
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if check:
            if current != text:
                raise CommandError(f"{output} is out of date: run `upskill docs roles`")
            self.stdout.write(f"{output} is up to date")
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {output}")
