package dev.ngao.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/k8s/kafka-cluster.yaml: the Strimzi Kafka the services are deployed against. */
class KafkaClusterManifestTest {

    private final KubernetesManifests manifests = KubernetesManifests.load();

    @Test
    void shouldRunKraftWithOneNodePoolOfThreeBrokersThatAreAlsoControllers() {
        // Given the one Kafka resource and its node pools
        List<Map<String, Object>> clusters = manifests.ofKind("Kafka");
        assertThat(clusters).hasSize(1);
        Map<String, Object> kafka = clusters.get(0);
        List<Map<String, Object>> pools = manifests.ofKind("KafkaNodePool");

        // Then node pools are enabled and one pool of three nodes holds both roles
        assertThat(Yaml2.mapAt(kafka, "metadata/annotations")).containsEntry("strimzi.io/node-pools", "enabled");
        assertThat(pools).hasSize(1);
        Map<String, Object> pool = pools.get(0);
        assertThat(Yaml2.mapAt(pool, "metadata/labels")).containsEntry("strimzi.io/cluster", KubernetesManifests.name(kafka));
        assertThat(Yaml2.text(Yaml2.at(pool, "spec/replicas"))).isEqualTo("3");
        assertThat(Yaml2.listAt(pool, "spec/roles")).containsExactlyInAnyOrder("controller", "broker");
        // No ZooKeeper section: KRaft only
        assertThat(Yaml2.at(kafka, "spec/zookeeper")).isNull();
    }

    @Test
    void shouldReplicateThreeTimesAndAcknowledgeWithTwoInSync() {
        Map<String, Object> config = Yaml2.mapAt(manifests.ofKind("Kafka").get(0), "spec/kafka/config");

        assertThat(Yaml2.text(config.get("default.replication.factor"))).isEqualTo("3");
        assertThat(Yaml2.text(config.get("min.insync.replicas"))).isEqualTo("2");
        assertThat(Yaml2.text(config.get("offsets.topic.replication.factor"))).isEqualTo("3");
        // exactly_once_v2 needs the transaction log as durable as the data
        assertThat(Yaml2.text(config.get("transaction.state.log.replication.factor"))).isEqualTo("3");
        assertThat(Yaml2.text(config.get("transaction.state.log.min.isr"))).isEqualTo("2");
        assertThat(Yaml2.text(config.get("auto.create.topics.enable"))).isEqualTo("false");
    }

    @Test
    void shouldPointEveryKafkaServiceAtTheScramListenerOfTheBootstrapService() {
        // Given the cluster's one listener: TLS with SCRAM-SHA-512
        Map<String, Object> kafka = manifests.ofKind("Kafka").get(0);
        List<Object> listeners = Yaml2.listAt(kafka, "spec/kafka/listeners");
        assertThat(listeners).hasSize(1);
        Map<String, Object> scram = Yaml2.map(listeners.get(0), "listener");
        assertThat(scram.get("tls")).isEqualTo(true);
        assertThat(Yaml2.text(Yaml2.at(scram, "authentication/type"))).isEqualTo("scram-sha-512");
        String bootstrap = KubernetesManifests.name(kafka) + "-kafka-bootstrap:" + scram.get("port");

        // Then every service that talks to Kafka names it, and leaves topic creation to the KafkaTopics
        for (NgaoService service : NgaoService.values()) {
            Map<String, Object> environment = manifests.environment(manifests.workload(service));
            if (service.variables().contains("NGAO_KAFKA_BOOTSTRAP_SERVERS")) {
                assertThat(environment.get("NGAO_KAFKA_BOOTSTRAP_SERVERS")).as(service.deployName).isEqualTo(bootstrap);
                assertThat(environment.get("NGAO_KAFKA_CREATE_TOPICS")).as(service.deployName).isEqualTo("false");
            }
        }
    }

    @Test
    void shouldAuthorizeWithAclsAndRunTheUserOperator() {
        Map<String, Object> kafka = manifests.ofKind("Kafka").get(0);

        assertThat(Yaml2.text(Yaml2.at(kafka, "spec/kafka/authorization/type"))).isEqualTo("simple");
        assertThat(Yaml2.mapAt(kafka, "spec/entityOperator")).containsKey("userOperator");
    }
}
