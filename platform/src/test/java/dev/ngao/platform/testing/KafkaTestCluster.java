package dev.ngao.platform.testing;

import dev.ngao.platform.config.KafkaSettings;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.util.HashMap;
import java.util.Map;

/**
 * A real single-node KRaft cluster in this JVM, from Kafka's own test kit, for integration tests.
 * Transaction and offset topics are set to one replica so exactly-once works on one broker.
 */
public final class KafkaTestCluster implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private KafkaTestCluster(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static KafkaTestCluster start() {
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaTestCluster(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the test Kafka cluster", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Settings for services under test: this cluster, an in-JVM registry scope, topics created. */
    public Map<String, String> environment(String registryScope) {
        Map<String, String> environment = new HashMap<>();
        environment.put("NGAO_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        environment.put("NGAO_SCHEMA_REGISTRY_URL", "mock://" + registryScope);
        return environment;
    }

    public KafkaSettings settings(String registryScope) {
        return new KafkaSettings(Map.of(
                KafkaSettings.BOOTSTRAP_SERVERS, bootstrapServers(),
                KafkaSettings.SCHEMA_REGISTRY_URL, "mock://" + registryScope));
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot stop the test Kafka cluster", e);
        }
    }

}
