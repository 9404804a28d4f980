"""``upskill settle --region 421022 --year 2023``: what the finished classes of a region and
year would be able to claim, computed by the policy engine's batch path, per programme, payee
kind and rule, with a progress bar on the terminal."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from upskill.core.scoping import SYSTEM
from upskill.subsidies.selectors import settle


class Command(BaseCommand):
    help = "Batch settlement: what a region's finished classes of a year would claim."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--region", required=True, help="GB/T 2260 code, e.g. 421022")
        parser.add_argument("--year", required=True, type=int)

    def handle(self, *args, **options) -> None:
        def progress(done: int, total: int, message: str = "") -> None:
            width = 30
            filled = int(width * done / total) if total else width
            bar = "#" * filled + "-" * (width - filled)
            sys.stderr.write(f"\r[{bar}] {done}/{total} {message[:30]:<30}")
            sys.stderr.flush()

        result = settle(
            actor=SYSTEM, region=options["region"], year=options["year"], progress=progress
        )
        sys.stderr.write("\n")
        self.stdout.write(
            f"region {result['region']} {result['year']}: {result['classes']} classes, "
            f"{result['records']} trainees, {result['accepted']} accepted, "
            f"{result['rejected']} refused; claimable {result['total']}"
        )
        self.stdout.write(f"{'programme':<14}{'payee':<12}{'rule':<12}{'count':>7}{'amount':>14}")
        for line in result["lines"]:
            self.stdout.write(
                f"{line['program']:<14}{line['payee']:<12}{line['rule']:<12}"
                f"{line['count']:>7}{line['amount']:>14}"
            )
