#!/usr/bin/env bash
# The validator alone under JMH, against the plain-JDK HMAC floor and jose4j without any cache; and the codec with
# each signing algorithm (HS256, ES256, EdDSA): minting, first presentation, presented again, an upstream assertion.
# Extra arguments go to JMH (e.g. bench/jmh.sh -t 2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mvn -B -q -f "$here/jmh/pom.xml" package -DskipTests
java -jar "$here/jmh/target/benchmarks.jar" ValidatorBenchmark SigningBenchmark -rf text -rff "$here/../target/jmh-result.txt" "$@"
