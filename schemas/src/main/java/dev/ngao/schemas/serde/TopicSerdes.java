package dev.ngao.schemas.serde;

import dev.ngao.schemas.registry.SchemaRegistryClient;
import dev.ngao.schemas.topics.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The key and value serdes of one topic, derived from its declared types: strings as UTF-8, raw bytes as
 * they are, Avro records in Confluent's wire format.
 */
public record TopicSerdes<K, V>(Topic<K, V> topic, Serde<K> keySerde, Serde<V> valueSerde) {

    public static <K, V> TopicSerdes<K, V> of(Topic<K, V> topic, SchemaRegistryClient registry, boolean autoRegister) {
        return new TopicSerdes<>(topic,
                serdeFor(topic.keyType(), registry, autoRegister, true),
                serdeFor(topic.valueType(), registry, autoRegister, false));
    }

    public String name() {
        return topic.name();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Serde<T> serdeFor(Class<T> type, SchemaRegistryClient registry, boolean autoRegister,
                                         boolean isKey) {
        if (type == String.class) {
            return (Serde<T>) Serdes.String();
        }
        if (type == byte[].class) {
            return (Serde<T>) Serdes.ByteArray();
        }
        if (SpecificRecord.class.isAssignableFrom(type)) {
            return (Serde<T>) new AvroSerde(registry, type.asSubclass(SpecificRecord.class), autoRegister, isKey);
        }
        throw new IllegalArgumentException("No serde for topic type " + type.getName());
    }
}
