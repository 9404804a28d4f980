#!/usr/bin/env bash
# `make bench-load`: the production-like stack (deploy/stack.sh) and locust's clerks against it,
# LOAD_USERS users (50) for LOAD_TIME (5m); prints each page's p95 and fails on any error.
set -euo pipefail
cd "$(dirname "$0")/.."
USERS="${LOAD_USERS:-50}"
TIME="${LOAD_TIME:-5m}"
PORT="${LOAD_PORT:-8077}"
OUT=var/load
mkdir -p "$OUT"

UPSKILL_BIND="127.0.0.1:${PORT}" setsid bash deploy/stack.sh > "$OUT/stack.log" 2>&1 &
STACK=$!
trap 'kill -TERM -- -$STACK 2>/dev/null || true; wait $STACK 2>/dev/null || true' EXIT
for _ in $(seq 1 900); do
  curl -fs "http://127.0.0.1:${PORT}/healthz" >/dev/null 2>&1 && break
  kill -0 "$STACK" 2>/dev/null || { tail -20 "$OUT/stack.log"; exit 1; }
  sleep 1
done
.venv/bin/locust -f bench/locustfile.py --headless -u "$USERS" -r 5 -t "$TIME" \
  --host "http://127.0.0.1:${PORT}" --csv "$OUT/locust" --only-summary > "$OUT/locust.log" 2>&1 || true
.venv/bin/python bench/load_report.py "$OUT/locust_stats.csv" "$OUT/locust_failures.csv" \
  --users "$USERS" --time "$TIME"
