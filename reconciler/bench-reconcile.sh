#!/usr/bin/env bash
# Reconciliation benchmark (not a test): a generated report of NGAO_BENCH_PAYMENTS payments (default 1,000,000,
# plus one fee row per ten payments) against a matching ledger view, with a small heap (NGAO_BENCH_XMX, 128m).
set -euo pipefail
cd "$(dirname "$0")/.."
classpath_file="$PWD/reconciler/target/bench-classpath.txt"
mvn -B -q -pl reconciler -am package -DskipTests dependency:build-classpath -Dmdep.outputFile="$classpath_file"
exec java "-Xmx${NGAO_BENCH_XMX:-128m}" -cp "reconciler/target/classes:$(cat "$classpath_file")" \
  dev.ngao.reconciler.bench.ReconcileBenchmark
