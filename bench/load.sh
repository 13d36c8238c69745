#!/usr/bin/env bash
# Throughput of authenticated GET /api/v1/client_api on latchkey-micro.jar against the same path answered
# with a fixed JSON body and no auth by a bare Payara Micro of the same version, alternately, with the same
# wrk settings. A trial starts both servers fresh, warms them up, then runs ROUNDS rounds (one wrk run each,
# the order flipped every round); each trial's ratio is its latchkey total over its bare total. Fresh JVMs per
# trial, because two starts of the same build differ by up to 10 % here (compilation, placement on the cores).
# The warm-up lasts until both JVMs' JIT compilers are quiet (at most JIT_QUIET seconds of compilation, from the JDK's
# jstat, in each of two warm-up runs in a row; at least WARMUP runs, at most WARMUP_MAX): with two cores shared by
# wrk and both servers, C2 compiles the larger application for minutes, and a fixed short warm-up measured that
# (0.75x after 16 runs, 0.92x after 48, same build, same day). Every measured run prints its JIT seconds too.
# Both servers get the same request, Latchkey's token in its Authorization header included (the bare server ignores
# it), so the floor pays for reading the same bytes; SAME_REQUEST=0 leaves the header out of the bare server's
# requests (how this script measured before 30 November 2026).
# Prints every run, every round's ratio, each trial's ratio, and the median and range over the trials.
# CLUSTERED=1 runs Latchkey as a cluster node instead (PostgreSQL, LATCHKEY_CLUSTER_MEMBERS naming itself), so the
# cost of the cluster lease on the hot path shows; the bare server is the same either way.
# LIMIT_RATE=PER_SECOND:BURST gives the default organization a rate per client (docs/limits.md), so every request of
# the run takes a token from the client's bucket; with a rate above what wrk sends (LIMIT_RATE=1000000:1000000) all
# are admitted and the run measures the check's cost on the hot path.
# SUBJECT=stack-floor measures bench/stack-floor (Latchkey's stack doing nothing: CDI, a JAX-RS request filter, a
# WebSocket endpoint) in Latchkey's place, with a token-sized dummy credential: what the stack alone costs.
#   bench/load.sh     (TRIALS=3 WARMUP=16 WARMUP_MAX=64 JIT_QUIET=0.2 ROUNDS=6 DURATION=5s THREADS=2 CONNECTIONS=32
#                      CLUSTERED=0 SAME_REQUEST=1 SUBJECT=latchkey LIMIT_RATE= LK_PORT=18080 BARE_PORT=18081 PG_PORT=25461
#                      can be set)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
TRIALS=${TRIALS:-3}; ROUNDS=${ROUNDS:-6}; WARMUP=${WARMUP:-16}; DURATION=${DURATION:-5s}
WARMUP_MAX=${WARMUP_MAX:-64}; JIT_QUIET=${JIT_QUIET:-0.2}; SAME_REQUEST=${SAME_REQUEST:-1}
THREADS=${THREADS:-2}; CONNECTIONS=${CONNECTIONS:-32}; SUBJECT=${SUBJECT:-latchkey}
case "$SUBJECT" in latchkey|stack-floor) ;; *) echo "error: SUBJECT is latchkey or stack-floor" >&2; exit 1 ;; esac
[ "$SUBJECT" = latchkey ] || [ "${CLUSTERED:-0}" != 1 ] || { echo "error: CLUSTERED=1 needs SUBJECT=latchkey" >&2; exit 1; }
LK_PORT=${LK_PORT:-18080}; BARE_PORT=${BARE_PORT:-18081}
need_wrk
command -v jstat >/dev/null || { echo "error: jstat (the JDK's) is not on the PATH" >&2; exit 1; }
need_builds
ORG_KEY=$(new_org_key)
latchkey_env=()
if [ "${CLUSTERED:-0}" = 1 ]; then
  start_postgres "${PG_PORT:-25461}"
  latchkey_env=(LATCHKEY_DB_URL="$PG_URL/latchkey" "${PG_ENV[@]}" LATCHKEY_CLUSTER_MEMBERS=127.0.0.1:15941
    LATCHKEY_CLUSTER_PORT=15941 LATCHKEY_CLUSTER_NAME=latchkey-load LATCHKEY_CLUSTER_INTERFACE=127.0.0.1)
fi
if [ -n "${LIMIT_RATE:-}" ]; then
  latchkey_env+=(LATCHKEY_LIMIT_RATE_PER_SECOND="${LIMIT_RATE%%:*}" LATCHKEY_LIMIT_RATE_BURST="${LIMIT_RATE##*:}")
fi

# jit_seconds PID: the seconds that JVM's JIT compilers have spent so far
jit_seconds() {
  jstat -compiler "$1" | awk 'NR == 2 {print $4}'
}

# run NAME: one wrk run against the current trial's servers; sets rps, non2xx and jit (that server's JIT seconds
# during the run)
run() {
  local out pid=$bare_pid port=$BARE_PORT jit_before auth=(-H "Authorization: Bearer $TOKEN")
  [ "$1" = latchkey ] && pid=$lk_pid port=$LK_PORT
  [ "$1" = bare ] && [ "$SAME_REQUEST" != 1 ] && auth=()
  jit_before=$(jit_seconds "$pid")
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "${auth[@]}" "http://127.0.0.1:$port/api/v1/client_api")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  errors=$(awk '/Socket errors:/ {print $0}' <<<"$out")
  jit=$(echo "$(jit_seconds "$pid") - $jit_before" | bc -l)
  printf '  %-11s %10s req/s  non-2xx %s  p50 %s  JIT %.2f s  %s\n' "${1/latchkey/$SUBJECT}" "$rps" "$non2xx" \
    "$(awk '/^ +Latency / {print $2}' <<<"$out")" "$jit" "$errors"
}

# median of the arguments (the mean of the two middle values for an even count), then min and max
stats() {
  printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {
    printf "median %.3f (range %.3f-%.3f)", (v[int((NR+1)/2)] + v[int(NR/2)+1]) / 2, v[1], v[NR]}'
}

trial_ratios=(); lk_all=0; bare_all=0; lk_non2xx=0; bare_non2xx=0
for trial in $(seq 1 "$TRIALS"); do
  echo "trial $trial: fresh servers, warm-up runs (not counted) until both JITs are quiet"
  rm -rf "$work/load-latchkey"
  if [ "$SUBJECT" = latchkey ]; then
    start_latchkey "$LK_PORT" load-latchkey "${latchkey_env[@]}"; lk_pid=$last_pid
  else
    start_bare "$LK_PORT" load-latchkey stack-floor; lk_pid=$last_pid
  fi
  start_bare "$BARE_PORT" load-bare; bare_pid=$last_pid
  wait_status "http://127.0.0.1:$LK_PORT/api/v1/client_api" 401
  wait_status "http://127.0.0.1:$BARE_PORT/api/v1/client_api" 200
  if [ "$SUBJECT" = latchkey ]; then
    TOKEN=$(mint "$LK_PORT" bench-load)
  else # as long as the token Latchkey mints for client_id bench-load (345 characters)
    TOKEN=$(printf 'eyJ%0342d' 0)
  fi
  wait_status "http://127.0.0.1:$LK_PORT/api/v1/client_api" 200 -H "Authorization: Bearer $TOKEN"
  warmups=0; quiet=0
  while [ "$quiet" -lt 2 ] && [ "$warmups" -lt "$WARMUP_MAX" ]; do
    run latchkey >/dev/null; lk_jit=$jit
    run bare >/dev/null; bare_jit=$jit
    warmups=$((warmups + 1))
    if [ "$warmups" -ge "$WARMUP" ] && [ "$(echo "$lk_jit <= $JIT_QUIET && $bare_jit <= $JIT_QUIET" | bc -l)" = 1 ]; then
      quiet=$((quiet + 1))
    else
      quiet=0
    fi
  done
  printf '  warm-up: %d runs each; JIT in the last: %s %.2f s, bare %.2f s%s\n' "$warmups" "$SUBJECT" "$lk_jit" \
    "$bare_jit" "$([ "$quiet" -ge 2 ] || echo ' (WARMUP_MAX reached: not quiet)')"
  lk_total=0; bare_total=0; round_ratios=()
  for round in $(seq 1 "$ROUNDS"); do
    order=(latchkey bare); [ $((round % 2)) -eq 0 ] && order=(bare latchkey)
    for name in "${order[@]}"; do
      run "$name"
      if [ "$name" = latchkey ]; then
        lk_rps=$rps; lk_total=$(echo "$lk_total + $rps" | bc -l); lk_non2xx=$((lk_non2xx + non2xx))
      else
        bare_rps=$rps; bare_total=$(echo "$bare_total + $rps" | bc -l); bare_non2xx=$((bare_non2xx + non2xx))
      fi
    done
    round_ratios+=("$(echo "$lk_rps / $bare_rps" | bc -l)")
    printf '  round %d ratio %.3f\n' "$round" "${round_ratios[-1]}"
  done
  ratio=$(echo "$lk_total / $bare_total" | bc -l); trial_ratios+=("$ratio")
  lk_all=$(echo "$lk_all + $lk_total" | bc -l); bare_all=$(echo "$bare_all + $bare_total" | bc -l)
  printf 'trial %d: %s %.0f req/s, bare %.0f req/s, ratio %.3f; rounds %s\n' "$trial" "$SUBJECT" \
    "$(echo "$lk_total / $ROUNDS" | bc -l)" "$(echo "$bare_total / $ROUNDS" | bc -l)" "$ratio" "$(stats "${round_ratios[@]}")"
  stop_pid "$lk_pid"; stop_pid "$bare_pid"
done
[ $((lk_non2xx + bare_non2xx)) -eq 0 ] || echo "error: non-2xx answers were counted in the throughput" >&2
printf '%s mean %.0f req/s, bare Payara Micro mean %.0f req/s, ratio of the totals %.3f; trials %s; non-2xx %s %d, bare %d\n' "$SUBJECT" \
  "$(echo "$lk_all / ($ROUNDS * $TRIALS)" | bc -l)" "$(echo "$bare_all / ($ROUNDS * $TRIALS)" | bc -l)" \
  "$(echo "$lk_all / $bare_all" | bc -l)" "$(stats "${trial_ratios[@]}")" "$SUBJECT" "$lk_non2xx" "$bare_non2xx"
[ $((lk_non2xx + bare_non2xx)) -eq 0 ]
