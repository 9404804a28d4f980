"""Reads locust's CSV statistics: p95 per page, slowest first; exits 1 on any failure or on a
page whose p95 is over the budget (300 ms, issue 19)."""

from __future__ import annotations

import argparse
import csv
import sys

BUDGET_MS = 300


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("stats")
    parser.add_argument("failures")
    parser.add_argument("--users", default="?")
    parser.add_argument("--time", default="?")
    args = parser.parse_args()
    with open(args.stats, newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"]
    with open(args.failures, newline="") as handle:
        failures = list(csv.DictReader(handle))
    rows.sort(key=lambda row: -float(row["95%"] or 0))
    total = sum(int(row["Request Count"]) for row in rows)
    print(f"load test: {args.users} users for {args.time}, {total:,} requests")
    print(f"{'page':<44} {'requests':>9} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for row in rows:
        print(
            f"{row['Type'] + ' ' + row['Name']:<44} {int(row['Request Count']):>9,} "
            f"{row['50%']:>10} {row['95%']:>8} {float(row['Max Response Time']):>8.0f}"
        )
    over = [row["Name"] for row in rows if float(row["95%"] or 0) > BUDGET_MS]
    for failure in failures:
        print(
            f"FAILED {failure['Method']} {failure['Name']}: {failure['Error']} "
            f"×{failure['Occurrences']}"
        )
    if over:
        print(f"over the {BUDGET_MS} ms p95 budget: {', '.join(over)}")
    return 1 if failures or over else 0


if __name__ == "__main__":
    sys.exit(main())
