# Shared by the benchmark scripts: build what is missing, start and stop this run's own servers.
# Every process started here is recorded and killed by its own pid on exit; nothing is killed by name.
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")
work=${BENCH_WORK:-$root/target/bench}
mkdir -p "$work"
pids=()
after_pids=()

cleanup() {
  for pid in "${pids[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  for command in "${after_pids[@]:-}"; do
    [ -n "$command" ] && eval "$command" || true
  done
}
trap cleanup EXIT INT TERM

need_builds() {
  if [ ! -f "$root/target/latchkey-micro.jar" ] || [ ! -f "$root/target/payara-micro.jar" ]; then
    (cd "$root" && mvn -B -q package -DskipTests)
  fi
  local war
  for war in baseline stack-floor; do
    if [ ! -f "$bench_dir/$war/target/ROOT.war" ]; then
      mvn -B -q -f "$bench_dir/$war/pom.xml" package
    fi
  done
}

# A fresh org key for this run only (never printed).
new_org_key() {
  printf 'fl-%s' "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
}

# port_free PORT: fails loudly when something (an earlier run?) already listens there.
port_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "port $1 is already in use: stop what listens there or choose another port" >&2
    exit 1
  fi
}

# start_latchkey PORT NAME [VAR=value ...]: Latchkey on an H2 file database of its own unless LATCHKEY_DB_URL is given.
start_latchkey() {
  local port=$1 name=$2; shift 2
  port_free "$port"
  mkdir -p "$work/$name"
  env LATCHKEY_DB_URL="jdbc:h2:file:$work/$name/data/latchkey" LATCHKEY_ORG_API_KEY="$ORG_KEY" "$@" \
    java ${BENCH_JAVA_OPTS:-} -jar "${LATCHKEY_JAR:-$root/target/latchkey-micro.jar}" --port "$port" \
    >"$work/$name/server.log" 2>&1 &
  pids+=($!)
  last_pid=$!
}

# start_bare PORT NAME [WAR]: a bare Payara Micro of the same version serving the baseline WAR (or WAR, a folder
# under bench/ with a built ROOT.war, such as stack-floor).
start_bare() {
  local port=$1 name=$2 war=${3:-baseline}
  port_free "$port"
  mkdir -p "$work/$name"
  java ${BENCH_JAVA_OPTS:-} -jar "$root/target/payara-micro.jar" --deploy "$bench_dir/$war/target/ROOT.war" \
    --port "$port" --nocluster >"$work/$name/server.log" 2>&1 &
  pids+=($!)
  last_pid=$!
}

# start_postgres PORT: this run's own PostgreSQL on loopback (the tests' script), stopped on exit; sets PG_URL.
start_postgres() {
  bash "$root/src/test/postgres/cluster.sh" start "$work/postgres-$1" "$1" >/dev/null
  after_pids+=("bash '$root/src/test/postgres/cluster.sh' stop '$work/postgres-$1'")
  PG_URL="jdbc:postgresql://127.0.0.1:$1"
  PG_ENV=(LATCHKEY_DB_USER=latchkey LATCHKEY_DB_PASSWORD=latchkey-test-only)
}

stop_pid() {
  kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true
}

# wait_status URL STATUS [curl args...]: poll until the URL answers STATUS (up to 180 s).
wait_status() {
  local url=$1 want=$2; shift 2
  for _ in $(seq 1 1800); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url" || true)" = "$want" ] && return 0
    sleep 0.1
  done
  echo "no $want from $url" >&2
  return 1
}

# wait_status_within SECONDS URL STATUS [curl args...]: like wait_status, for at most SECONDS.
wait_status_within() {
  local deadline=$(($(date +%s) + $1)) url=$2 want=$3; shift 3
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$@" "$url" || true)" = "$want" ] && return 0
    sleep 0.1
  done
  return 1
}

# mint PORT CLIENT_ID: prints a new token (to be kept in a variable, never echoed).
mint() {
  curl -s -X POST "http://127.0.0.1:$1/api/v1/generate_access_token" \
    -H "Authorization: Bearer $ORG_KEY" -H 'Content-Type: application/json' \
    -d "{\"client_id\": \"$2\", \"duration_secs\": 86400}" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}

need_wrk() {
  command -v wrk >/dev/null && return 0
  apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
}
