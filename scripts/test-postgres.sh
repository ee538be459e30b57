#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for trainlab's shared-study tests.
#
#   scripts/test-postgres.sh start DIR   # prints postgresql://postgres@127.0.0.1:PORT/trainlab
#   scripts/test-postgres.sh stop DIR    # stops the server and deletes DIR
#   scripts/test-postgres.sh halt DIR    # stops the server at once (as a crash), keeps DIR:
#                                        # start DIR brings it back on the same port
#
# PostgreSQL itself comes from scripts/system-deps.sh (which `make test` runs).
# start creates a cluster in DIR/data owned by the user that runs it
# ("postgres" when started as root), listens on 127.0.0.1 only, at a free port,
# trusts local connections (a test cluster: never expose it), and creates the
# database "trainlab". Running start again on a running DIR prints its URL.
# As root, DIR's parent folders must be reachable by user postgres (e.g. /tmp/X).
set -euo pipefail

mode=${1:-}
dir=${2:-}
if [[ -z "$mode" || -z "$dir" ]]; then
    echo "usage: $0 start|stop|halt DIR" >&2
    exit 2
fi

find_bin() {
    local b
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return
    fi
    for b in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [[ -x "$b/initdb" && -x "$b/pg_ctl" ]] && { echo "$b"; return; }
    done
    return 1
}

as_owner() {   # run a PostgreSQL program as the cluster's owner
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    else
        shuf -i 20000-60000 -n 1
    fi
}

case "$mode" in
start)
    if ! bin=$(find_bin); then
        echo "PostgreSQL is not installed; run scripts/system-deps.sh as root" \
            "(or apt-get install postgresql)" >&2
        exit 1
    fi
    if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    mkdir -p "$dir"
    touch "$dir/.trainlab-test-postgres"
    [[ $(id -u) -eq 0 ]] && chown -R postgres "$dir"
    if [[ -f "$dir/port" ]] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        echo "postgresql://postgres@127.0.0.1:$(cat "$dir/port")/trainlab"
        exit 0
    fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
        as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    for i in 1 2 3 4 5; do
        if [[ $i -eq 1 && -f "$dir/port" ]]; then port=$(cat "$dir/port"); else port=$(free_port); fi
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
            -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off" \
            start >/dev/null 2>&1; then
            echo "$port" >"$dir/port"
            as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres trainlab 2>/dev/null || true
            echo "postgresql://postgres@127.0.0.1:$port/trainlab"
            exit 0
        fi
    done
    echo "could not start PostgreSQL; see $dir/server.log" >&2
    exit 1
    ;;
halt)
    [[ -e "$dir/.trainlab-test-postgres" ]] || { echo "$dir is not a test cluster" >&2; exit 2; }
    bin=$(find_bin)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    ;;
stop)
    [[ -e "$dir/.trainlab-test-postgres" ]] || { echo "$dir is not a test cluster" >&2; exit 2; }
    if bin=$(find_bin) && [[ -f "$dir/data/PG_VERSION" ]]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop|halt DIR" >&2
    exit 2
    ;;
esac
