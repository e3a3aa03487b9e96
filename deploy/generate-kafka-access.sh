#!/bin/sh
# Regenerates the Kafka access files from dev.ngao.schemas.topics.Topics (each topic's one writer):
#   deploy/k8s/kafka-users.yaml    one Strimzi KafkaUser per service, with its ACLs
#   deploy/docker/kafka-setup.sh   the compose broker's topics, SCRAM users and ACLs
# Run it after adding a topic or changing a writer; deploy-check's KafkaAccessTest fails until you do.
set -eu
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests -pl deploy-check -am
classpath=$(mktemp)
trap 'rm -f "$classpath"' EXIT
mvn -B -q -pl deploy-check dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$classpath"
java -cp "deploy-check/target/classes:$(cat "$classpath")" dev.ngao.deploy.access.KafkaAccessGenerator --write "$PWD"
