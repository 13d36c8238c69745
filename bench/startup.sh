#!/usr/bin/env bash
# Startup: from launching the JVM to the first authenticated 200 on GET /api/v1/client_api (Latchkey, over an
# existing H2 database holding a token), against a bare Payara Micro serving the baseline WAR's first 200.
#   bench/startup.sh     (STARTUP_RUNS=3)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS=${STARTUP_RUNS:-3}; PORT=${STARTUP_PORT:-18084}
need_builds
ORG_KEY=$(new_org_key)
rm -rf "$work/startup"
start_latchkey "$PORT" startup
wait_status "http://127.0.0.1:$PORT/api/v1/client_api" 401
TOKEN=$(mint "$PORT" bench-startup)
stop_pid "$last_pid"

# first_200 URL [curl args]: milliseconds from now until URL answers 200, polling every 20 ms
first_200() {
  local url=$1; shift
  while [ "$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url" || true)" != 200 ]; do sleep 0.02; done
}
lk=(); bare=()
for run in $(seq 1 "$RUNS"); do
  start=$(date +%s%N); start_latchkey "$PORT" startup
  first_200 "http://127.0.0.1:$PORT/api/v1/client_api" -H "Authorization: Bearer $TOKEN"
  lk+=($(( ($(date +%s%N) - start) / 1000000 ))); stop_pid "$last_pid"
  start=$(date +%s%N); start_bare "$PORT" startup-bare
  first_200 "http://127.0.0.1:$PORT/api/v1/client_api"
  bare+=($(( ($(date +%s%N) - start) / 1000000 ))); stop_pid "$last_pid"
  echo "run $run: latchkey first authenticated 200 after ${lk[-1]} ms, bare Payara Micro first 200 after ${bare[-1]} ms"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_lk=$(median "${lk[@]}"); m_bare=$(median "${bare[@]}")
printf 'startup median: latchkey %d ms, bare Payara Micro %d ms, ratio %.2f\n' "$m_lk" "$m_bare" "$(echo "$m_lk / $m_bare" | bc -l)"
