#!/usr/bin/env bash
# The upstream proxy's cost: the same wrk load sent straight to a trivial upstream (the bare Payara Micro of
# bench/baseline, answering a fixed JSON body at /api/v1/client_api) and sent through Latchkey's proxy to it
# (GET /api/v1/client_api/client_api with a client token; LATCHKEY_UPSTREAM_URL is the bare server's /api/v1).
# Rounds alternate the order. Prints each run's req/s and latency percentiles (p50, p99: wrk --latency), then
# the ratio of the totals (through Latchkey / direct) and the added p50 and p99 latency, medians over the rounds.
# The proxied path runs much more code than the session (the JDK's HTTP client, the relay): its compilation takes
# about a minute of load to settle, so it is warmed up for WARMUP_PROXIED first.
#   bench/gateway.sh   (WARMUP_PROXIED=90s WARMUP=8 ROUNDS=6 DURATION=5s THREADS=2 CONNECTIONS=32 can be set)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-6}; WARMUP=${WARMUP:-8}; DURATION=${DURATION:-5s}; WARMUP_PROXIED=${WARMUP_PROXIED:-90s}
THREADS=${THREADS:-2}; CONNECTIONS=${CONNECTIONS:-32}
LK_PORT=${LK_PORT:-18082}; BARE_PORT=${BARE_PORT:-18083}
need_wrk
need_builds
ORG_KEY=$(new_org_key)
rm -rf "$work/gateway-latchkey"
start_bare "$BARE_PORT" gateway-upstream
start_latchkey "$LK_PORT" gateway-latchkey LATCHKEY_UPSTREAM_URL="http://127.0.0.1:$BARE_PORT/api/v1"
wait_status "http://127.0.0.1:$BARE_PORT/api/v1/client_api" 200
wait_status "http://127.0.0.1:$LK_PORT/api/v1/client_api" 401
TOKEN=$(mint "$LK_PORT" bench-gateway)
wait_status "http://127.0.0.1:$LK_PORT/api/v1/client_api/client_api" 200 -H "Authorization: Bearer $TOKEN"

# ms VALUE: a wrk latency (e.g. 812.00us, 1.20ms, 2.01s) in milliseconds
ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# run NAME: one wrk run; sets rps, p50, p99 (ms) and non2xx
run() {
  local out
  if [ "$1" = proxied ]; then
    out=$(wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -H "Authorization: Bearer $TOKEN" \
      "http://127.0.0.1:$LK_PORT/api/v1/client_api/client_api")
  else
    out=$(wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$BARE_PORT/api/v1/client_api")
  fi
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  printf '  %-8s %10s req/s  p50 %8s ms  p99 %8s ms  non-2xx %s\n' "$1" "$rps" "$p50" "$p99" "$non2xx"
}

median() {
  printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END { printf "%.3f", (v[int((NR+1)/2)] + v[int(NR/2)+1]) / 2 }'
}

wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP_PROXIED" -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$LK_PORT/api/v1/client_api/client_api" >/dev/null
for _ in $(seq 1 "$WARMUP"); do run proxied >/dev/null; run direct >/dev/null; done
proxied_total=0; direct_total=0; added_p50=(); added_p99=(); errors=0
for round in $(seq 1 "$ROUNDS"); do
  order=(proxied direct); [ $((round % 2)) -eq 0 ] && order=(direct proxied)
  for name in "${order[@]}"; do
    run "$name"
    errors=$((errors + non2xx))
    if [ "$name" = proxied ]; then
      proxied_total=$(echo "$proxied_total + $rps" | bc -l); proxied_p50=$p50; proxied_p99=$p99
    else
      direct_total=$(echo "$direct_total + $rps" | bc -l); direct_p50=$p50; direct_p99=$p99
    fi
  done
  added_p50+=("$(echo "$proxied_p50 - $direct_p50" | bc -l)"); added_p99+=("$(echo "$proxied_p99 - $direct_p99" | bc -l)")
done
printf 'through Latchkey / direct: %.3f of the throughput; added latency p50 %s ms, p99 %s ms (medians of %d rounds)\n' \
  "$(echo "$proxied_total / $direct_total" | bc -l)" "$(median "${added_p50[@]}")" "$(median "${added_p99[@]}")" "$ROUNDS"
[ "$errors" -eq 0 ] || { echo "error: $errors non-2xx answers" >&2; exit 1; }
