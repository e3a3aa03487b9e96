#!/bin/sh
# Creates the ngao-secrets Secret the workloads reference, with fresh random values. Run once per
# environment, before the first deploy; keep a copy of the master key and the pepper with the
# deployment's secrets (API key secrets stored under another master key cannot be read, and another
# pepper gives every wallet a new account id). Real providers' secrets replace the generated API and
# webhook secrets where the sandbox is not used. The notifier's merchant secrets (MERCHANT_ID=whsec_...) are
# taken from NOTIFIER_MERCHANT_SECRETS, empty when unset (no merchant is sent to).
set -eu
namespace=${NAMESPACE:-ngao}
secret() { openssl rand -base64 32; }
kubectl --namespace "$namespace" create secret generic ngao-secrets \
  --from-literal=ingest-keys-master-key="$(secret)" \
  --from-literal=ingest-pii-pepper="$(secret)" \
  --from-literal=mobile-money-hub-webhook-secret="$(secret)" \
  --from-literal=pagoefectivo-webhook-secret="$(secret)" \
  --from-literal=card-network-webhook-secret="$(secret)" \
  --from-literal=mobile-money-hub-api-secret="$(secret)" \
  --from-literal=pagoefectivo-api-secret="$(secret)" \
  --from-literal=card-network-api-secret="$(secret)" \
  --from-literal=notifier-merchant-secrets="${NOTIFIER_MERCHANT_SECRETS:-}"
