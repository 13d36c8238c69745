#!/usr/bin/env bash
# Throughput of authenticated GET /api/v1/client_api on latchkey-micro.jar against the same path answered
# with a fixed JSON body and no auth by a bare Payara Micro of the same version, alternately in one run,
# with the same wrk settings. Prints each run, the ratio and the non-2xx counts.
#   bench/load.sh            (ROUNDS=3 WARMUP=6 DURATION=10s THREADS=2 CONNECTIONS=32 can be set)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3}; WARMUP=${WARMUP:-6}; DURATION=${DURATION:-10s}; THREADS=${THREADS:-2}; CONNECTIONS=${CONNECTIONS:-32}
LK_PORT=${LK_PORT:-18080}; BARE_PORT=${BARE_PORT:-18081}
need_wrk
need_builds
ORG_KEY=$(new_org_key)
rm -rf "$work/load-latchkey"
start_latchkey "$LK_PORT" load-latchkey
start_bare "$BARE_PORT" load-bare
wait_status "http://127.0.0.1:$LK_PORT/api/v1/client_api" 401
wait_status "http://127.0.0.1:$BARE_PORT/api/v1/client_api" 200
TOKEN=$(mint "$LK_PORT" bench-load)
wait_status "http://127.0.0.1:$LK_PORT/api/v1/client_api" 200 -H "Authorization: Bearer $TOKEN"

# run NAME: one wrk run; sets rps and non2xx
run() {
  local out
  if [ "$1" = latchkey ]; then
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -H "Authorization: Bearer $TOKEN" \
      "http://127.0.0.1:$LK_PORT/api/v1/client_api")
  else
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$BARE_PORT/api/v1/client_api")
  fi
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  errors=$(awk '/Socket errors:/ {print $0}' <<<"$out")
  printf '  %-9s %10s req/s  non-2xx %s  p50 %s  %s\n' "$1" "$rps" "$non2xx" \
    "$(awk '/^ +Latency / {print $2}' <<<"$out")" "$errors"
}

echo "warm-up, $WARMUP runs each (not counted)"
for _ in $(seq 1 "$WARMUP"); do run latchkey; run bare; done
lk_total=0; bare_total=0; lk_non2xx=0; bare_non2xx=0
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round (wrk -t$THREADS -c$CONNECTIONS -d$DURATION)"
  order=(latchkey bare); [ $((round % 2)) -eq 0 ] && order=(bare latchkey)
  for name in "${order[@]}"; do
    run "$name"
    if [ "$name" = latchkey ]; then
      lk_total=$(echo "$lk_total + $rps" | bc -l); lk_non2xx=$((lk_non2xx + non2xx))
    else
      bare_total=$(echo "$bare_total + $rps" | bc -l); bare_non2xx=$((bare_non2xx + non2xx))
    fi
  done
done
printf 'latchkey mean %.0f req/s, bare Payara Micro mean %.0f req/s, ratio %.3f; non-2xx latchkey %d, bare %d\n' \
  "$(echo "$lk_total / $ROUNDS" | bc -l)" "$(echo "$bare_total / $ROUNDS" | bc -l)" \
  "$(echo "$lk_total / $bare_total" | bc -l)" "$lk_non2xx" "$bare_non2xx"
