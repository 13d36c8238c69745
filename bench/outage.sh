#!/usr/bin/env bash
# Latchkey while its PostgreSQL is stopped (docs/operations.md: every request that needs the database answers its
# 500 within 1 s, answers that need none keep coming, service resumes by itself). One node on this run's own
# PostgreSQL; wrk runs, each printing throughput, the latency distribution and the count of answers slower than 1 s:
#   1. database up:   the cached path (one token, read from memory)                        -> 200
#   2. database down: uncached tokens (never read before, so each needs the database)      -> 500
#   3. database down: answers from memory (a malformed token) while run 2's load goes on   -> 401
# then the database comes back and the script times how long until the uncached token answers 200.
# Exits non-zero when an answer has the wrong status, took over 1 s, or the service did not recover in 10 s.
#   bench/outage.sh   (DURATION=10s THREADS=2 CONNECTIONS=32 PG_PORT=25462 LK_PORT=18082 can be set)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${DURATION:-10s}; THREADS=${THREADS:-2}; CONNECTIONS=${CONNECTIONS:-32}
LK_PORT=${LK_PORT:-18082}; PG_PORT=${PG_PORT:-25462}
need_wrk
need_builds
ORG_KEY=$(new_org_key)
start_postgres "$PG_PORT"
rm -rf "$work/outage-latchkey"
start_latchkey "$LK_PORT" outage-latchkey LATCHKEY_DB_URL="$PG_URL/latchkey" "${PG_ENV[@]}"
wait_status "http://127.0.0.1:$LK_PORT/api/v1/client_api" 401
CACHED=$(mint "$LK_PORT" bench-outage)
UNSEEN=$(mint "$LK_PORT" bench-outage)
url="http://127.0.0.1:$LK_PORT/api/v1/client_api"
failed=0

# bench NAME STATUS TOKEN: one wrk run; adds to $failed when an answer was wrong or slow
bench() {
  local out
  echo "$1"
  out=$(EXPECT_STATUS=$2 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s \
    -s "$bench_dir/outage.lua" -H "Authorization: Bearer $3" "$url")
  grep -v '^RESULT' <<<"$out" | grep '^  answers' || { echo "$out" >&2; failed=1; return; }
  read -r slow wrong errors < <(sed -nE 's/^RESULT slow=([0-9]+) wrong=([0-9]+) errors=([0-9]+)/\1 \2 \3/p' <<<"$out")
  if [ "$slow" -ne 0 ] || [ "$wrong" -ne 0 ] || [ "$errors" -ne 0 ]; then
    echo "  error: $slow slower than 1 s, $wrong with a status other than $2, $errors socket errors" >&2
    failed=1
  fi
}

wait_status "$url" 200 -H "Authorization: Bearer $CACHED"
bench "1. database up, cached path" 200 "$CACHED"

bash "$root/src/test/postgres/cluster.sh" stop "$work/postgres-$PG_PORT"
echo "PostgreSQL stopped"
bench "2. database down, uncached token (needs the database)" 500 "$UNSEEN"
EXPECT_STATUS=500 wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -H "Authorization: Bearer $UNSEEN" \
  "$url" >/dev/null &
load=$!
pids+=("$load")
bench "3. database down, answers from memory (malformed token) under run 2's load" 401 "not-a-jwt"
wait "$load" || true

bash "$root/src/test/postgres/cluster.sh" resume "$work/postgres-$PG_PORT" "$PG_PORT"
started=$(date +%s%N)
if wait_status_within 10 "$url" 200 -H "Authorization: Bearer $UNSEEN"; then
  printf 'recovered %.2f s after PostgreSQL was back\n' "$(echo "($(date +%s%N) - $started) / 1000000000" | bc -l)"
else
  echo "error: no 200 within 10 s of PostgreSQL's return" >&2
  failed=1
fi
exit "$failed"
