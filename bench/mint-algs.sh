#!/usr/bin/env bash
# Minting throughput per signing algorithm, side by side: one Latchkey per algorithm (embedded H2 each, started
# together), each warmed up for WARMUP seconds, then ROUNDS rounds in which each is measured for SECS seconds
# in turn (the order rotates), so that the machine's drift falls on all of them alike. Prints every measurement,
# then each algorithm's total tokens/s and its ratio to HS256's.
#   bench/mint-algs.sh   (ALGS="HS256 ES256 EdDSA" ROUNDS=4 SECS=8 WARMUP=30 MINT_THREADS=8 can be set)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
read -r -a algs <<<"${ALGS:-HS256 ES256 EdDSA}"
ROUNDS=${ROUNDS:-4}; SECS=${SECS:-8}; WARMUP=${WARMUP:-30}; THREADS=${MINT_THREADS:-8}; FIRST_PORT=${FIRST_PORT:-18086}
need_builds
export ORG_KEY=$(new_org_key)
declare -A port
for i in "${!algs[@]}"; do
  alg=${algs[$i]}; port[$alg]=$((FIRST_PORT + i))
  rm -rf "$work/mint-$alg"
  start_latchkey "${port[$alg]}" "mint-$alg" LATCHKEY_SIGNING_ALG="$alg"
done
for alg in "${algs[@]}"; do
  wait_status "http://127.0.0.1:${port[$alg]}/api/v1/client_api" 401
done
for alg in "${algs[@]}"; do
  java "$bench_dir/tools/MintRate.java" "http://127.0.0.1:${port[$alg]}" "$THREADS" "$WARMUP" "$alg (warm-up)" 0
done
declare -A total
for round in $(seq 1 "$ROUNDS"); do
  shift_by=$(( (round - 1) % ${#algs[@]} ))
  for alg in "${algs[@]:$shift_by}" "${algs[@]:0:$shift_by}"; do
    line=$(java "$bench_dir/tools/MintRate.java" "http://127.0.0.1:${port[$alg]}" "$THREADS" "$SECS" "$alg" 0)
    echo "round $round: $line"
    rate=$(sed -E 's/.*minted ([0-9]+) tokens.*/\1/' <<<"$line")
    total[$alg]=$(( ${total[$alg]:-0} + rate ))
  done
done
for alg in "${algs[@]}"; do
  printf '%-6s %6.0f tokens/s (mean of %d rounds)  %.2f of HS256\n' "$alg" "$(echo "${total[$alg]} / $ROUNDS" | bc -l)" \
    "$ROUNDS" "$(echo "${total[$alg]} / ${total[HS256]:-${total[$alg]}}" | bc -l)"
done
