#!/bin/sh
# Starts the service this image was built for (SERVICE), configured by NGAO_* environment variables only.
# With arguments, runs the launcher with them instead, against the same environment: for instance
#   docker-compose run --rm ingest-service keys create --merchant acme --scopes payments:write,payments:read
set -eu
launcher=/opt/ngao/ngao-launcher.jar
logging=-Dlogback.configurationFile=/opt/ngao/logback.xml
# JAVA_OPTS holds several JVM options: it is split into words on purpose.
# shellcheck disable=SC2086
if [ "$#" -gt 0 ]; then
  exec java ${JAVA_OPTS:-} "$logging" -jar "$launcher" "$@"
fi
case "${SERVICE:-}" in
  ingest|risk|ledger|reconciler|notifier|console)
    # shellcheck disable=SC2086
    exec java ${JAVA_OPTS:-} "$logging" -jar "$launcher" service "$SERVICE" ;;
  sandbox)
    # The launcher jar's manifest names every dependency, the sandbox included.
    # shellcheck disable=SC2086
    exec java ${JAVA_OPTS:-} "$logging" -cp "$launcher" dev.ngao.sandbox.provider.SandboxMain ;;
  *)
    echo "SERVICE must be ingest, risk, ledger, reconciler, notifier, console or sandbox, not '${SERVICE:-}'" >&2
    exit 64 ;;
esac
