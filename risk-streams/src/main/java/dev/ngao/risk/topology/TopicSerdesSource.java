package dev.ngao.risk.topology;

import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topic;

/** Where the topology gets the serdes of Ngao's topics: {@code KafkaContext::serdes} in the service. */
@FunctionalInterface
public interface TopicSerdesSource {

    <K, V> TopicSerdes<K, V> serdes(Topic<K, V> topic);

    /** The serdes over an in-process registry of its own (schemas registered on first use): backtests, benchmarks. */
    static TopicSerdesSource over(InMemorySchemaRegistry registry) {
        return new TopicSerdesSource() {
            @Override
            public <K, V> TopicSerdes<K, V> serdes(Topic<K, V> topic) {
                return TopicSerdes.of(topic, registry, true);
            }
        };
    }
}
