#!/usr/bin/env bash
# Risk benchmark (not a test), open loop: the real risk-streams service with the shipped catalogue
# risk-streams/rulesets/default.yaml published on risk.rulesets and verified in force, beside a transactional
# consume-produce copy (exactly-once, no state, no rules), on one in-process KRaft broker in the same run.
# Requests arrive at a fixed rate whatever the answers do (no coordinated omission); latency runs from each
# request's intended send time to its answer being read committed. For each rate the baseline runs, then
# risk-streams; then each pipeline's rate is stepped up x1.5 from the highest it sustained until it no longer
# keeps up. Prints a line per phase and a table at the end (offered, sent, decisions/s, p50/p99/p99.9/max,
# sustained, outcomes), the maximum sustained rate of each pipeline and their ratio.
# Sustained: every request answered once, the last within 2 s of its due time, and answers read during the
# measured window at least 95 % of the offered rate (a backlog that grows is not sustained).
#
#   risk-streams/bench/run.sh            # the full run: about 15 minutes on the 2-core machine
#   risk-streams/bench/run.sh --quick    # smoke test of the harness: one 5 s phase per pipeline at 200/s, no search
#
# Environment variables, passed through to the benchmark (--quick only sets defaults for those not set):
# NGAO_BENCH_RATES                     offered rates, requests/s, comma-separated (default 500,1000,2000)
# NGAO_BENCH_PHASE_SECONDS             measured seconds per phase (default 20)
# NGAO_BENCH_WARMUP_SECONDS            unmeasured seconds at the phase's rate before each phase
#                                      (default a quarter of the phase, 1 to 5)
# NGAO_BENCH_PIPELINE_WARMUP_SECONDS   unmeasured seconds each pipeline runs before its first phase (default 15)
# NGAO_BENCH_MAX_RATE                  highest rate the search tries; 0 skips the search (default 60000)
# NGAO_BENCH_ACCOUNTS                  accounts per phase, fresh each phase (default 200000); more than 5 requests
#                                      per account in a phase trips the per-account velocity rules
# NGAO_BENCH_JAVA_OPTS                 extra JVM options of the benchmark's JVM (e.g. a flight recording:
#                                      -XX:StartFlightRecording=filename=/tmp/risk.jfr,settings=profile)
# NGAO_BENCH_LOG                       where Kafka's and the service's logs go (default
#                                      risk-streams/target/risk-bench.log), so stdout stays the results
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ "${1:-}" == "--quick" ]]; then
  export NGAO_BENCH_PHASE_SECONDS="${NGAO_BENCH_PHASE_SECONDS:-5}"
  export NGAO_BENCH_RATES="${NGAO_BENCH_RATES:-200}"
  export NGAO_BENCH_MAX_RATE="${NGAO_BENCH_MAX_RATE:-0}"
  export NGAO_BENCH_PIPELINE_WARMUP_SECONDS="${NGAO_BENCH_PIPELINE_WARMUP_SECONDS:-10}"
elif [[ $# -gt 0 ]]; then
  echo "usage: $0 [--quick]" >&2
  exit 2
fi
work=$(mktemp -d /tmp/ngao-risk-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "Building risk-streams (no install)..." >&2
mvn -B -q -pl risk-streams -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath.txt" -Dmdep.includeScope=test >/dev/null
log="${NGAO_BENCH_LOG:-risk-streams/target/risk-bench.log}"
mkdir -p "$(dirname "$log")"
# Kafka's retries and the service's logs go to a file: the benchmark's own lines are its standard output.
cat > "$work/logback.xml" <<'XML'
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>${ngao.bench.log}</file>
    <append>false</append>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.apache.kafka" level="WARN"/>
  <logger name="kafka" level="WARN"/>
  <logger name="state.change.logger" level="WARN"/>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
XML
echo "Logs: $log" >&2
java -Xmx4g ${NGAO_BENCH_JAVA_OPTS:-} -Dlogback.configurationFile="$work/logback.xml" -Dngao.bench.log="$log" \
  -cp "risk-streams/target/classes:risk-streams/target/test-classes:$(cat "$work/classpath.txt")" \
  dev.ngao.risk.bench.RiskBenchmark
