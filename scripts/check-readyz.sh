#!/usr/bin/env bash
# End to end: a running `tongdao serve` on PostgreSQL answers /readyz 200, 503 while the cluster is
# stopped (with /healthz still 200), and 200 again once it is back — without a restart.
# Needs a cluster from scripts/postgres.sh (pg_throwaway_start) in this environment.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/postgres.sh
: "${TONGDAO_PG_DATA:?start a cluster with scripts/postgres.sh first}"

swift build --product tongdao >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
db_url="postgres://postgres@127.0.0.1:$TONGDAO_PG_PORT/postgres"
log=$(mktemp)
DATABASE_URL="$db_url" .build/debug/tongdao serve --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT

status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port$1" || true; }
wait_for() { # path expected-status seconds
  for _ in $(seq 1 $(( $3 * 5 ))); do [ "$(status "$1")" = "$2" ] && return 0; sleep 0.2; done
  echo "FAIL: $1 did not answer $2 within $3 s (last: $(status "$1"))"; cat "$log"; return 1
}

wait_for /readyz 200 60
echo "ready: /readyz 200"
pg_throwaway_as_owner "$TONGDAO_PG_BIN/pg_ctl" -D "$TONGDAO_PG_DATA" -m fast -w stop >/dev/null
wait_for /readyz 503 15
[ "$(status /healthz)" = 200 ] || { echo "FAIL: /healthz must stay 200 while the database is down"; exit 1; }
echo "database stopped: /readyz 503, /healthz 200"
pg_throwaway_as_owner "$TONGDAO_PG_BIN/pg_ctl" -D "$TONGDAO_PG_DATA" -l "$TONGDAO_PG_DIR/server.log" -w \
  -o "-p $TONGDAO_PG_PORT -k $TONGDAO_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
wait_for /readyz 200 30
echo "database back: /readyz 200 (same server process $server)"
kill -0 $server
echo "readyz check: 3 passed, 0 failed"
