#!/bin/sh
# TLS for the compose broker, run by docker-compose.yml's kafka-tls container (the broker's own image, for its
# keytool) before the broker starts. Once: a CA of this stack signs the broker's certificate (names kafka and
# localhost), the broker's key and certificate go into the kafka-tls volume (the broker's only), the CA
# certificate alone into the kafka-ca volume, which the services and the registry mount as their trust store.
# The CA's key is not kept: a new certificate means a new CA (docker compose down -v, or remove both volumes).
set -eu
secrets=${KAFKA_TLS_DIR:-/etc/kafka/secrets}
ca_dir=${KAFKA_CA_DIR:-/etc/ngao/kafka-ca}
keystore=$secrets/kafka.keystore.p12
password=${KAFKA_TLS_KEYSTORE_PASSWORD:?run deploy/docker/compose-env.sh to write .env}
broker_user=${KAFKA_BROKER_USER:-appuser}
validity_days=825
if [ -s "$keystore" ] && [ -s "$ca_dir/ca.crt" ]; then
  echo "kafka-tls: keystore and CA certificate exist, kept"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
keytool -genkeypair -noprompt -keystore "$work/ca.p12" -storetype PKCS12 -storepass "$password" -alias ca \
  -dname "CN=Ngao compose Kafka CA" -keyalg RSA -keysize 3072 -validity "$validity_days" -ext bc:c
keytool -exportcert -keystore "$work/ca.p12" -storepass "$password" -alias ca -rfc -file "$work/ca.crt"
keytool -genkeypair -noprompt -keystore "$work/kafka.p12" -storetype PKCS12 -storepass "$password" -alias kafka \
  -dname "CN=kafka" -keyalg RSA -keysize 3072 -validity "$validity_days"
keytool -certreq -keystore "$work/kafka.p12" -storepass "$password" -alias kafka -file "$work/kafka.csr"
keytool -gencert -keystore "$work/ca.p12" -storepass "$password" -alias ca -infile "$work/kafka.csr" \
  -outfile "$work/kafka.crt" -rfc -validity "$validity_days" \
  -ext SAN=dns:kafka,dns:localhost -ext KeyUsage=digitalSignature,keyEncipherment -ext ExtendedKeyUsage=serverAuth
keytool -importcert -noprompt -keystore "$work/kafka.p12" -storepass "$password" -alias ca -file "$work/ca.crt"
keytool -importcert -noprompt -keystore "$work/kafka.p12" -storepass "$password" -alias kafka -file "$work/kafka.crt"
mkdir -p "$secrets" "$ca_dir"
umask 077
cp "$work/kafka.p12" "$keystore"
# The image's start script reads the keystore and key passwords from these files (KAFKA_SSL_*_CREDENTIALS).
printf '%s' "$password" > "$secrets/keystore-password"
if id "$broker_user" >/dev/null 2>&1; then
  chown "$broker_user" "$keystore" "$secrets/keystore-password"
fi
umask 022
cp "$work/ca.crt" "$ca_dir/ca.crt"
chmod 444 "$ca_dir/ca.crt"
echo "kafka-tls: new CA and broker certificate (kafka, localhost), valid $validity_days days"
