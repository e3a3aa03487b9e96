package dev.ngao.platform.kafka;

import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KafkaClusterExtension.class)
class TopicAdminIT {

    @Test
    void shouldCreateMissingTopicsFromTheirDefinitionsAndLeaveExistingOnes(KafkaTestCluster cluster) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            // When created twice (the second time every topic exists)
            TopicAdmin.ensureTopics(admin, Topics.ALL, (short) -1);
            TopicAdmin.ensureTopics(admin, Topics.ALL, (short) -1);

            // Then every declared topic exists with its partitions and configs
            Map<String, TopicDescription> descriptions = admin.describeTopics(
                    Topics.ALL.stream().map(Topic::name).toList()).allTopicNames().get();
            for (Topic<?, ?> topic : Topics.ALL) {
                assertThat(descriptions.get(topic.name()).partitions()).hasSize(topic.partitions());
            }
            ConfigResource audit = new ConfigResource(ConfigResource.Type.TOPIC, Topics.AUDIT_INGEST.name());
            ConfigResource store = new ConfigResource(ConfigResource.Type.TOPIC, Topics.SCHEMA_STORE.name());
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(audit, store)).all().get();
            assertThat(Long.parseLong(configs.get(audit).get("retention.ms").value()))
                    .isGreaterThanOrEqualTo(365L * 24 * 3600 * 1000);
            assertThat(configs.get(store).get("cleanup.policy").value()).isEqualTo("compact");
        }
    }
}
