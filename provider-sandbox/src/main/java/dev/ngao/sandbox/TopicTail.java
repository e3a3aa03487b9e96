package dev.ngao.sandbox;

import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Follows a topic as an analyst would (read_committed, no consumer group, nothing committed) from the moment it
 * is made, handing each record to a handler on its own thread. A failing handler stops the tail, logged.
 */
public final class TopicTail<V> implements AutoCloseable {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaConsumer<String, V> consumer;
    private final ConsumerLoop loop;
    private volatile boolean started;

    public TopicTail(KafkaContext kafka, Topic<String, V> topic, Consumer<ConsumerRecord<String, V>> handler) {
        this.consumer = kafka.consumer(topic, "ngao-tail-" + topic.name(), null);
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end positions now, so records written after this constructor are all seen.
        partitions.forEach(consumer::position);
        this.loop = ConsumerLoop.builder("tail-" + topic.name())
                .pollTimeout(POLL_TIMEOUT)
                .source(consumer, ConsumerLoop.eachRecord(handler), ConsumerLoop.Commit.NONE,
                        ConsumerLoop.Undecodable.STOP)
                .closeConsumers(CLOSE_TIMEOUT)
                .build();
    }

    public void start() {
        started = true;
        loop.start();
    }

    @Override
    public void close() {
        if (!started) {
            consumer.close();
            return;
        }
        loop.close(CLOSE_TIMEOUT);
    }
}
