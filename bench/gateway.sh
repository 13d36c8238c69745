#!/usr/bin/env bash
# What putting an API behind Latchkey costs, four ways in one run, against the same trivial upstream (the bare
# Payara Micro of bench/baseline, answering a fixed JSON body at /api/v1/client_api):
#   direct       wrk straight to the upstream
#   nginx        through a plain nginx proxy_pass (keepalive upstream)
#   forward-auth through nginx asking Latchkey's /forward_auth about every request (auth_request), then proxy_pass
#   latchkey     through Latchkey's own proxy (GET /api/v1/client_api/client_api with a client token)
# Rounds rotate the order. Each round also runs the session path (GET /api/v1/client_api on Latchkey) for its CPU
# figure. Prints every run's req/s and latency percentiles (wrk --latency), then each way's throughput as a ratio
# to direct (ratio of the totals), Latchkey's CPU time per request (user + system, from /proc, over the requests
# of the runs that reached it: per proxied request, per forward-auth decision, per session), and the latency
# added at one request at a time (p50 and p99 of ONE_DURATION, proxied minus direct).
# The paths through Latchkey run more code than the session: their compilation settles after about a minute of
# load, so each is warmed up for WARMUP_PROXIED first.
#   bench/gateway.sh   (WARMUP_PROXIED=60s WARMUP=4 ROUNDS=6 DURATION=5s ONE_DURATION=10s THREADS=2 CONNECTIONS=32
#                       LK_PORT=18082 BARE_PORT=18083 NGINX_PORT=18084 AUTH_PORT=18085 can be set)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-6}; WARMUP=${WARMUP:-4}; DURATION=${DURATION:-5s}; WARMUP_PROXIED=${WARMUP_PROXIED:-60s}
ONE_DURATION=${ONE_DURATION:-10s}; THREADS=${THREADS:-2}; CONNECTIONS=${CONNECTIONS:-32}
LK_PORT=${LK_PORT:-18082}; BARE_PORT=${BARE_PORT:-18083}; NGINX_PORT=${NGINX_PORT:-18084}; AUTH_PORT=${AUTH_PORT:-18085}
NGINX=${NGINX:-/usr/sbin/nginx}
[ -x "$NGINX" ] || { echo "error: $NGINX is missing: apt-get install nginx" >&2; exit 1; }
need_wrk
need_builds
ORG_KEY=$(new_org_key)
rm -rf "$work/gateway-latchkey" "$work/gateway-nginx"
start_bare "$BARE_PORT" gateway-upstream
start_latchkey "$LK_PORT" gateway-latchkey LATCHKEY_UPSTREAM_URL="http://127.0.0.1:$BARE_PORT/api/v1"; lk_pid=$last_pid
port_free "$NGINX_PORT"; port_free "$AUTH_PORT"
mkdir -p "$work/gateway-nginx"
sed -e "s|@DIR@|$work/gateway-nginx|g" -e "s|@PLAIN@|$NGINX_PORT|" -e "s|@AUTH@|$AUTH_PORT|" \
  -e "s|@UPSTREAM@|127.0.0.1:$BARE_PORT|" -e "s|@LATCHKEY@|127.0.0.1:$LK_PORT|" \
  "$bench_dir/nginx/gateway.conf" >"$work/gateway-nginx/nginx.conf"
"$NGINX" -p "$work/gateway-nginx" -c "$work/gateway-nginx/nginx.conf" -e "$work/gateway-nginx/error.log" \
  >"$work/gateway-nginx/stdout.log" 2>&1 &
pids+=($!)
wait_status "http://127.0.0.1:$BARE_PORT/api/v1/client_api" 200
wait_status "http://127.0.0.1:$LK_PORT/api/v1/client_api" 401
TOKEN=$(mint "$LK_PORT" bench-gateway)
AUTH=(-H "Authorization: Bearer $TOKEN")
wait_status "http://127.0.0.1:$LK_PORT/api/v1/client_api/client_api" 200 "${AUTH[@]}"
wait_status "http://127.0.0.1:$NGINX_PORT/api/v1/client_api" 200
wait_status "http://127.0.0.1:$AUTH_PORT/api/v1/client_api" 200 "${AUTH[@]}"
wait_status "http://127.0.0.1:$AUTH_PORT/api/v1/client_api" 401

# url NAME: where that way's requests go
url() {
  case "$1" in
    direct) echo "http://127.0.0.1:$BARE_PORT/api/v1/client_api" ;;
    nginx) echo "http://127.0.0.1:$NGINX_PORT/api/v1/client_api" ;;
    forward-auth) echo "http://127.0.0.1:$AUTH_PORT/api/v1/client_api" ;;
    latchkey) echo "http://127.0.0.1:$LK_PORT/api/v1/client_api/client_api" ;;
    session) echo "http://127.0.0.1:$LK_PORT/api/v1/client_api" ;;
  esac
}

# ms VALUE: a wrk latency (e.g. 812.00us, 1.20ms, 2.01s) in milliseconds
ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# Latchkey's CPU time so far, in clock ticks (user + system)
lk_ticks() {
  awk '{print $14 + $15}' "/proc/$lk_pid/stat"
}

# run NAME [CONNECTIONS THREADS DURATION]: one wrk run; sets rps, requests, p50, p99 (ms), non2xx and ticks
# (Latchkey's CPU ticks during the run)
run() {
  local out before
  before=$(lk_ticks)
  out=$(wrk --latency -t"${3:-$THREADS}" -c"${2:-$CONNECTIONS}" -d"${4:-$DURATION}" "${AUTH[@]}" "$(url "$1")")
  ticks=$(($(lk_ticks) - before))
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  p50=$(ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  printf '  %-12s %10s req/s  p50 %8s ms  p99 %8s ms  Latchkey CPU %6.1f us/request  non-2xx %s\n' "$1" "$rps" \
    "$p50" "$p99" "$(echo "$ticks * 1000000 / $(getconf CLK_TCK) / $requests" | bc -l)" "$non2xx"
}

median() {
  printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END { printf "%.3f", (v[int((NR+1)/2)] + v[int(NR/2)+1]) / 2 }'
}

echo "warm-up (not counted)"
for name in latchkey forward-auth session; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP_PROXIED" "${AUTH[@]}" "$(url "$name")" >/dev/null
done
ways=(direct nginx forward-auth latchkey)
for _ in $(seq 1 "$WARMUP"); do for name in "${ways[@]}" session; do run "$name" >/dev/null; done; done

declare -A total=() cpu_ticks=() cpu_requests=()
errors=0
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round"
  shift_by=$(( (round - 1) % ${#ways[@]} ))
  order=("${ways[@]:$shift_by}" "${ways[@]:0:$shift_by}" session)
  for name in "${order[@]}"; do
    run "$name"
    errors=$((errors + non2xx))
    total[$name]=$(echo "${total[$name]:-0} + $rps" | bc -l)
    cpu_ticks[$name]=$(( ${cpu_ticks[$name]:-0} + ticks ))
    cpu_requests[$name]=$(( ${cpu_requests[$name]:-0} + requests ))
  done
done

echo "one request at a time ($ONE_DURATION each)"
added_p50=(); added_p99=()
for _ in 1 2 3; do
  run direct 1 1 "$ONE_DURATION"; direct_p50=$p50; direct_p99=$p99
  run latchkey 1 1 "$ONE_DURATION"
  added_p50+=("$(echo "$p50 - $direct_p50" | bc -l)"); added_p99+=("$(echo "$p99 - $direct_p99" | bc -l)")
done

echo "summary ($ROUNDS rounds of $DURATION, $CONNECTIONS connections, $THREADS wrk threads)"
for name in "${ways[@]}"; do
  printf '  %-12s %.3f of direct\n' "$name" "$(echo "${total[$name]} / ${total[direct]}" | bc -l)"
done
for name in latchkey forward-auth session; do
  printf '  Latchkey CPU per request, %-12s %6.1f us\n' "$name" \
    "$(echo "${cpu_ticks[$name]} * 1000000 / $(getconf CLK_TCK) / ${cpu_requests[$name]}" | bc -l)"
done
printf '  added latency through Latchkey at one request at a time: p50 %s ms, p99 %s ms (medians of 3)\n' \
  "$(median "${added_p50[@]}")" "$(median "${added_p99[@]}")"
[ "$errors" -eq 0 ] || { echo "error: $errors non-2xx answers" >&2; exit 1; }
