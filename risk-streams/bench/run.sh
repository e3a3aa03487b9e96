#!/usr/bin/env bash
# Risk benchmark (not a test): a million requests through risk-streams' topology on an in-process KRaft broker
# with exactly_once_v2, beside a transactional consume-produce copy of the same records on the same broker in
# the same run. Prints answers per second and p50/p99 latency of both, and the ratios.
#
#   risk-streams/bench/run.sh
#
# NGAO_BENCH_REQUESTS   requests per phase (default 1000000)
# NGAO_BENCH_ACCOUNTS   accounts they are spread over (default 200000)
# NGAO_BENCH_IN_FLIGHT  requests sent and not yet answered, at most (default 5000)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/ngao-risk-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "Building risk-streams (no install)..." >&2
mvn -B -q -pl risk-streams -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath.txt" -Dmdep.includeScope=test >/dev/null
java -Xmx4g -cp "risk-streams/target/classes:risk-streams/target/test-classes:$(cat "$work/classpath.txt")" \
  dev.ngao.risk.bench.RiskBenchmark
