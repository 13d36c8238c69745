#!/usr/bin/env bash
# The HTTP clients the upstream proxy could call upstreams with, each alone against the same upstream (the bare
# Payara Micro of bench/baseline): the JDK's (as UpstreamCalls built it before it moved to Apache HttpClient 5),
# Jetty 12's jetty-client, Apache HttpClient 5's async client. Prints each one's requests per second and the calling process's CPU per request,
# ROUNDS times in rotated order.
#   bench/clients.sh   (ROUNDS=3 CONNECTIONS=32 WARMUP=15 MEASURE=10 BARE_PORT=18089 can be set)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3}; CONNECTIONS=${CONNECTIONS:-32}; WARMUP=${WARMUP:-15}; MEASURE=${MEASURE:-10}
BARE_PORT=${BARE_PORT:-18089}
need_builds
mvn -B -q -f "$bench_dir/clients/pom.xml" package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
classpath="$bench_dir/clients/target/classes:$(cat "$bench_dir/clients/target/classpath.txt")"
start_bare "$BARE_PORT" clients-upstream
url="http://127.0.0.1:$BARE_PORT/api/v1/client_api"
wait_status "$url" 200
clients=(${CLIENTS:-jdk jetty apache jdk-blocking apache-classic})
for round in $(seq 1 "$ROUNDS"); do
  shift_by=$(( (round - 1) % ${#clients[@]} ))
  for client in "${clients[@]:$shift_by}" "${clients[@]:0:$shift_by}"; do
    java -cp "$classpath" dev.latchkey.bench.ClientCost "$url" "$client" "$CONNECTIONS" "$WARMUP" "$MEASURE"
  done
done
