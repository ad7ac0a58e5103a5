#!/bin/sh
# Start or stop a throwaway PostgreSQL cluster for the test suite.
#
#   scripts/test-postgres.sh start   # prints the DATABASE_URL to use
#   scripts/test-postgres.sh stop
#
# The cluster lives in $PGTEST_DIR (default /tmp/medway-send-pg), listens only
# on 127.0.0.1:$PGTEST_PORT (default 54329) and is deleted by "stop". fsync is
# off: the data is thrown away, so durability would only slow the tests down.
# Any failure exits non-zero, so "make test" fails loudly instead of skipping.
set -eu

DIR=${PGTEST_DIR:-/tmp/medway-send-pg}
PORT=${PGTEST_PORT:-54329}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$BIN" ]; then
    echo "error: PostgreSQL server binaries not found; run scripts/ensure-system-packages.sh" >&2
    exit 1
fi

# initdb refuses to run as root, so as root the cluster belongs to "postgres".
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

stop() {
    if [ -f "$DIR/data/postmaster.pid" ]; then
        as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DIR"
}

case "${1:-}" in
start)
    stop
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    as_owner "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --no-sync >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; exit 1; }
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
    as_owner "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -q -c "CREATE DATABASE medway_send" postgres
    echo "postgres://postgres@127.0.0.1:$PORT/medway_send"
    ;;
stop)
    stop
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
