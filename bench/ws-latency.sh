#!/usr/bin/env bash
# Revocation to close-frame latency over WS_CONNECTIONS (default 200) open /client_ws connections, p50/p99.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PORT=${WS_PORT:-18083}; COUNT=${WS_CONNECTIONS:-200}
need_builds
export ORG_KEY=$(new_org_key)
rm -rf "$work/ws-latency"
start_latchkey "$PORT" ws-latency
wait_status "http://127.0.0.1:$PORT/api/v1/client_api" 401
java "$bench_dir/tools/RevocationLatency.java" "http://127.0.0.1:$PORT" "$COUNT"
