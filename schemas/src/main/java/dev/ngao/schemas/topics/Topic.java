package dev.ngao.schemas.topics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One topic, declared once: its name, key and value types, partitioning, cleanup, retention and
 * the single service that writes it. Code reaches topics only through these definitions.
 *
 * @param <K> key type on the wire
 * @param <V> value type on the wire
 */
public record Topic<K, V>(
        String name,
        Class<K> keyType,
        Class<V> valueType,
        int partitions,
        CleanupPolicy cleanupPolicy,
        Duration retention,
        Writer writer,
        String description) {

    /** Retention meaning "keep forever", as Kafka's {@code retention.ms=-1}. */
    public static final Duration FOREVER = Duration.ofMillis(-1);

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(writer, "writer");
        if (!name.matches("[a-z]+(\\.[a-z-]+){1,2}")) {
            throw new IllegalArgumentException("topic name must be <domain>.<entity>[.<event>]: " + name);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive for " + name);
        }
    }

    /** Subject under which the value schema is registered (Confluent TopicNameStrategy). */
    public String valueSubject() {
        return name + "-value";
    }

    /** Subject under which the key schema would be registered (Confluent TopicNameStrategy). */
    public String keySubject() {
        return name + "-key";
    }

    /** Topic-level configs applied when Ngao creates the topic. */
    public Map<String, String> kafkaConfigs() {
        return Map.of(
                "cleanup.policy", cleanupPolicy.kafkaValue(),
                "retention.ms", Long.toString(retention.toMillis()));
    }

    @Override
    public String toString() {
        return name;
    }
}
