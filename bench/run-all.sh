#!/usr/bin/env bash
# Every benchmark, one after the other (over an hour: each load run alone takes about 15 minutes). None of them runs under `mvn verify`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
echo "== machine"; nproc; free -h | head -2; java -version 2>&1 | head -1
echo "== JMH: the validator alone";            "$here/jmh.sh"
echo "== load: client_api vs bare Payara";     "$here/load.sh"
echo "== load: the stack floor vs bare Payara"; SUBJECT=stack-floor "$here/load.sh"
echo "== load with clustering configured";    CLUSTERED=1 "$here/load.sh"
echo "== cross-node revocation, 3 nodes";     "$here/cluster.sh"
echo "== the gateway: direct, nginx, forward auth, proxy"; "$here/gateway.sh"
echo "== revocation to WebSocket close";       "$here/ws-latency.sh"
echo "== 10,000 WebSockets held, heap each";   "$here/ws-hold.sh"
echo "== minting on H2 and PostgreSQL";        "$here/mint.sh"
echo "== the database stopped under load";     "$here/outage.sh"
[ -x "$here/startup.sh" ] && { echo "== startup"; "$here/startup.sh"; }
