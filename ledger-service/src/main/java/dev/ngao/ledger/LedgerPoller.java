package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.invariant.InvariantViolation;
import dev.ngao.platform.invariant.Invariants;
import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.platform.kafka.ConsumerLoop.Commit;
import dev.ngao.platform.kafka.ConsumerLoop.Undecodable;
import dev.ngao.platform.observability.TraceContext;
import dev.ngao.platform.observability.Traceparent;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ledger's one writer: polls {@code risk.decisions} and {@code providers.events}, turns each round
 * into one {@link LedgerBatch} and commits it to the store together with the offsets of both topics it
 * covers, then publishes the new entries and refusals, gives lifecycles stored before the undecided index their
 * mark ({@link UndecidedBackfill}, once) and when due expires stale lifecycles ({@link UndecidedSweeper}).
 *
 * <p>Exactly once: the offsets stored with the entries are the truth. On every partition assignment,
 * and after any failed commit, each consumer seeks to them, so an event is applied in the same atomic
 * write that moves its offset, never before, never twice. Offsets are also committed to Kafka, but only
 * for monitoring (consumer lag). Deterministic entry ids and the stored lifecycles catch duplicates
 * upstream (an event delivered twice): the second posts nothing.
 *
 * <p>The loop is platform's {@link ConsumerLoop}: each round polls decisions, then provider events; their batches
 * are held and applied together, as one write, once both polls returned. A record that cannot be decoded is
 * never skipped (it may be money the ledger must hold): its topic waits on it, retrying, until the cause (often
 * the schema registry) is fixed. Nothing is committed by the loop: the ledger commits its offsets itself.
 *
 * <p>The consumers and producers belong to the thread that runs {@link #run()}; {@link #stop()} is the
 * only method for other threads.
 */
final class LedgerPoller implements Runnable {

    /** Wait after a failed commit or an undecodable record before trying again. */
    static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(LedgerPoller.class);

    private final Input<RiskDecision> decisions;
    private final Input<ProviderEvent> providerEvents;
    private final LedgerStore store;
    private final PostingRule rules;
    private final EntryPublisher publisher;
    private final RefusalPublisher refusalPublisher;
    private final UndecidedSweeper sweeper;
    private final UndecidedBackfill backfill;
    private final Clock clock;
    private final CrashPoints crashPoints;
    private final AtomicLong rejectedEvents = new AtomicLong();
    private final ConsumerLoop loop;
    /** The batches of the round under way, applied together at its end; the loop's thread only. */
    private ConsumerRecords<String, RiskDecision> decided = ConsumerRecords.empty();
    private ConsumerRecords<String, ProviderEvent> reported = ConsumerRecords.empty();

    LedgerPoller(Consumer<String, RiskDecision> decisions, Consumer<String, ProviderEvent> providerEvents,
                 LedgerStore store, PostingRule rules, EntryPublisher publisher, RefusalPublisher refusalPublisher,
                 UndecidedSweeper sweeper, UndecidedBackfill backfill, Duration pollTimeout, Clock clock,
                 CrashPoints crashPoints) {
        this.decisions = new Input<>(decisions, Topics.RISK_DECISIONS.name());
        this.providerEvents = new Input<>(providerEvents, Topics.PROVIDER_EVENTS.name());
        this.store = store;
        this.rules = rules;
        this.publisher = publisher;
        this.refusalPublisher = refusalPublisher;
        this.sweeper = sweeper;
        this.backfill = backfill;
        this.clock = clock;
        this.crashPoints = crashPoints;
        this.loop = ConsumerLoop.builder("ledger-poller")
                .pollTimeout(pollTimeout)
                .backoff(RETRY_BACKOFF)
                .beforeFirstPoll(this::subscribe)
                .source(decisions, records -> decided = records, Commit.NONE, Undecodable.WAIT)
                .source(providerEvents, records -> reported = records, Commit.NONE, Undecodable.WAIT)
                .afterRound(this::endRound)
                .build();
    }

    /** Subscribes and polls until {@link #stop()} or a broken invariant, which halts the process. */
    @Override
    public void run() {
        try {
            loop.run();
        } catch (InvariantViolation violation) {
            Invariants.halt(violation);
        } catch (RuntimeException e) {
            // Not a broken ledger (that is an InvariantViolation), but the loop cannot go on; /health reports it.
            LOG.error("Ledger poller stopped by an unexpected failure", e);
        }
    }

    /** Asks {@link #run()} to return; safe from any thread. */
    void stop() {
        loop.stop();
    }

    /** Whether the poll loop is alive; false once stopped or halted. */
    boolean running() {
        return loop.alive();
    }

    /** Events that called for an entry but could not make a valid one, and were skipped. */
    long rejectedEvents() {
        return rejectedEvents.get();
    }

    void subscribe() {
        decisions.subscribe();
        providerEvents.subscribe();
    }

    /** One round: poll both topics, apply, commit, publish. Package-private so tests can step the loop. */
    void pollOnce() {
        loop.pollOnce();
    }

    /** After both polls of a round: apply what they brought as one batch, publish, backfill, sweep. */
    private void endRound() {
        ConsumerRecords<String, RiskDecision> decidedNow = decided;
        ConsumerRecords<String, ProviderEvent> reportedNow = reported;
        decided = ConsumerRecords.empty();
        reported = ConsumerRecords.empty();
        crashPoints.reached("polled");
        if (!decidedNow.isEmpty() || !reportedNow.isEmpty()) {
            applyOrRewind(decidedNow, reportedNow);
        }
        publishPending();
        crashPoints.reached("published");
        backfillUndecided();
        sweepUndecided();
    }

    /** Between rounds, on this thread (the store's one writer): a bounded step of the one-time backfill. */
    private void backfillUndecided() {
        try {
            backfill.pass();
        } catch (LedgerStoreException e) {
            LOG.error("Cannot backfill the undecided index, will retry: {}", e.getMessage());
        }
    }

    /** Between rounds, on this thread (the store's one writer): a bounded pass over stale lifecycles when due. */
    private void sweepUndecided() {
        try {
            sweeper.sweepIfDue();
        } catch (LedgerStoreException e) {
            LOG.error("Cannot sweep undecided lifecycles, will retry: {}", e.getMessage());
        }
    }

    /** Lifecycles dropped by the sweep since start. */
    long droppedLifecycles() {
        return sweeper.dropped();
    }

    private void publishPending() {
        try {
            publisher.publishPending();
            refusalPublisher.publishPending();
        } catch (LedgerStoreException e) {
            LOG.error("Cannot read entries to publish, will retry: {}", e.getMessage());
        }
    }

    private void applyOrRewind(ConsumerRecords<String, RiskDecision> decided,
                               ConsumerRecords<String, ProviderEvent> reported) {
        try {
            apply(decided, reported);
        } catch (LedgerStoreException e) {
            // Nothing of the batch was written, but the consumers moved past it: go back to what the store holds.
            LOG.error("Cannot commit a batch of {} events, retrying from the stored offsets: {}",
                    decided.count() + reported.count(), e.getMessage());
            decisions.seekToStoredOffsets(decisions.consumer.assignment());
            providerEvents.seekToStoredOffsets(providerEvents.consumer.assignment());
            loop.awaitBackoff();
        }
    }

    private void apply(ConsumerRecords<String, RiskDecision> decided, ConsumerRecords<String, ProviderEvent> reported) {
        LedgerBatch batch = store.newBatch();
        Instant now = clock.instant();
        // Decisions first: a status that arrived in the same round then applies at once instead of waiting.
        for (ConsumerRecord<String, RiskDecision> record : decided) {
            String source = sourceEventId(record);
            if (record.value() == null) {
                LOG.warn("Empty decision record at {} skipped", source);
            } else {
                Optional<Traceparent> trace = Traceparent.from(record.headers());
                int posted = batch.entries().size();
                try (TraceContext.LogScope ignored = TraceContext.log(trace.orElse(null),
                        record.value().getTransactionId())) {
                    applySafely(() -> rules.decision(batch, record.value(), source, now), source);
                }
                trace.ifPresent(parent -> batch.traceEntriesFrom(posted, parent.child()));
            }
            batch.advanceOffset(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        }
        for (ConsumerRecord<String, ProviderEvent> record : reported) {
            String source = sourceEventId(record);
            if (record.value() == null) {
                LOG.warn("Empty provider event record at {} skipped", source);
            } else {
                Optional<Traceparent> trace = Traceparent.from(record.headers());
                int posted = batch.entries().size();
                try (TraceContext.LogScope ignored = TraceContext.log(trace.orElse(null),
                        record.value().getTransactionId())) {
                    applySafely(() -> rules.providerEvent(batch, record.value(), source, now), source);
                }
                trace.ifPresent(parent -> batch.traceEntriesFrom(posted, parent.child()));
            }
            batch.advanceOffset(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        }
        crashPoints.reached("applied");
        List<JournalEntry> posted = store.commit(batch);
        crashPoints.reached("committed");
        if (!posted.isEmpty()) {
            LOG.debug("Posted {} entries up to sequence {}", posted.size(), batch.head().sequence());
        }
        decisions.commitForMonitoring(batch.nextOffsets());
        providerEvents.commitForMonitoring(batch.nextOffsets());
    }

    private void applySafely(Runnable application, String source) {
        try {
            application.run();
        } catch (UnpostableDecisionException e) {
            rejectedEvents.incrementAndGet();
            LOG.error("Event at {} cannot be posted and is skipped: {}", source, e.getMessage());
        }
    }

    private static String sourceEventId(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** One consumed topic: its consumer and where it resumes. */
    private final class Input<V> implements ConsumerRebalanceListener {

        private final Consumer<String, V> consumer;
        private final String topic;

        Input(Consumer<String, V> consumer, String topic) {
            this.consumer = consumer;
            this.topic = topic;
        }

        void subscribe() {
            consumer.subscribe(List.of(topic), this);
        }

        void commitForMonitoring(Map<TopicPartition, Long> nextOffsets) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            nextOffsets.forEach((partition, offset) -> {
                if (partition.topic().equals(topic)) {
                    offsets.put(partition, new OffsetAndMetadata(offset));
                }
            });
            if (offsets.isEmpty()) {
                return;
            }
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error != null) {
                    LOG.debug("Informational offset commit failed (the ledger's own offsets are unaffected): {}",
                            error.getMessage());
                }
            });
        }

        void seekToStoredOffsets(Collection<TopicPartition> partitions) {
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

        /** Runs on the poll thread, inside poll(): the consumer may be used here. */
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
