package dev.ngao.risk.backtest;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads what a backtest replays from the cluster with assign-only, read_committed consumers (no group, no
 * committed offsets: nothing of the live application moves): a range of payments.requests, the card events
 * and list changes recorded up to its end, and the rule sets on risk.rulesets.
 */
final class RecordedTopics {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);
    /** A bound on the card events and list changes folded before the requests. */
    static final int MAX_GLOBAL_RECORDS = 5_000_000;

    private final KafkaContext kafka;

    RecordedTopics(KafkaContext kafka) {
        this.kafka = kafka;
    }

    /** The requests of the range, in replay order. */
    List<RecordedInput> requests(BacktestArguments range) {
        List<RecordedInput> requests = new ArrayList<>();
        try (KafkaConsumer<String, PaymentRequest> consumer =
                     kafka.consumer(Topics.PAYMENT_REQUESTS, "ngao-backtest-requests", null)) {
            List<TopicPartition> partitions = partitions(consumer, Topics.PAYMENT_REQUESTS).stream()
                    .filter(partition -> range.partition().map(wanted -> wanted == partition.partition()).orElse(true))
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException(Topics.PAYMENT_REQUESTS.name() + " has no partition "
                        + range.partition().orElse(-1));
            }
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> start = new HashMap<>();
            Map<TopicPartition, Long> stop = new HashMap<>();
            for (TopicPartition partition : partitions) {
                long first = beginning.get(partition);
                long last = end.get(partition);
                start.put(partition, clamp(range.fromOffset().orElse(first), first, last));
                stop.put(partition, clamp(range.toOffset().orElse(last), first, last));
            }
            // Record times need not grow with offsets (producers set them): the time range starts where the
            // index finds its first record, reads on to the end and keeps the records inside it.
            range.fromTime().ifPresent(time -> start.putAll(offsetsAt(consumer, partitions, time, end)));
            if (range.toTime().isPresent()) {
                stop.putAll(end);
            }
            read(consumer, start, stop, record -> {
                Instant timestamp = Instant.ofEpochMilli(record.timestamp());
                boolean inRange = range.fromTime().map(from -> !timestamp.isBefore(from)).orElse(true)
                        && range.toTime().map(timestamp::isBefore).orElse(true);
                if (record.value() != null && inRange) {
                    if (requests.size() >= range.maxRequests()) {
                        throw new IllegalArgumentException("the range holds more than --max-requests "
                                + range.maxRequests() + " requests; narrow it");
                    }
                    requests.add(new RecordedInput(record.key(), record.value(), timestamp));
                }
            });
        }
        requests.sort(RecordedInput.REPLAY_ORDER);
        return requests;
    }

    /** The card events and list changes recorded up to {@code until} (record time), in topic order. */
    <V extends SpecificRecord> List<RecordedInput> globalChanges(Topic<String, V> topic, Instant until) {
        List<RecordedInput> changes = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = kafka.consumer(topic, "ngao-backtest-" + topic.name(), null)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            read(consumer, consumer.beginningOffsets(partitions), consumer.endOffsets(partitions), record -> {
                Instant timestamp = Instant.ofEpochMilli(record.timestamp());
                if (!timestamp.isAfter(until) && (record.value() != null || topic.equals(Topics.RISK_LISTS))) {
                    if (changes.size() >= MAX_GLOBAL_RECORDS) {
                        throw new IllegalStateException(topic.name() + " holds more than " + MAX_GLOBAL_RECORDS
                                + " records up to the range's end");
                    }
                    changes.add(new RecordedInput(record.key(), record.value(), timestamp));
                }
            });
        }
        return changes;
    }

    /** The latest rule set of every owner on risk.rulesets (compacted; a tombstone removes the owner's). */
    Map<String, RuleSetPublished> ruleSets() {
        Map<String, RuleSetPublished> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, RuleSetPublished> consumer =
                     kafka.consumer(Topics.RISK_RULESETS, "ngao-backtest-rulesets", null)) {
            List<TopicPartition> partitions = partitions(consumer, Topics.RISK_RULESETS);
            read(consumer, consumer.beginningOffsets(partitions), consumer.endOffsets(partitions), record -> {
                if (record.value() == null) {
                    latest.remove(record.key());
                } else {
                    latest.remove(record.key());
                    latest.put(record.key(), record.value());
                }
            });
        }
        return latest;
    }

    private static <V> List<TopicPartition> partitions(KafkaConsumer<String, V> consumer, Topic<String, V> topic) {
        return consumer.partitionsFor(topic.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
    }

    private static <V> Map<TopicPartition, Long> offsetsAt(KafkaConsumer<String, V> consumer,
                                                           List<TopicPartition> partitions, Instant time,
                                                           Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        // No record at or after the time: the partition's range ends at its end.
        partitions.forEach(partition -> offsets.put(partition,
                found.get(partition) == null ? end.get(partition) : found.get(partition).offset()));
        return offsets;
    }

    /**
     * Reads every partition from {@code start} until its position reaches {@code stop}: platform's
     * {@link ConsumerLoop} stepped on this thread, nothing committed; an undecodable record, a failing poll or a
     * sink that throws ends the read with that exception.
     */
    private static <V> void read(KafkaConsumer<String, V> consumer, Map<TopicPartition, Long> start,
                                 Map<TopicPartition, Long> stop, Consumer<ConsumerRecord<String, V>> sink) {
        List<TopicPartition> partitions = start.keySet().stream()
                .filter(partition -> start.get(partition) < stop.get(partition))
                .toList();
        consumer.assign(partitions);
        partitions.forEach(partition -> consumer.seek(partition, start.get(partition)));
        ConsumerLoop range = ConsumerLoop.builder("backtest-range")
                .pollTimeout(POLL)
                .source(consumer, ConsumerLoop.eachRecord(record -> {
                    if (record.offset() < stop.get(new TopicPartition(record.topic(), record.partition()))) {
                        sink.accept(record);
                    }
                }), ConsumerLoop.Commit.NONE, ConsumerLoop.Undecodable.STOP)
                // A partition read to its stop fetches nothing more.
                .afterRound(() -> consumer.pause(partitions.stream()
                        .filter(partition -> consumer.position(partition) >= stop.get(partition)).toList()))
                .build();
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < stop.get(partition))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the range was not read within " + READ_TIMEOUT);
            }
            range.pollOnce();
        }
    }

    private static long clamp(long offset, long first, long last) {
        return Math.max(first, Math.min(offset, last));
    }
}
