#!/usr/bin/env bash
# Three clustered nodes on one private PostgreSQL, as docs/clustering.md runs them: cross-node revocation.
# WS_CONNECTIONS (default 300) sockets, one token each, spread over the nodes; each token is revoked on another
# node than the one holding its socket (half by revoke_token, half by revoke_client_tokens). Prints, p50/p99/max:
# the revoke's answer time (it waits for every node's acknowledgement) and the time from the answer to the
# 4401 close frame. Exits non-zero on any error (a wrong close code, a refused revoke, a socket never closed).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
COUNT=${WS_CONNECTIONS:-300}; PG_PORT=${PG_PORT:-25460}
HTTP_PORTS=(18091 18092 18093); CLUSTER_PORTS=(15931 15932 15933)
need_builds
export ORG_KEY=$(new_org_key)
start_postgres "$PG_PORT"
members=$(printf '127.0.0.1:%s,' "${CLUSTER_PORTS[@]}"); members=${members%,}
bases=()
for i in 0 1 2; do
  rm -rf "$work/cluster-$i"
  start_latchkey "${HTTP_PORTS[$i]}" "cluster-$i" LATCHKEY_DB_URL="$PG_URL/latchkey_cluster" "${PG_ENV[@]}" \
    LATCHKEY_CLUSTER_MEMBERS="$members" LATCHKEY_CLUSTER_PORT="${CLUSTER_PORTS[$i]}" \
    LATCHKEY_CLUSTER_NAME=latchkey-bench LATCHKEY_CLUSTER_INTERFACE=127.0.0.1
  bases+=("http://127.0.0.1:${HTTP_PORTS[$i]}")
done
for base in "${bases[@]}"; do wait_status "$base/api/v1/client_api" 401; done
grep -h "Cluster node" "$work"/cluster-*/server.log
java "$bench_dir/tools/RevocationLatency.java" "$(IFS=,; echo "${bases[*]}")" "$COUNT"
