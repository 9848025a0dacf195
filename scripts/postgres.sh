# Throwaway PostgreSQL cluster for tests and checks. Source this file, then:
#   pg_throwaway_start   # initdb in a temp dir, start on 127.0.0.1 and a free port; exports
#                        # TEST_DATABASE_URL, TONGDAO_PG_BIN, TONGDAO_PG_DATA, TONGDAO_PG_PORT
#   pg_throwaway_stop    # stop the cluster by its PID and remove its directory
# PostgreSQL refuses to run as root, so under root the server runs as the `postgres` user.

pg_throwaway_bin() {
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$initdb" ]; then
    echo "PostgreSQL binaries not found: installing the postgresql package" >&2
    if [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
  fi
  dirname "$initdb"
}

pg_throwaway_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_throwaway_pid() {
  head -n 1 "$TONGDAO_PG_DATA/postmaster.pid" 2>/dev/null
}

pg_throwaway_start() {
  TONGDAO_PG_BIN=$(pg_throwaway_bin) || return 1
  TONGDAO_PG_DIR=$(mktemp -d /tmp/tongdao-pg.XXXXXX)
  TONGDAO_PG_DATA="$TONGDAO_PG_DIR/data"
  TONGDAO_PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if [ "$(id -u)" = 0 ]; then chown postgres "$TONGDAO_PG_DIR"; fi
  pg_throwaway_as_owner "$TONGDAO_PG_BIN/initdb" -D "$TONGDAO_PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null || return 1
  pg_throwaway_as_owner "$TONGDAO_PG_BIN/pg_ctl" -D "$TONGDAO_PG_DATA" -l "$TONGDAO_PG_DIR/server.log" -w \
    -o "-p $TONGDAO_PG_PORT -k $TONGDAO_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null || {
      cat "$TONGDAO_PG_DIR/server.log" >&2; return 1; }
  export TONGDAO_PG_BIN TONGDAO_PG_DIR TONGDAO_PG_DATA TONGDAO_PG_PORT
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$TONGDAO_PG_PORT/postgres"
  echo "PostgreSQL $("$TONGDAO_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$TONGDAO_PG_PORT (pid $(pg_throwaway_pid))"
}

pg_throwaway_stop() {
  [ -n "${TONGDAO_PG_DATA:-}" ] || return 0
  local pid
  pid=$(pg_throwaway_pid)
  if [ -n "$pid" ]; then
    kill -INT "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -rf "$TONGDAO_PG_DIR"
  unset TONGDAO_PG_DATA
}
