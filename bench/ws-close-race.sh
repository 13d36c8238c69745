#!/usr/bin/env bash
# Reproduces the known WebSocket close race (docs/websocket.md, "Known defect"): ROUNDS (default 300) sockets
# closed by a revocation while other requests run, then the container errors counted in the server's log.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PORT=${RACE_PORT:-18084}; ROUNDS=${ROUNDS:-300}
need_builds
export ORG_KEY=$(new_org_key)
rm -rf "$work/ws-close-race"
start_latchkey "$PORT" ws-close-race
wait_status "http://127.0.0.1:$PORT/api/v1/client_api" 401
java "$bench_dir/tools/CloseRace.java" "http://127.0.0.1:$PORT" "$ROUNDS"
echo "container errors in the server log: $(grep -c 'GRIZZLY0013\|NullPointerException\|WELD-000714' "$work/ws-close-race/server.log" || true)"
