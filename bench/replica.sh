#!/usr/bin/env bash
# A read replica on this machine (issue 19.5): two local PostgreSQL clusters with streaming
# replication, the product migrated and seeded on the primary, and the router's replica reads
# shown to run on the standby. Clusters live under var/replica and are removed at the end
# (KEEP=1 keeps them running). Run by `make bench-replica`.
set -euo pipefail
cd "$(dirname "$0")/.."

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
PRIMARY_PORT=${PRIMARY_PORT:-5433}
REPLICA_PORT=${REPLICA_PORT:-5434}
ROOT=$PWD/var/replica
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop() {
  for dir in "$ROOT/standby" "$ROOT/primary"; do
    [ -f "$dir/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
  done
  [ "${KEEP:-0}" = 1 ] || rm -rf "$ROOT"
}
trap stop EXIT

rm -rf "$ROOT" && mkdir -p "$ROOT"
[ "$(id -u)" = 0 ] && chown postgres "$ROOT"
as_pg "$PGBIN/initdb" -D "$ROOT/primary" -U postgres --auth=trust -E UTF8 >/dev/null
cat >>"$ROOT/primary/postgresql.conf" <<CONF
port = $PRIMARY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$ROOT'
wal_level = replica
max_wal_senders = 4
CONF
echo "host replication postgres 127.0.0.1/32 trust" >>"$ROOT/primary/pg_hba.conf"
as_pg "$PGBIN/pg_ctl" -D "$ROOT/primary" -l "$ROOT/primary.log" -w start >/dev/null

# the standby: a base backup of the primary that keeps streaming its WAL (-R writes the
# connection and standby.signal)
as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$ROOT/standby" -R -X stream
sed -i "s/^port = .*/port = $REPLICA_PORT/" "$ROOT/standby/postgresql.conf"
as_pg "$PGBIN/pg_ctl" -D "$ROOT/standby" -l "$ROOT/standby.log" -w start >/dev/null
echo "primary :$PRIMARY_PORT, streaming standby :$REPLICA_PORT"

as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres upskill
export DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/upskill"
export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/upskill"
export UPSKILL_LEDGER_CHECKPOINT_DIR="$ROOT/checkpoints"
start=$(date +%s)
.venv/bin/upskill migrate --noinput -v 0
.venv/bin/upskill demo --no-serve >/dev/null
echo "migrated and seeded the demo on the primary in $(( $(date +%s) - start )) s"
.venv/bin/python bench/replica_check.py
