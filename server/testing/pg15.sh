#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the hub's tests.
#
#   server/testing/pg15.sh start <dir> <port>   → prints postgresql://postgres@127.0.0.1:<port>/greenledger_test
#   server/testing/pg15.sh stop  <dir> <port>
#
# Listens on 127.0.0.1 only (no Unix socket), trust authentication (local tests only), fsync off —
# unless PG15_DURABLE=1 (the benches: fsync, synchronous commit and full-page writes as shipped, so a
# measured rate is one a head office would get).
# initdb and postgres refuse to run as root, so as root the cluster belongs to the `postgres` OS
# user (created if missing) and runs under runuser; <dir> must then be reachable by that user
# (/tmp or the repo's .tmp/ are; a path under /root is not). As any other user it runs as that user.
# Binaries: /usr/lib/postgresql/15/bin (Debian's postgresql-15), or PG_BIN.
set -euo pipefail

usage() { echo "usage: $0 start|stop <dir> <port>" >&2; exit 2; }
[ $# -eq 3 ] || usage
action=$1
dir=$2
port=$3
[[ $port =~ ^[0-9]+$ ]] || usage
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
database=greenledger_test
[ -x "$bin/initdb" ] || { echo "PostgreSQL 15 not found in $bin (apt-get install postgresql-15)" >&2; exit 1; }

as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id -u postgres >/dev/null 2>&1; then
    useradd -r -M -s /usr/sbin/nologin postgres
  fi
  as_owner=(runuser -u postgres --)
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

case $action in
  start)
    if [ ${#as_owner[@]} -gt 0 ]; then chown postgres: "$dir"; fi
    chmod 700 "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      initdb_log=$(mktemp)
      "${as_owner[@]}" "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$initdb_log" 2>&1 \
        || { cat "$initdb_log" >&2; rm -f "$initdb_log"; exit 1; }
      rm -f "$initdb_log"
    fi
    options="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories="
    [ "${PG15_DURABLE:-0}" = 1 ] || options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    if ! "${as_owner[@]}" "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      "${as_owner[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
        -o "$options" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    fi
    if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
      "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database"
    fi
    echo "postgresql://postgres@127.0.0.1:$port/$database"
    ;;
  stop)
    if [ -f "$dir/PG_VERSION" ]; then
      "${as_owner[@]}" "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    usage
    ;;
esac
