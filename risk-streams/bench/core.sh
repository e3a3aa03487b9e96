#!/usr/bin/env bash
# Decision-core benchmark (not a test): the real risk topology with the shipped catalogue default.yaml in force,
# under TopologyTestDriver on one thread (every processor, RocksDB store, serde and changelog write of a decision;
# no broker, no network, no transaction), beside a pass-through topology (serdes only) in the same run. Prints the
# CPU time of the driving thread per request for each, round after round: the figure that compares two versions
# of the decision core on a machine shared with other work, where rates and latencies move by tens of percent.
# The pipeline as a whole (broker, transactions, latency at fixed rates) is risk-streams/bench/run.sh.
#
#   risk-streams/bench/core.sh
#
# NGAO_CORE_REQUESTS   requests per round (default 200000; the first tenth warms up, unmeasured)
# NGAO_CORE_ROUNDS     rounds, each a baseline then the core on fresh state (default 3)
# NGAO_CORE_RATE       the simulated arrival rate the requests' timestamps advance at (default 1000/s)
# NGAO_BENCH_ACCOUNTS  accounts the traffic uses in turn (default 40000, so about five requests per account)
# NGAO_BENCH_JAVA_OPTS extra JVM options (e.g. -XX:StartFlightRecording=filename=/tmp/core.jfr,settings=profile)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/ngao-core-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "Building risk-streams (no install)..." >&2
mvn -B -q -pl risk-streams -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath.txt" -Dmdep.includeScope=test >/dev/null
cat > "$work/logback.xml" <<'XML'
<configuration>
  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="STDERR"/></root>
</configuration>
XML
export NGAO_BENCH_ACCOUNTS="${NGAO_BENCH_ACCOUNTS:-40000}"
java -Xmx2g ${NGAO_BENCH_JAVA_OPTS:-} -Dlogback.configurationFile="$work/logback.xml" \
  -cp "risk-streams/target/classes:risk-streams/target/test-classes:$(cat "$work/classpath.txt")" \
  dev.ngao.risk.bench.DecisionCoreBenchmark
