#!/usr/bin/env bash
# Minting throughput (tokens/s) on the embedded H2 database and on PostgreSQL (a private cluster started by
# the test script src/test/postgres/cluster.sh: note it runs with fsync=off, so disk flushes are not counted).
#   bench/mint.sh      (MINT_THREADS=8 MINT_SECS=10 PG_PORT=25439 can be set)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
THREADS=${MINT_THREADS:-8}; SECS=${MINT_SECS:-10}; PORT=${MINT_PORT:-18082}; PG_PORT=${PG_PORT:-25439}
need_builds
export ORG_KEY=$(new_org_key)

rm -rf "$work/mint-h2"
start_latchkey "$PORT" mint-h2
wait_status "http://127.0.0.1:$PORT/api/v1/client_api" 401
java "$bench_dir/tools/MintRate.java" "http://127.0.0.1:$PORT" "$THREADS" "$SECS" H2
stop_pid "$last_pid"

pg_dir="$work/mint-pg/cluster"
bash "$root/src/test/postgres/cluster.sh" start "$pg_dir" "$PG_PORT" >/dev/null
trap 'bash "$root/src/test/postgres/cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true; cleanup' EXIT INT TERM
start_latchkey "$PORT" mint-pg LATCHKEY_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/latchkey" \
  LATCHKEY_DB_USER=latchkey LATCHKEY_DB_PASSWORD=latchkey-test-only
wait_status "http://127.0.0.1:$PORT/api/v1/client_api" 401
java "$bench_dir/tools/MintRate.java" "http://127.0.0.1:$PORT" "$THREADS" "$SECS" PostgreSQL
