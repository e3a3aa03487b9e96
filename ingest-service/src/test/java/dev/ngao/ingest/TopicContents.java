package dev.ngao.ingest;

import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * What a topic holds, for integration tests: every value up to its current end (tombstones left out), as a
 * read_committed reader sees it.
 */
final class TopicContents {

    private TopicContents() {
    }

    static <V> List<V> readAll(KafkaContext kafka, Topic<String, V> topic, Predicate<V> wanted) {
        List<V> found = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = kafka.consumer(topic, "it-reader-" + UUID.randomUUID(), null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic.name() + " to its end");
                }
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null && wanted.test(record.value())) {
                        found.add(record.value());
                    }
                }
            }
        }
        return found;
    }
}
