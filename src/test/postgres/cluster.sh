#!/usr/bin/env bash
# A private PostgreSQL cluster for the integration tests: loopback only, its own port and folder,
# password authentication. Needs the PostgreSQL server binaries (Debian: apt-get install postgresql).
#   cluster.sh start DIR PORT   initdb (fresh), start, create the databases latchkey, latchkey_fresh and latchkey_cluster
#   cluster.sh stop  DIR        stop it (fast), keeping the data
#   cluster.sh resume DIR PORT  start it again over the same data (used by the outage test)
set -euo pipefail
cmd=${1:?start|stop|resume}
dir=$(realpath -m "${2:?cluster folder}")
port=${3:-25432}
user=latchkey
password=latchkey-test-only

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "cluster.sh: PostgreSQL server binaries not found; install them (Debian: apt-get install postgresql)" >&2
  exit 1
fi

# initdb and postgres refuse to run as root: run them as the postgres user then.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
}

case "$cmd" in
  start)
    [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    printf '%s\n' "$password" > "$dir/pwfile"
    [ "$(id -u)" = 0 ] && chown postgres "$dir/pwfile"
    as_owner "$bin/initdb" -D "$dir/data" -U "$user" --pwfile="$dir/pwfile" --auth=scram-sha-256 -E UTF8 >/dev/null
    start
    for db in latchkey latchkey_fresh latchkey_cluster; do
      PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" "$db"
    done
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port ($dir)"
    ;;
  resume)
    start
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: cluster.sh start|stop|resume DIR [PORT]" >&2
    exit 2
    ;;
esac
