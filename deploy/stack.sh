#!/usr/bin/env bash
# `make stack`: the production-like stack on this machine — PostgreSQL, Redis, gunicorn's web
# workers and the huey worker, production settings from the environment (deploy/upskill.env
# shows them), static files collected and served compressed by whitenoise. TLS is the proxy's
# (deploy/nginx-upskill.conf); here it is plain HTTP on 127.0.0.1, so the secure-cookie and
# HTTPS-redirect settings are relaxed (UPSKILL_SSL_REDIRECT=0, UPSKILL_SECURE_COOKIES=0), and the
# second factor is optional as in the demo (UPSKILL_REQUIRE_2FA=0).
#
# STACK_DB (default upskill_stack) names the database: the province-sized database of the
# reports issue is used by the load test when it exists. STACK_DEMO=0 skips the demo data.
# `--run COMMAND…` runs that command in the stack's environment instead of serving.
set -euo pipefail
cd "$(dirname "$0")/.."

STACK_DB="${STACK_DB:-upskill_stack}"
STACK_DEMO="${STACK_DEMO:-1}"
BIND="${UPSKILL_BIND:-127.0.0.1:8000}"

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='${STACK_DB}'" \
  | grep -q 1 || createdb -h 127.0.0.1 -U postgres "${STACK_DB}"

# Production keys for this machine's stack, made once and kept apart from the database
# (var/stack.env, mode 600): losing them loses the encrypted ID and bank numbers.
mkdir -p var
if [ ! -f var/stack.env ]; then
  umask 077
  key() { .venv/bin/python -c 'import base64,secrets;print(base64.b64encode(secrets.token_bytes(32)).decode())'; }
  cat > var/stack.env <<ENV
UPSKILL_SECRET_KEY=$(.venv/bin/python -c 'import secrets;print(secrets.token_urlsafe(50))')
UPSKILL_FIELD_KEYS=s1:$(key)
UPSKILL_FIELD_KEY_ID=s1
UPSKILL_LOOKUP_KEY=$(key)
UPSKILL_LEDGER_KEYS=sl1:$(key)
UPSKILL_LEDGER_KEY_ID=sl1
UPSKILL_LEDGER_SIGNING_KEY=$(key)
ENV
fi
set -a
# shellcheck disable=SC1091
. var/stack.env
UPSKILL_ENV=production
UPSKILL_SSL_REDIRECT=0
UPSKILL_SECURE_COOKIES=0
UPSKILL_HSTS_SECONDS=0
# the demo's log-ins (and the load test's journeys) without the second factor; a real site
# keeps the production default (docs/operations.md)
UPSKILL_REQUIRE_2FA="${UPSKILL_REQUIRE_2FA:-0}"
UPSKILL_ALLOWED_HOSTS="${UPSKILL_ALLOWED_HOSTS:-127.0.0.1,localhost}"
UPSKILL_STATIC_ROOT="${UPSKILL_STATIC_ROOT:-$PWD/var/stack-static}"
UPSKILL_MEDIA_ROOT="${UPSKILL_MEDIA_ROOT:-$PWD/var/stack-media}"
UPSKILL_LEDGER_CHECKPOINT_DIR="${UPSKILL_LEDGER_CHECKPOINT_DIR:-$PWD/var/stack-checkpoints}"
DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/${STACK_DB}}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/1}"
set +a
mkdir -p "$UPSKILL_STATIC_ROOT" "$UPSKILL_MEDIA_ROOT" "$UPSKILL_LEDGER_CHECKPOINT_DIR"
# `deploy/stack.sh --run COMMAND…`: run one command in the stack's environment (its database,
# keys and secret) instead of serving: the heartbeat load test's seed (bench/heartbeat.sh)
if [ "${1:-}" = "--run" ]; then
  shift
  exec "$@"
fi

.venv/bin/upskill migrate --noinput -v 0
# collected and compressed again only when a static file changed (it takes a minute)
manifest="$UPSKILL_STATIC_ROOT/staticfiles.json"
if [ ! -f "$manifest" ] || [ -n "$(find src/upskill -path '*/static/*' -newer "$manifest" -print -quit)" ]; then
  .venv/bin/upskill collectstatic --noinput -v 0
fi
if [ "$STACK_DEMO" = 1 ]; then
  .venv/bin/upskill demo --no-serve | tail -n +2 | head -3
fi
.venv/bin/upskill check --deploy --fail-level ERROR
exec .venv/bin/upskill serve --bind "$BIND" "$@"
