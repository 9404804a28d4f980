"""``upskill ledger verify``: walk the fund ledger's hash chain (HB45-PUB-1); exit 1 at the
first entry that was changed, removed or re-linked."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Verify the fund ledger's hash chain (HB45-PUB-1)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options) -> None:
        from upskill.subsidies.ledger import verify

        result = verify()
        if result.ok:
            self.stdout.write(f"ledger OK: {result.count} entries, hash chain intact (HB45-PUB-1)")
            return
        self.stderr.write(
            f"ledger BROKEN at entry {result.broken_seq}: {result.problem} (HB45-PUB-1)"
        )
        raise SystemExit(1)
