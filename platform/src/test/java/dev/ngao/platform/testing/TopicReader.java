package dev.ngao.platform.testing;

import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * What a topic holds, for integration tests, read as downstream services read it: a read_committed consumer
 * assigned every partition, values decoded by the topic's own serdes. Every wait is bounded (30 s unless
 * {@link #within} says otherwise) and ends in an {@link AssertionError} naming the topic, never a hang.
 * <pre>{@code
 * try (TopicReader<String, RiskDecision> reader = TopicReader.fromBeginning(kafka, Topics.RISK_DECISIONS)) {
 *     RiskDecision decision = reader.awaitFirst(record -> record.key().equals(transactionId)).value();
 * }
 * }</pre>
 */
public final class TopicReader<K, V> implements AutoCloseable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<K, V> consumer;
    private final String topicName;
    private final List<TopicPartition> partitions;
    private Duration timeout = DEFAULT_TIMEOUT;

    private TopicReader(KafkaConsumer<K, V> consumer, String topicName, boolean fromBeginning) {
        this.consumer = consumer;
        this.topicName = topicName;
        this.partitions = consumer.partitionsFor(topicName).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
            // Resolves the end now, so that records written after this call are the ones read.
            partitions.forEach(consumer::position);
        }
    }

    /** A reader of {@code topic} from its first record. */
    public static <K, V> TopicReader<K, V> fromBeginning(KafkaContext kafka, Topic<K, V> topic) {
        return new TopicReader<>(kafka.consumer(topic, "it-reader-" + UUID.randomUUID(), null), topic.name(), true);
    }

    /** A reader of what {@code topic} receives from now on. */
    public static <K, V> TopicReader<K, V> fromEnd(KafkaContext kafka, Topic<K, V> topic) {
        return new TopicReader<>(kafka.consumer(topic, "it-reader-" + UUID.randomUUID(), null), topic.name(), false);
    }

    /** A reader of {@code topicName} from its first record through a consumer of the caller's (raw bytes, say). */
    public static <K, V> TopicReader<K, V> fromBeginning(KafkaConsumer<K, V> consumer, String topicName) {
        return new TopicReader<>(consumer, topicName, true);
    }

    /** Every record of {@code topic}, from its first to its end offsets as they are now. */
    public static <K, V> List<ConsumerRecord<K, V>> readAll(KafkaContext kafka, Topic<K, V> topic) {
        try (TopicReader<K, V> reader = fromBeginning(kafka, topic)) {
            return reader.readToEnd();
        }
    }

    /** The values of {@code topic} up to its current end that {@code wanted} accepts (tombstones left out). */
    public static <K, V> List<V> values(KafkaContext kafka, Topic<K, V> topic, Predicate<V> wanted) {
        return readAll(kafka, topic).stream().map(ConsumerRecord::value)
                .filter(value -> value != null && wanted.test(value)).toList();
    }

    /**
     * The first record of {@code topic} that {@code wanted} accepts, read from the beginning and waited for
     * while it has not come.
     */
    public static <K, V> ConsumerRecord<K, V> awaitFirst(KafkaContext kafka, Topic<K, V> topic,
                                                         Predicate<ConsumerRecord<K, V>> wanted) {
        try (TopicReader<K, V> reader = fromBeginning(kafka, topic)) {
            return reader.awaitFirst(wanted);
        }
    }

    /** The longest any later call of this reader waits. */
    public TopicReader<K, V> within(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout);
        return this;
    }

    /** The records from this reader's position to the end offsets the topic has when called. */
    public List<ConsumerRecord<K, V>> readToEnd() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        List<ConsumerRecord<K, V>> read = new ArrayList<>();
        long deadline = deadline();
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
            failAfter(deadline, "could not read " + topicName + " to its end");
            consumer.poll(POLL).forEach(read::add);
        }
        return read;
    }

    /**
     * Every record read from this reader's position until {@code count} of them were accepted by {@code wanted}
     * (the others too, in the order read). {@code wanted} is tested once per record, in order, so it may count
     * distinct keys ({@code record -> seen.add(record.key())}).
     */
    public List<ConsumerRecord<K, V>> readUntil(Predicate<ConsumerRecord<K, V>> wanted, int count) {
        List<ConsumerRecord<K, V>> read = new ArrayList<>();
        long found = 0;
        long deadline = deadline();
        while (found < count) {
            failAfter(deadline, found + " of " + count + " wanted records found on " + topicName);
            for (ConsumerRecord<K, V> record : consumer.poll(POLL)) {
                read.add(record);
                if (wanted.test(record)) {
                    found++;
                }
            }
        }
        return read;
    }

    /** The first {@code count} records that {@code wanted} accepts, read from this reader's position on. */
    public List<ConsumerRecord<K, V>> await(Predicate<ConsumerRecord<K, V>> wanted, int count) {
        return readUntil(wanted, count).stream().filter(wanted).limit(count).toList();
    }

    /** The first record that {@code wanted} accepts, read from this reader's position on. */
    public ConsumerRecord<K, V> awaitFirst(Predicate<ConsumerRecord<K, V>> wanted) {
        return await(wanted, 1).get(0);
    }

    private long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    private void failAfter(long deadline, String message) {
        if (System.nanoTime() - deadline > 0) {
            throw new AssertionError(message + " within " + timeout);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
