package dev.ngao.reconciler.view;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the {@link PostedPaymentsView} up to date from {@code payments.requests} (CIP expiry only),
 * {@code risk.decisions}, {@code ledger.entries} and {@code providers.events}: one poll, one atomic batch of
 * payments and offsets. The view is the whole ledger, so one reconciler reads every partition (assign, no
 * consumer group) and starts from the offsets stored with the view, the beginning for a new view.
 */
public final class PostedPaymentsFollower implements Runnable {

    static final List<Topic<String, ?>> FOLLOWED = List.of(Topics.PAYMENT_REQUESTS, Topics.RISK_DECISIONS,
            Topics.LEDGER_ENTRIES, Topics.PROVIDER_EVENTS);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(PostedPaymentsFollower.class);

    private final Consumer<String, Object> consumer;
    private final PostedPaymentsView view;
    private final ConsumerLoop loop;

    public PostedPaymentsFollower(Consumer<String, Object> consumer, PostedPaymentsView view, Duration pollTimeout) {
        this.consumer = consumer;
        this.view = view;
        // The offsets live in the view, written with what they cover; Kafka keeps none. An undecodable record is
        // never skipped (it may be an approval): consumption waits until its cause (e.g. the registry) is fixed.
        // A failed write to the view reads its batch again: nothing of it was written.
        this.loop = ConsumerLoop.builder("reconciler-ledger-view")
                .pollTimeout(pollTimeout)
                .beforeFirstPoll(this::assignFromStoredOffsets)
                .source(consumer, this::applyBatch, ConsumerLoop.Commit.NONE, ConsumerLoop.Undecodable.WAIT)
                .retryAfter(RETRY_BACKOFF, PostedPaymentsViewException.class)
                .closeConsumers(CLOSE_TIMEOUT)
                .build();
    }

    /** A consumer whose values are the followed topics' records, decoded per topic. */
    public static Consumer<String, Object> consumer(KafkaContext kafka, String clientId) {
        Map<String, Deserializer<?>> byTopic = new HashMap<>();
        for (Topic<String, ?> topic : FOLLOWED) {
            byTopic.put(topic.name(), kafka.serdes(topic).valueSerde().deserializer());
        }
        return new KafkaConsumer<>(KafkaClients.consumer(kafka.settings(), clientId, null), new StringDeserializer(),
                new ByTopicDeserializer(byTopic));
    }

    /** Follows until {@link #stop()}; a failure that is not the view's storage stops it, logged. */
    @Override
    public void run() {
        try {
            loop.run();
        } catch (RuntimeException e) {
            LOG.error("Ledger view follower stopped by an unexpected failure", e);
        }
    }

    public void stop() {
        loop.stop();
    }

    public boolean running() {
        return loop.alive();
    }

    /** Assigns every partition of the followed topics and seeks each to the view's stored offset. */
    public void assignFromStoredOffsets() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<String, ?> topic : FOLLOWED) {
            for (PartitionInfo info : consumer.partitionsFor(topic.name())) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        consumer.assign(partitions);
        seekToStoredOffsets(partitions);
    }

    private void seekToStoredOffsets(List<TopicPartition> partitions) {
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            var stored = view.nextOffset(partition);
            if (stored.isPresent()) {
                consumer.seek(partition, stored.getAsLong());
            } else {
                fromStart.add(partition);
            }
        }
        consumer.seekToBeginning(fromStart);
    }

    /** One poll, applied in one batch. Public so a one-off run can catch up without the thread. */
    public int pollOnce() {
        return loop.pollOnce();
    }

    /** The records of a poll and the next offsets of their partitions, in one atomic write to the view. */
    private void applyBatch(ConsumerRecords<String, Object> records) {
        ViewBatch batch = view.newBatch();
        for (ConsumerRecord<String, Object> record : records) {
            apply(batch, record.value());
            batch.advanceOffset(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        }
        view.commit(batch);
    }

    /** True when every assigned partition has been read up to its end offset as of now. */
    public boolean caughtUp() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    static void apply(ViewBatch batch, Object value) {
        if (value instanceof RiskDecision decision) {
            batch.onDecision(decision);
        } else if (value instanceof JournalEntry entry) {
            batch.onEntry(entry);
        } else if (value instanceof ProviderEvent event) {
            batch.onProviderEvent(event);
        } else if (value instanceof PaymentRequest request) {
            batch.onRequest(request);
        }
    }

    /** Decodes each record with its own topic's deserializer. */
    private record ByTopicDeserializer(Map<String, Deserializer<?>> byTopic) implements Deserializer<Object> {

        @Override
        public Object deserialize(String topic, byte[] data) {
            return data == null ? null : byTopic.get(topic).deserialize(topic, data);
        }

        @Override
        public Object deserialize(String topic, Headers headers, byte[] data) {
            return data == null ? null : byTopic.get(topic).deserialize(topic, headers, data);
        }
    }
}
