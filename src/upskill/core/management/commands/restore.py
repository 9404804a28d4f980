"""``upskill restore DIR-or-FILE``: rebuild a fresh installation from ``upskill backup``'s output
(core/backup.py). Configure the same keys first; then run ``upskill ledger verify``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from upskill.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup into a fresh installation (same keys, empty database)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", help="the backup's directory or .tar.gz file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore although the database is not empty (its tables are replaced)",
        )

    def handle(self, *args, **options) -> None:
        try:
            outcome = backup_restore(options["source"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = ", ".join(f"{alias} {n}" for alias, n in outcome["restored"].items())
        self.stdout.write(
            f"restored the {outcome['manifest']['engine']} database of "
            f"{outcome['manifest']['created_at']} and the files ({files}). "
            "Check it with: upskill ledger verify"
        )
