#!/usr/bin/env bash
# `make bench-heartbeat`: the production-like stack (deploy/stack.sh, its default web workers)
# and HEARTBEAT_USERS (1,000) learners whose players post a heartbeat every 15 s (~67 requests/s).
# The learners and their sessions are made by `upskill bench heartbeat-seed` in the stack's own
# environment (its database, keys and secret: the sessions are signed with it). Locust spawns
# HEARTBEAT_SPAWN_RATE users a second, then its statistics start afresh (--reset-stats) and it
# measures HEARTBEAT_TIME (4m); prints the heartbeat's p95, the errors and the load average, and
# fails on any error or a p95 over 100 ms (issue 17).
set -euo pipefail
cd "$(dirname "$0")/.."
USERS="${HEARTBEAT_USERS:-1000}"
RATE="${HEARTBEAT_SPAWN_RATE:-10}"
RUN="${HEARTBEAT_TIME:-4m}"
PORT="${HEARTBEAT_PORT:-8078}"
OUT=var/heartbeat
mkdir -p "$OUT"

seconds() {  # 4m → 240, 90s → 90, 1h → 3600
  local value="$1"
  case "$value" in
    *h) echo $(( ${value%h} * 3600 )) ;;
    *m) echo $(( ${value%m} * 60 )) ;;
    *s) echo "${value%s}" ;;
    *) echo "$value" ;;
  esac
}
RAMP=$(( (USERS + RATE - 1) / RATE ))
TOTAL=$(( RAMP + $(seconds "$RUN") ))

UPSKILL_BIND="127.0.0.1:${PORT}" setsid bash deploy/stack.sh > "$OUT/stack.log" 2>&1 &
STACK=$!
trap 'kill -TERM -- -$STACK 2>/dev/null || true; wait $STACK 2>/dev/null || true' EXIT
for _ in $(seq 1 900); do
  curl -fs "http://127.0.0.1:${PORT}/healthz" >/dev/null 2>&1 && break
  kill -0 "$STACK" 2>/dev/null || { tail -20 "$OUT/stack.log"; exit 1; }
  sleep 1
done
bash deploy/stack.sh --run .venv/bin/upskill bench heartbeat-seed --learners "$USERS" \
  --out "$OUT/sessions.json"
WORKERS=$(grep -o "with [0-9]* web workers" "$OUT/stack.log" | head -1 || true)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
HEARTBEAT_SESSIONS="$OUT/sessions.json" .venv/bin/locust -f bench/heartbeat_locustfile.py \
  --headless -u "$USERS" -r "$RATE" -t "${TOTAL}s" --reset-stats \
  --host "http://127.0.0.1:${PORT}" --csv "$OUT/locust" --only-summary > "$OUT/locust.log" 2>&1 || true
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
.venv/bin/python bench/heartbeat_report.py "$OUT/locust_stats.csv" "$OUT/locust_failures.csv" \
  --users "$USERS" --time "$RUN" --ramp "$RAMP" --workers "${WORKERS:-?}" \
  --load-before "$LOAD_BEFORE" --load-after "$LOAD_AFTER"
