package dev.ngao.risk.topology;

import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topic;

/** Where the topology gets the serdes of Ngao's topics: {@code KafkaContext::serdes} in the service. */
@FunctionalInterface
public interface TopicSerdesSource {

    <K, V> TopicSerdes<K, V> serdes(Topic<K, V> topic);
}
