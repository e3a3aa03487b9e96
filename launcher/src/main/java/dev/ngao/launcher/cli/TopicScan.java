package dev.ngao.launcher.cli;

import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Reads one topic with an assign()-only, read_committed consumer: no group, no committed offsets, so reading
 * never moves anything a service relies on. Reads from the beginning (or only what arrives from now on) up
 * to the end offsets seen at the start, and with {@code follow} on past them until told to stop.
 */
final class TopicScan {

    private static final Duration POLL = Duration.ofMillis(200);

    private TopicScan() {
    }

    /**
     * @param fromBeginning start at the earliest offsets, else at the end (only new records)
     * @param follow        keep reading after the end offsets seen at the start, until {@code stop} says so
     * @param sink          receives each decoded row in partition order; returns false to stop the scan
     */
    static <K, V> void scan(KafkaContext kafka, Topic<K, V> topic, boolean fromBeginning, boolean follow,
                            BooleanSupplier stop, Predicate<TopicRow> sink) {
        try (KafkaConsumer<K, V> consumer = kafka.consumer(topic, "ngao-cli-" + topic.name(), null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            // Stepped on this thread; nothing committed; the rows after the one the sink stopped at are not shown.
            AtomicBoolean sinkStopped = new AtomicBoolean();
            ConsumerLoop rows = ConsumerLoop.builder("ngao-cli-" + topic.name())
                    .pollTimeout(POLL)
                    .source(consumer, ConsumerLoop.eachRecord(record -> {
                        if (!sinkStopped.get() && !sink.test(row(record))) {
                            sinkStopped.set(true);
                        }
                    }), ConsumerLoop.Commit.NONE, ConsumerLoop.Undecodable.STOP)
                    .build();
            while (!stop.getAsBoolean() && !sinkStopped.get()) {
                if (!follow && reachedEnd(consumer, ends)) {
                    return;
                }
                rows.pollOnce();
            }
        }
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        // position() is past transaction markers too, so a read_committed reader reaches the end offsets.
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private static TopicRow row(ConsumerRecord<?, ?> record) {
        Object key = record.key();
        String keyText = key == null ? null
                : key instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : key.toString();
        return new TopicRow(record.topic(), record.partition(), record.offset(),
                Instant.ofEpochMilli(record.timestamp()), keyText, AvroJson.toJson(record.value()));
    }
}
