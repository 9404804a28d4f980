"""Reads locust's CSV statistics of the heartbeat load test: requests a second, median, p95,
p99 and max of the heartbeat, the errors, the load average; exits 1 on any failure or a p95
over the budget (100 ms, issue 17)."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import UTC, datetime

BUDGET_MS = 100
HEARTBEAT = "/me/learning/lessons/[id]/heartbeat"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("stats")
    parser.add_argument("failures")
    parser.add_argument("--users", default="?")
    parser.add_argument("--time", default="?")
    parser.add_argument("--ramp", default="?")
    parser.add_argument("--workers", default="?")
    parser.add_argument("--load-before", default="?")
    parser.add_argument("--load-after", default="?")
    args = parser.parse_args()
    with open(args.stats, newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    with open(args.failures, newline="") as handle:
        failures = list(csv.DictReader(handle))
    beat = rows.get(HEARTBEAT)
    print(
        f"heartbeat load test {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {args.users} "
        f"learners (ramp-up {args.ramp} s, then {args.time} measured), the stack's "
        f"{args.workers}; load average (1, 5, 15 min) before {args.load_before}, "
        f"after {args.load_after}"
    )
    print(
        f"{'request':<44} {'requests':>9} {'req/s':>7} {'median ms':>10} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7} {'failures':>9}"
    )
    for name, row in rows.items():
        if name == "Aggregated":
            continue
        print(
            f"{row['Type'] + ' ' + name:<44} {int(row['Request Count']):>9,} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>10} {row['95%']:>7} "
            f"{row['99%']:>7} {float(row['Max Response Time']):>7.0f} "
            f"{int(row['Failure Count']):>9,}"
        )
    errors = sum(int(failure["Occurrences"]) for failure in failures)
    for failure in failures:
        print(
            f"FAILED {failure['Method']} {failure['Name']}: {failure['Error']} "
            f"×{failure['Occurrences']}"
        )
    if beat is None:
        print("no heartbeat was measured")
        return 1
    p95 = float(beat["95%"] or 0)
    verdict = "within" if p95 < BUDGET_MS else "OVER"
    print(
        f"heartbeat p95 {p95:.0f} ms at {float(beat['Requests/s']):.1f} requests/s, "
        f"{errors} errors: {verdict} the budget of {BUDGET_MS} ms"
    )
    return 1 if errors or p95 >= BUDGET_MS else 0


if __name__ == "__main__":
    sys.exit(main())
