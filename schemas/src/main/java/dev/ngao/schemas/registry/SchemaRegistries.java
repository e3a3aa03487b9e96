package dev.ngao.schemas.registry;

import org.apache.kafka.common.config.ConfigException;

/** Chooses the registry implementation from {@code schema.registry.url}. */
public final class SchemaRegistries {

    private SchemaRegistries() {
    }

    /**
     * {@code mock://<scope>}: in this JVM; {@code embedded}: the compacted topic on the Kafka cluster at
     * {@code bootstrap.servers}; {@code http(s)://...} (comma-separated for failover): a Confluent-compatible
     * registry. The caller owns the returned client and closes it.
     */
    public static SchemaRegistryClient create(SchemaRegistryConfig config) {
        String url = config.url();
        if (url.startsWith(SchemaRegistryConfig.MOCK_PREFIX)) {
            return InMemorySchemaRegistry.scope(url.substring(SchemaRegistryConfig.MOCK_PREFIX.length()));
        }
        if (url.equals(SchemaRegistryConfig.EMBEDDED)) {
            return new KafkaTopicSchemaRegistry(config);
        }
        if (url.startsWith("http://") || url.startsWith("https://")) {
            return new RestSchemaRegistryClient(config);
        }
        // The value stays out of the message: a mistyped URL may still carry credentials.
        throw new ConfigException("Invalid value for " + SchemaRegistryConfig.SCHEMA_REGISTRY_URL + ": expected '"
                + SchemaRegistryConfig.EMBEDDED + "', '" + SchemaRegistryConfig.MOCK_PREFIX
                + "<scope>' or http(s):// URL(s)");
    }
}
