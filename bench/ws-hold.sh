#!/usr/bin/env bash
# One node holding WS_HOLD_CONNECTIONS (default 10000) authenticated /client_ws connections for WS_HOLD_SECONDS
# (default 60): time to open them, the server's heap per connection (used heap after a full GC, via jcmd) and
# RSS, closes during the hold, pongs and pushed messages after it. WS_HOLD_TOKENS (default: one per connection)
# lets several connections share a token; WS_HOLD_HISTOGRAMS=DIR saves the server's class histogram at each heap reading.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PORT=${WS_HOLD_PORT:-18085}; COUNT=${WS_HOLD_CONNECTIONS:-10000}; HOLD=${WS_HOLD_SECONDS:-60}
need_builds
export ORG_KEY=$(new_org_key)
rm -rf "$work/ws-hold"
start_latchkey "$PORT" ws-hold
wait_status "http://127.0.0.1:$PORT/api/v1/client_api" 401
echo "server pid $last_pid, open files limit $(ulimit -n), ephemeral ports $(tr '\t' '-' </proc/sys/net/ipv4/ip_local_port_range)"
log_lines=$(wc -l <"$work/ws-hold/server.log")
java "$bench_dir/tools/HoldConnections.java" "http://127.0.0.1:$PORT" "$last_pid" "$COUNT" "$HOLD" "${WS_HOLD_TOKENS:-}"
echo "server log during the run: $(tail -n "+$((log_lines + 1))" "$work/ws-hold/server.log" | grep -c -E 'SEVERE|WARNING' || true) SEVERE/WARNING lines"
