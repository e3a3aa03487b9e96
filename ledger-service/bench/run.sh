#!/usr/bin/env bash
# Ledger benchmark (not a test): Ngao's LedgerStore against a straightforward PostgreSQL double-entry
# ledger, in the same run, on the same disk. Prints postings per second of both and the ratio.
#
#   ledger-service/bench/run.sh
#
# NGAO_BENCH_ENTRIES      entries Ngao posts (default 1000000)
# NGAO_BENCH_PG_ENTRIES   entries PostgreSQL posts (default 100000: one fsync per entry makes its rate flat,
#                         and a million would take most of an hour on a small disk)
# NGAO_BENCH_BATCH        entries per Ngao commit, as one poll of max.poll.records (default 500)
# NGAO_BENCH_SINGLE       entries Ngao also posts with one commit each, like for like with PostgreSQL (default 10000)
#
# PostgreSQL comes from Debian packages (apt-get install postgresql) when no server binaries are found;
# that needs root or password-less sudo. It runs as the postgres user on a throwaway data directory
# under /tmp, on a private port, and is stopped and deleted at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."

entries=${NGAO_BENCH_ENTRIES:-1000000}
pg_entries=${NGAO_BENCH_PG_ENTRIES:-100000}
batch=${NGAO_BENCH_BATCH:-500}
single=${NGAO_BENCH_SINGLE:-10000}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif sudo -n true 2>/dev/null; then sudo "$@"
  else echo "root or password-less sudo is needed to $*" >&2; exit 1
  fi
}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/pg_ctl" ]; then
  echo "Installing PostgreSQL from Debian packages..." >&2
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

work=$(mktemp -d /tmp/ngao-ledger-bench.XXXXXX)
chmod 755 "$work"
pg_data=$work/pg
port=${NGAO_BENCH_PG_PORT:-$((20000 + RANDOM % 20000))}

# PostgreSQL refuses to run as root: run it as the postgres user (created by the package) when we are root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
mkdir -p "$pg_data" "$work/socket"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_data" "$work/socket"; fi

cleanup() {
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

as_pg "$pg_bin/initdb" -D "$pg_data" -U bench --auth=trust -E UTF8 >/dev/null
# Defaults kept (fsync on, synchronous_commit on, full_page_writes on): the durable setting a ledger needs.
as_pg "$pg_bin/pg_ctl" -D "$pg_data" -w -l "$pg_data/server.log" \
  -o "-p $port -k $work/socket -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c max_wal_size=4GB" start >/dev/null

echo "Building ledger-service (no install)..." >&2
mvn -B -q -pl ledger-service -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath.txt" -Dmdep.includeScope=test >/dev/null

java -Xmx2g -cp "ledger-service/target/classes:ledger-service/target/test-classes:$(cat "$work/classpath.txt")" \
  dev.ngao.ledger.LedgerBenchmark \
  --entries "$entries" --pg-entries "$pg_entries" --batch "$batch" --single-entries "$single" \
  --rocks-dir "$work/rocks" --pg-url "jdbc:postgresql://127.0.0.1:$port/postgres?user=bench"
