"""``upskill reports rebuild-summary``: recount the progress dashboards' summary from the
records (issue 18). The services keep it up to date as the facts change; this is for the
installation of the summary on an existing database and after a bulk load (the synthetic
province of ``upskill bench province`` runs it at its end). Never run on a request."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from upskill.reports.services import summary_rebuild


class Command(BaseCommand):
    help = "Recount the progress dashboards' summary from the records (rebuild-summary)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["rebuild-summary"])

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        rows = summary_rebuild()
        self.stdout.write(
            f"progress summary rebuilt: {rows:,} rows in {time.perf_counter() - started:.1f} s"
        )
