package dev.ngao.schemas.registry;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded store's own clients connect as the service does: its security settings come along. */
class KafkaTopicSchemaRegistryTest {

    @Test
    void shouldGiveTheStoresClientsTheServicesSecuritySettingsAndNothingElse() {
        Map<String, ?> registrySettings = Map.of(
                SchemaRegistryConfig.BOOTSTRAP_SERVERS, "kafka:9093",
                SchemaRegistryConfig.SCHEMA_REGISTRY_URL, "embedded",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/kafka/ca.crt");

        Map<String, Object> security = KafkaTopicSchemaRegistry.clientSecurity(registrySettings);
        Map<String, Object> consumer = KafkaTopicSchemaRegistry.withSecurity(Map.of("bootstrap.servers", "kafka:9093"),
                security);

        assertThat(security).containsOnlyKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config",
                "ssl.truststore.location");
        assertThat(consumer).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "kafka:9093").doesNotContainKey(SchemaRegistryConfig.SCHEMA_REGISTRY_URL);
    }
}
