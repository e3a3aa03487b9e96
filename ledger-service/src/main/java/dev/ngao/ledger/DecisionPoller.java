package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.invariant.InvariantViolation;
import dev.ngao.platform.invariant.Invariants;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ledger's one writer: polls {@code risk.decisions}, turns each poll into one {@link LedgerBatch}
 * and commits it to the store together with the offsets it covers, then publishes the new entries.
 *
 * <p>Exactly once: the offsets stored with the entries are the truth. On every partition assignment,
 * and after any failed commit, the consumer seeks to them, so a decision is applied in the same
 * atomic write that moves its offset, never before, never twice. Offsets are also committed to Kafka,
 * but only for monitoring (consumer lag). Deterministic entry ids catch duplicates upstream (a
 * decision delivered twice): the second is skipped.
 *
 * <p>The consumer and producer belong to the thread that runs {@link #run()}; {@link #stop()} is the
 * only method for other threads.
 */
final class DecisionPoller implements Runnable {

    /** Wait after a failed commit or an undecodable record before trying again. */
    static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(DecisionPoller.class);

    private final Consumer<String, RiskDecision> consumer;
    private final LedgerStore store;
    private final PostingRule rules;
    private final EntryPublisher publisher;
    private final Duration pollTimeout;
    private final Clock clock;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicLong rejectedDecisions = new AtomicLong();
    /** True from construction, so /health does not report DOWN in the moment before the thread starts. */
    private volatile boolean running = true;
    private volatile String stalledOn;

    DecisionPoller(Consumer<String, RiskDecision> consumer, LedgerStore store, PostingRule rules,
                   EntryPublisher publisher, Duration pollTimeout, Clock clock) {
        this.consumer = consumer;
        this.store = store;
        this.rules = rules;
        this.publisher = publisher;
        this.pollTimeout = pollTimeout;
        this.clock = clock;
    }

    /** Subscribes and polls until {@link #stop()} or a broken invariant, which halts the process. */
    @Override
    public void run() {
        try {
            subscribe();
            while (stopRequested.getCount() > 0) {
                pollOnce();
            }
        } catch (WakeupException e) {
            LOG.debug("Decision poller woken up to stop");
        } catch (InvariantViolation violation) {
            Invariants.halt(violation);
        } catch (RuntimeException e) {
            // Not a broken ledger (that is an InvariantViolation), but the loop cannot go on; /health reports it.
            LOG.error("Decision poller stopped by an unexpected failure", e);
        } finally {
            running = false;
        }
    }

    /** Asks {@link #run()} to return; safe from any thread. */
    void stop() {
        stopRequested.countDown();
        consumer.wakeup();
    }

    /** Whether the poll loop is alive; false once stopped or halted. */
    boolean running() {
        return running;
    }

    /** What blocks consumption (an undecodable record), or null. */
    String stalledOn() {
        return stalledOn;
    }

    /** Approved decisions that could not make a valid entry and were skipped. */
    long rejectedDecisions() {
        return rejectedDecisions.get();
    }

    void subscribe() {
        consumer.subscribe(List.of(Topics.RISK_DECISIONS.name()), new SeekToStoredOffsets());
    }

    /** One poll, applied and published. Package-private so tests can step the loop. */
    void pollOnce() {
        ConsumerRecords<String, RiskDecision> records;
        try {
            records = consumer.poll(pollTimeout);
            stalledOn = null;
        } catch (RecordDeserializationException e) {
            stall(e);
            return;
        }
        if (!records.isEmpty()) {
            applyOrRewind(records);
        }
        publishPending();
    }

    private void publishPending() {
        try {
            publisher.publishPending();
        } catch (LedgerStoreException e) {
            LOG.error("Cannot read entries to publish, will retry: {}", e.getMessage());
        }
    }

    private void applyOrRewind(ConsumerRecords<String, RiskDecision> records) {
        try {
            apply(records);
        } catch (LedgerStoreException e) {
            // Nothing of the batch was written, but the consumer moved past it: go back to what the store holds.
            LOG.error("Cannot commit a batch of {} decisions, retrying from the stored offsets: {}", records.count(),
                    e.getMessage());
            seekToStoredOffsets(consumer.assignment());
            backOff();
        }
    }

    private void apply(ConsumerRecords<String, RiskDecision> records) {
        LedgerBatch batch = store.newBatch();
        for (ConsumerRecord<String, RiskDecision> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            draft(record).ifPresent(draft -> {
                if (!batch.post(draft, clock.instant())) {
                    LOG.info("Entry {} is already posted, decision at {} skipped", draft.entryId(),
                            draft.sourceEventId());
                }
            });
            batch.advanceOffset(partition, record.offset() + 1);
        }
        List<JournalEntry> posted = store.commit(batch);
        if (!posted.isEmpty()) {
            LOG.debug("Posted {} entries up to sequence {}", posted.size(), batch.head().sequence());
        }
        commitToKafkaForMonitoring(batch.nextOffsets());
    }

    private Optional<DraftEntry> draft(ConsumerRecord<String, RiskDecision> record) {
        String sourceEventId = record.topic() + "-" + record.partition() + "@" + record.offset();
        RiskDecision decision = record.value();
        if (decision == null) {
            LOG.warn("Empty decision record at {} skipped", sourceEventId);
            return Optional.empty();
        }
        try {
            return rules.draft(decision, sourceEventId);
        } catch (UnpostableDecisionException e) {
            rejectedDecisions.incrementAndGet();
            LOG.error("Decision at {} cannot be posted and is skipped: {}", sourceEventId, e.getMessage());
            return Optional.empty();
        }
    }

    private void commitToKafkaForMonitoring(Map<TopicPartition, Long> nextOffsets) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        nextOffsets.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error != null) {
                LOG.debug("Informational offset commit failed (the ledger's own offsets are unaffected): {}",
                        error.getMessage());
            }
        });
    }

    /**
     * A record that cannot be decoded is never skipped: it may be an approved payment the ledger must
     * hold. Consumption waits, retrying, until the cause (often the schema registry) is fixed.
     */
    private void stall(RecordDeserializationException e) {
        stalledOn = e.topicPartition() + "@" + e.offset();
        LOG.error("Cannot decode the decision at {}, retrying in {} ms: {}", stalledOn, RETRY_BACKOFF.toMillis(),
                e.getMessage());
        consumer.seek(e.topicPartition(), e.offset());
        backOff();
    }

    private void seekToStoredOffsets(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            OptionalLong stored = store.nextOffset(partition);
            if (stored.isPresent()) {
                consumer.seek(partition, stored.getAsLong());
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
            LOG.info("Consuming {} from {}", partition, stored.isPresent() ? stored.getAsLong() : "the beginning");
        }
    }

    private void backOff() {
        try {
            stopRequested.await(RETRY_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested.countDown();
        }
    }

    /** Runs on the poll thread, inside poll(): the consumer may be used here. */
    private final class SeekToStoredOffsets implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            seekToStoredOffsets(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing to flush: every poll is committed to the store before the next poll, where rebalances run.
        }
    }
}
