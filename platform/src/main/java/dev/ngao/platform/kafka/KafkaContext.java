package dev.ngao.platform.kafka;

import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.schemas.registry.SchemaRegistries;
import dev.ngao.schemas.registry.SchemaRegistryClient;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.util.Collection;

/**
 * What a service needs to talk to Kafka: its settings, one schema registry client, and typed
 * producers and consumers for declared topics.
 */
public final class KafkaContext implements AutoCloseable {

    private final KafkaSettings settings;
    private final SchemaRegistryClient registry;
    private final boolean autoRegister;

    public KafkaContext(KafkaSettings settings, SchemaRegistryClient registry) {
        this.settings = settings;
        this.registry = registry;
        this.autoRegister = settings.schemaRegistryConfig().autoRegister();
    }

    /** Builds the registry client the settings name. */
    public static KafkaContext connect(KafkaSettings settings) {
        return new KafkaContext(settings, SchemaRegistries.create(settings.schemaRegistryConfig()));
    }

    public KafkaSettings settings() {
        return settings;
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    public <K, V> TopicSerdes<K, V> serdes(Topic<K, V> topic) {
        return TopicSerdes.of(topic, registry, autoRegister);
    }

    /** Creates the missing topics among {@code topics}, when configured to. */
    public void ensureTopics(Collection<Topic<?, ?>> topics, String clientId) {
        if (!settings.createTopics()) {
            return;
        }
        try (Admin admin = Admin.create(KafkaClients.admin(settings, clientId))) {
            TopicAdmin.ensureTopics(admin, topics, settings.replicationFactor());
        }
    }

    /** An idempotent, acks=all producer for one topic. */
    public <K, V> KafkaProducer<K, V> producer(Topic<K, V> topic, String clientId) {
        TopicSerdes<K, V> serdes = serdes(topic);
        return new KafkaProducer<>(KafkaClients.producer(settings, clientId),
                serdes.keySerde().serializer(), serdes.valueSerde().serializer());
    }

    /** A read_committed consumer for one topic. {@code groupId} may be null for assign()-only use. */
    public <K, V> KafkaConsumer<K, V> consumer(Topic<K, V> topic, String clientId, String groupId) {
        TopicSerdes<K, V> serdes = serdes(topic);
        return new KafkaConsumer<>(KafkaClients.consumer(settings, clientId, groupId),
                serdes.keySerde().deserializer(), serdes.valueSerde().deserializer());
    }

    @Override
    public void close() {
        registry.close();
    }
}
