#!/bin/bash
# The container's health, as Docker's HEALTHCHECK (and Kubernetes' exec probes) see it: the service's own
# health endpoint, on the port its NGAO_* configuration sets. Exit 0 healthy, 1 not.
set -euo pipefail
timeout_seconds=4
case "${SERVICE:-}" in
  ingest)
    # Ready: the door answers and Kafka is reachable (503 problem 'not-ready' otherwise).
    exec curl --fail --silent --output /dev/null --max-time "$timeout_seconds" \
      "http://127.0.0.1:${NGAO_INGEST_HTTP_PORT:-8080}/health/ready" ;;
  ledger)
    # 200 while the poll thread runs, 503 once it stopped.
    exec curl --fail --silent --output /dev/null --max-time "$timeout_seconds" \
      "http://127.0.0.1:${NGAO_LEDGER_HTTP_PORT:-8082}/health" ;;
  reconciler)
    # 200 while the ledger view follows its topics, 503 once it stopped.
    exec curl --fail --silent --output /dev/null --max-time "$timeout_seconds" \
      "http://127.0.0.1:${NGAO_RECONCILER_HTTP_PORT:-8083}/health" ;;
  notifier)
    # 200 while the intake thread consumes, 503 once it stopped.
    exec curl --fail --silent --output /dev/null --max-time "$timeout_seconds" \
      "http://127.0.0.1:${NGAO_NOTIFIER_HTTP_PORT:-8086}/health" ;;
  console)
    # 200 while the feed of its views follows the topics, 503 once it stopped.
    exec curl --fail --silent --output /dev/null --max-time "$timeout_seconds" \
      "http://127.0.0.1:${NGAO_CONSOLE_HTTP_PORT:-8087}/health" ;;
  sandbox)
    # The simulated hub's health route wants the hub's credentials; they go to curl on stdin, not argv.
    printf 'user = "%s:%s"\n' "${NGAO_SANDBOX_MOBILE_MONEY_HUB_API_KEY:-ngao-mobile-money-hub}" \
        "${NGAO_SANDBOX_MOBILE_MONEY_HUB_API_SECRET:-}" \
      | exec curl --config - --fail --silent --output /dev/null --max-time "$timeout_seconds" \
          "http://127.0.0.1:${NGAO_SANDBOX_HTTP_PORT:-8095}/mobile-money-hub/health" ;;
  risk)
    # The usage query API's health: 200 while Kafka Streams runs or rebalances (restoring its stores
    # included), 503 before it started and once it stopped or failed.
    exec curl --fail --silent --output /dev/null --max-time "$timeout_seconds" \
      "http://127.0.0.1:${NGAO_RISK_HTTP_PORT:-8084}/health" ;;
  *)
    echo "SERVICE must be ingest, risk, ledger, reconciler, notifier, console or sandbox, not '${SERVICE:-}'" >&2
    exit 1 ;;
esac
