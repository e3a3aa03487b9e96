package dev.ngao.deploy;

import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/k8s/kafka-topics.yaml against the one definition of every topic, Topics. */
class KafkaTopicsManifestTest {

    private static final int REPLICAS = 3;
    private static final int MIN_IN_SYNC_REPLICAS = 2;

    private final KubernetesManifests manifests = KubernetesManifests.load();

    @Test
    void shouldDeclareExactlyOneKafkaTopicForEveryTopicAndNoOther() {
        // Given every KafkaTopic, by the topic name it manages
        Map<String, Long> declared = kafkaTopics().stream()
                .collect(Collectors.groupingBy(KafkaTopicsManifestTest::topicName, TreeMap::new, Collectors.counting()));

        // Then each topic of Topics has exactly one, and no KafkaTopic names a topic Topics does not define
        Map<String, Long> expected = Topics.ALL.stream()
                .collect(Collectors.toMap(Topic::name, topic -> 1L, (a, b) -> a, TreeMap::new));
        assertThat(declared).isEqualTo(expected);
    }

    @Test
    void shouldGiveEachTopicThePartitionsCleanupPolicyAndRetentionOfItsDefinition() {
        Map<String, Map<String, Object>> byName = kafkaTopics().stream()
                .collect(Collectors.toMap(KafkaTopicsManifestTest::topicName, Function.identity(), (a, b) -> a));
        for (Topic<?, ?> topic : Topics.ALL) {
            Map<String, Object> resource = byName.get(topic.name());
            assertThat(resource).as("KafkaTopic of %s", topic).isNotNull();
            assertThat(Yaml2.text(Yaml2.at(resource, "spec/partitions"))).as("partitions of %s", topic)
                    .isEqualTo(Integer.toString(topic.partitions()));
            Map<String, Object> config = Yaml2.mapAt(resource, "spec/config");
            // The same configs Ngao applies when it creates the topic itself: cleanup.policy and retention.ms.
            topic.kafkaConfigs().forEach((key, value) ->
                    assertThat(Yaml2.text(config.get(key))).as("%s of %s", key, topic).isEqualTo(value));
        }
    }

    @Test
    void shouldReplicateEveryTopicThreeTimesWithTwoInSyncOnTheNgaoCluster() {
        String cluster = KubernetesManifests.name(manifests.ofKind("Kafka").get(0));
        for (Map<String, Object> resource : kafkaTopics()) {
            String topic = topicName(resource);
            assertThat(Yaml2.text(Yaml2.at(resource, "spec/replicas"))).as("replicas of %s", topic)
                    .isEqualTo(Integer.toString(REPLICAS));
            assertThat(Yaml2.text(Yaml2.at(resource, "spec/config/min.insync.replicas")))
                    .as("min.insync.replicas of %s", topic).isEqualTo(Integer.toString(MIN_IN_SYNC_REPLICAS));
            assertThat(Yaml2.text(Yaml2.mapAt(resource, "metadata/labels").get("strimzi.io/cluster")))
                    .as("the Kafka cluster %s belongs to", topic).isEqualTo(cluster);
        }
    }

    private List<Map<String, Object>> kafkaTopics() {
        return manifests.ofKind("KafkaTopic");
    }

    /** Strimzi manages spec.topicName, or the resource's name when there is none. */
    private static String topicName(Map<String, Object> resource) {
        Object topicName = Yaml2.at(resource, "spec/topicName");
        return topicName != null ? String.valueOf(topicName) : KubernetesManifests.name(resource);
    }
}
