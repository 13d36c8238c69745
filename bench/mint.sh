#!/usr/bin/env bash
# Minting throughput (tokens/s) on the embedded H2 database and on PostgreSQL (a private cluster started by
# the test script src/test/postgres/cluster.sh: note it runs with fsync=off, so disk flushes are not counted).
# MINT_LIMIT=N gives the default organization max_active_tokens N with on_limit MINT_ON_LIMIT (revoke_oldest unless
# set; docs/limits.md): each caller mints for its own client_id, so once a caller holds N live tokens every further
# mint also takes the client's lock, counts its live tokens and revokes the oldest, the costliest path.
#   bench/mint.sh      (MINT_THREADS=8 MINT_SECS=10 PG_PORT=25439 MINT_LIMIT= MINT_ON_LIMIT=revoke_oldest can be set)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
THREADS=${MINT_THREADS:-8}; SECS=${MINT_SECS:-10}; PORT=${MINT_PORT:-18082}; PG_PORT=${PG_PORT:-25439}
need_builds
export ORG_KEY=$(new_org_key)
limit_env=()
if [ -n "${MINT_LIMIT:-}" ]; then
  limit_env=(LATCHKEY_LIMIT_MAX_ACTIVE_TOKENS="$MINT_LIMIT" LATCHKEY_LIMIT_MAX_ACTIVE_TOKENS_ON_LIMIT="${MINT_ON_LIMIT:-revoke_oldest}")
fi

rm -rf "$work/mint-h2"
start_latchkey "$PORT" mint-h2 "${limit_env[@]}"
wait_status "http://127.0.0.1:$PORT/api/v1/client_api" 401
java "$bench_dir/tools/MintRate.java" "http://127.0.0.1:$PORT" "$THREADS" "$SECS" H2
stop_pid "$last_pid"

pg_dir="$work/mint-pg/cluster"
bash "$root/src/test/postgres/cluster.sh" start "$pg_dir" "$PG_PORT" >/dev/null
trap 'bash "$root/src/test/postgres/cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true; cleanup' EXIT INT TERM
start_latchkey "$PORT" mint-pg "${limit_env[@]}" LATCHKEY_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/latchkey" \
  LATCHKEY_DB_USER=latchkey LATCHKEY_DB_PASSWORD=latchkey-test-only
wait_status "http://127.0.0.1:$PORT/api/v1/client_api" 401
java "$bench_dir/tools/MintRate.java" "http://127.0.0.1:$PORT" "$THREADS" "$SECS" PostgreSQL
