"""``upskill backup DIR`` or ``upskill backup FILE.tar.gz``: a consistent backup of the database,
the stored files and the ledger's checkpoints; never the keys (core/backup.py)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from upskill.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "Write a backup (database, stored files, ledger checkpoints; never the keys)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("destination", help="a new or empty directory, or a .tar.gz file")

    def handle(self, *args, **options) -> None:
        try:
            manifest = backup_write(options["destination"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        stored = ", ".join(f"{alias} {n}" for alias, n in manifest["storages"].items())
        self.stdout.write(
            f"backup written to {options['destination']}: {manifest['engine']} database, "
            f"files: {stored}. The keys are not in it: keep them apart."
        )
