package dev.ngao.ledger;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.Posting;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.Side;
import dev.ngao.platform.invariant.Invariants;
import dev.ngao.platform.observability.Traceparent;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The poll loop against Kafka's mock clients: what it writes, where it resumes, when it halts. */
class LedgerPollerTest {

    static final TopicPartition DECISIONS_0 = new TopicPartition(Topics.RISK_DECISIONS.name(), 0);
    static final TopicPartition EVENTS_0 = new TopicPartition(Topics.PROVIDER_EVENTS.name(), 0);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-15T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path directory;

    private LedgerStore store;
    private MockConsumer<String, RiskDecision> decisions;
    private MockConsumer<String, ProviderEvent> events;
    private MockProducer<String, JournalEntry> producer;
    private MockProducer<String, AuditRecord> auditProducer;
    private MockProducer<String, AuditRecord> refusalProducer;

    @BeforeEach
    void setUp() {
        store = LedgerStore.open(directory);
        decisions = new MockConsumer<>("earliest");
        events = new MockConsumer<>("earliest");
        producer = new MockProducer<>(true, null, new StringSerializer(), (topic, entry) -> new byte[0]);
        auditProducer = new MockProducer<>(true, null, new StringSerializer(), (topic, record) -> new byte[0]);
        refusalProducer = new MockProducer<>(true, null, new StringSerializer(), (topic, record) -> new byte[0]);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void shouldPostEachEventOnceAndStoreOffsetsOfBothTopicsWhenPolled() {
        // Given
        LedgerPoller poller = poller(new PostingRules());
        assign(poller);
        decisions.addRecord(decision(0, Decisions.approvedCollection("tx-1", 1_000)));
        decisions.addRecord(decision(1, Decisions.approvedCollection("tx-1", 1_000)));
        decisions.addRecord(decision(2, Decisions.decision("tx-2", PaymentType.MOBILE_MONEY_COLLECTION, Outcome.DECLINE,
                900, "KES")));
        events.addRecord(event(0, Decisions.status("tx-1", "ev-1", ProviderStatus.SUCCEEDED)));
        events.addRecord(event(1, Decisions.status("tx-3", "ev-3", ProviderStatus.SUCCEEDED)));

        // When
        poller.pollOnce();

        // Then
        assertThat(store.entriesAfter(0, 10)).extracting(JournalEntry::getEntryId)
                .containsExactly("je:tx-1:approved", "je:tx-1:succeeded");
        assertThat(store.entriesOfTransaction("tx-1")).extracting(JournalEntry::getSourceEventId)
                .containsExactly("risk.decisions-0@0", "providers.events-0@0");
        assertThat(store.lifecycle("tx-3")).map(Lifecycle::stage).contains(Lifecycle.Stage.UNDECIDED);
        assertThat(store.nextOffset(DECISIONS_0)).hasValue(3);
        assertThat(store.nextOffset(EVENTS_0)).hasValue(2);
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("tx-1", "tx-1");
        assertThat(producer.history()).extracting(ProducerRecord::topic).containsOnly(Topics.LEDGER_ENTRIES.name());
        assertThat(store.publishedSequence()).isEqualTo(2);
        assertThat(decisions.committed(Set.of(DECISIONS_0)).get(DECISIONS_0).offset())
                .as("informational commit to Kafka").isEqualTo(3);
        assertThat(events.committed(Set.of(EVENTS_0)).get(EVENTS_0).offset()).isEqualTo(2);
    }

    @Test
    void shouldPublishRefusalToAuditAndRefusalTopicsWhenPayoutLacksFunds() {
        // Given
        LedgerPoller poller = poller(new PostingRules());
        assign(poller);
        decisions.addRecord(decision(0, Decisions.approvedPayout("tx-1", 500)));

        // When
        poller.pollOnce();

        // Then
        assertThat(store.head().sequence()).isZero();
        assertThat(auditProducer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.AUDIT_LEDGER.name());
            assertThat(record.key()).isEqualTo("tx-1");
            assertThat(record.value().getAction()).isEqualTo(LedgerBatch.REFUSED_ACTION);
        });
        // And keyed by transaction id on ledger.refusals, which makes it the payment's final decline
        assertThat(refusalProducer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.LEDGER_REFUSALS.name());
            assertThat(record.key()).isEqualTo("tx-1");
            assertThat(record.value().getDetails()).containsEntry("reason", "insufficient-funds");
        });
        assertThat(store.publishedRefusal()).isEqualTo(1);
        assertThat(store.nextOffset(DECISIONS_0)).hasValue(1);
    }

    @Test
    void shouldResumeFromStoredOffsetsWhenPartitionsAreAssigned() {
        // Given a ledger that already consumed decisions up to 5 and provider events up to 7
        LedgerBatch batch = store.newBatch();
        batch.advanceOffset(DECISIONS_0, 5);
        batch.advanceOffset(EVENTS_0, 7);
        store.commit(batch);
        LedgerPoller poller = poller(new PostingRules());

        // When
        assign(poller);

        // Then
        assertThat(decisions.position(DECISIONS_0)).isEqualTo(5);
        assertThat(events.position(EVENTS_0)).isEqualTo(7);
    }

    @Test
    void shouldStartFromBeginningWhenPartitionWasNeverConsumed() {
        // Given
        LedgerPoller poller = poller(new PostingRules());

        // When
        assign(poller);

        // Then
        assertThat(decisions.position(DECISIONS_0)).isZero();
        assertThat(events.position(EVENTS_0)).isZero();
    }

    @Test
    void shouldGiveAnUndecidedLifecycleStoredWithoutAMarkItsMarkBetweenRoundsWhenNothingIsPolled() {
        // Given an undecided lifecycle stored as before the undecided index (no mark, no time)
        LedgerBatch batch = store.newBatch();
        batch.putLifecycle(Lifecycle.undecided("tx-1").withWaiting(new Lifecycle.WaitingStatus("ev-1",
                ProviderStatus.PENDING, ProviderEventSource.WEBHOOK, "providers.events-0@0")));
        store.commit(batch);
        LedgerPoller poller = poller(new PostingRules());
        assign(poller);

        // When two rounds run without records (the first finds no old marks, the second walks the lifecycles)
        poller.pollOnce();
        poller.pollOnce();

        // Then the lifecycle has its mark, at the round's time
        assertThat(store.undecidedBefore(CLOCK.instant().plusSeconds(1), 10))
                .containsExactly(new UndecidedSince(CLOCK.instant(), "tx-1"));
        assertThat(store.undecidedBackfill()).hasValueSatisfying(progress ->
                assertThat(progress.done()).isTrue());
    }

    @Test
    void shouldSkipAndCountWhenApprovedDecisionCannotBePosted() {
        // Given
        LedgerPoller poller = poller(new PostingRules());
        assign(poller);
        decisions.addRecord(decision(0, Decisions.approvedCollection("tx-1", 0)));
        decisions.addRecord(decision(1, Decisions.approvedCollection("tx-2", 100)));

        // When
        poller.pollOnce();

        // Then
        assertThat(poller.rejectedEvents()).isEqualTo(1);
        assertThat(store.entriesAfter(0, 10)).extracting(JournalEntry::getTransactionId).containsExactly("tx-2");
        assertThat(store.nextOffset(DECISIONS_0)).hasValue(2);
    }

    @Test
    void shouldPublishEachEntryInTheTraceOfTheEventThatCausedItAlsoWhenPublishedAgainAfterARestart() {
        // Given an approval and the provider's confirmation, each carrying the trace of its HTTP call, and an
        // approval without one
        Traceparent approvalTrace = Traceparent.newTrace();
        Traceparent webhookTrace = Traceparent.newTrace();
        LedgerPoller poller = poller(new PostingRules());
        assign(poller);
        ConsumerRecord<String, RiskDecision> approved = decision(0, Decisions.approvedCollection("tx-1", 1_000));
        approvalTrace.writeTo(approved.headers());
        decisions.addRecord(approved);
        decisions.addRecord(decision(1, Decisions.approvedCollection("tx-2", 2_000)));
        ConsumerRecord<String, ProviderEvent> confirmed = event(0, Decisions.status("tx-1", "ev-1",
                ProviderStatus.SUCCEEDED));
        webhookTrace.writeTo(confirmed.headers());
        events.addRecord(confirmed);
        // and a broker that refuses the first attempt to publish
        producer.sendException = new KafkaException("broker unavailable");
        poller.pollOnce();

        // When the ledger restarts and publishes what Kafka did not acknowledge
        store.close();
        store = LedgerStore.open(directory);
        producer.sendException = null;
        new EntryPublisher(producer, store).publishPending();

        // Then each entry carries its cause's trace id, as a span of its own, and the untraced one none
        Map<String, Optional<Traceparent>> traces = new HashMap<>();
        producer.history().forEach(record -> traces.put(record.value().getEntryId(),
                Traceparent.from(record.headers())));
        assertThat(traces.get("je:tx-1:approved")).hasValueSatisfying(trace -> {
            assertThat(trace.traceId()).isEqualTo(approvalTrace.traceId());
            assertThat(trace.parentId()).isNotEqualTo(approvalTrace.parentId());
        });
        assertThat(traces.get("je:tx-1:succeeded")).hasValueSatisfying(trace ->
                assertThat(trace.traceId()).isEqualTo(webhookTrace.traceId()));
        assertThat(traces.get("je:tx-2:approved")).isEmpty();
    }

    @Test
    void shouldPublishAgainWhenKafkaDidNotAcknowledgeEntries() {
        // Given a broker that refuses the first attempt
        LedgerPoller poller = poller(new PostingRules());
        assign(poller);
        decisions.addRecord(decision(0, Decisions.approvedCollection("tx-1", 1_000)));
        producer.sendException = new KafkaException("broker unavailable");
        poller.pollOnce();
        assertThat(store.head().sequence()).isEqualTo(1);
        assertThat(store.publishedSequence()).isZero();

        // When the broker is back and the loop polls again, with no new event
        producer.sendException = null;
        poller.pollOnce();

        // Then
        assertThat(producer.history()).extracting(record -> record.value().getEntryId())
                .containsExactly("je:tx-1:approved");
        assertThat(store.publishedSequence()).isEqualTo(1);
    }

    @Test
    void shouldHaltAndWriteNothingWhenRuleMakesUnbalancedEntry() {
        // Given a rule with a bug: its credit is one minor unit short
        AtomicInteger halts = new AtomicInteger();
        Runnable previousHalt = Invariants.onHalt(halts::incrementAndGet);
        LedgerPoller poller = poller(new PostingRule() {
            @Override
            public void decision(LedgerBatch batch, RiskDecision decision, String source, Instant at) {
                batch.post(new DraftEntry("je:tx-1:approved", "tx-1", source, "broken", List.of(
                        posting("provider:p:clearing:KES", Side.DEBIT, 100),
                        posting("merchant:m-1:pending:KES", Side.CREDIT, 99))), at);
            }

            @Override
            public void providerEvent(LedgerBatch batch, ProviderEvent event, String source, Instant at) {
            }
        });
        decisions.updateBeginningOffsets(Map.of(DECISIONS_0, 0L));
        events.updateBeginningOffsets(Map.of(EVENTS_0, 0L));
        decisions.schedulePollTask(() -> {
            decisions.rebalance(List.of(DECISIONS_0));
            decisions.addRecord(decision(0, Decisions.approvedCollection("tx-1", 100)));
        });

        try {
            // When
            assertTimeoutPreemptively(Duration.ofSeconds(10), poller::run);

            // Then
            assertThat(halts).hasValue(1);
            assertThat(poller.running()).isFalse();
            assertThat(store.head()).isEqualTo(ChainHead.GENESIS);
            assertThat(store.nextOffset(DECISIONS_0)).isEmpty();
            assertThat(producer.history()).isEmpty();
        } finally {
            Invariants.onHalt(previousHalt);
        }
    }

    @Test
    void shouldReturnWhenStoppedFromAnotherThread() throws InterruptedException {
        // Given
        LedgerPoller poller = poller(new PostingRules());
        Thread thread = new Thread(poller::run);
        thread.start();

        // When
        poller.stop();
        thread.join(Duration.ofSeconds(10).toMillis());

        // Then
        assertThat(thread.isAlive()).isFalse();
        assertThat(poller.running()).isFalse();
    }

    @Test
    void shouldWaitOnAnUndecodableDecisionInsteadOfSkippingIt() {
        // Given a decision that cannot be decoded (the schema registry away), then one that can
        LedgerPoller poller = poller(new PostingRules());
        assign(poller);
        decisions.setPollException(new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE, DECISIONS_0, 0, 0L,
                TimestampType.CREATE_TIME, ByteBuffer.allocate(0), ByteBuffer.allocate(0), null, "cannot decode", null));
        poller.pollOnce();
        assertThat(decisions.position(DECISIONS_0)).as("still on the undecodable record").isZero();
        assertThat(store.nextOffset(DECISIONS_0)).isEmpty();

        // When the cause is fixed and the record decodes
        decisions.addRecord(decision(0, Decisions.approvedCollection("tx-1", 1_000)));
        poller.pollOnce();

        // Then it is posted, not passed over
        assertThat(store.entriesOfTransaction("tx-1")).extracting(JournalEntry::getSourceEventId)
                .containsExactly("risk.decisions-0@0");
        assertThat(store.nextOffset(DECISIONS_0)).hasValue(1);
    }

    @Test
    void shouldGoBackToTheStoredOffsetsAndPostLaterWhenABatchCannotBeWritten() {
        // Given a store that fails the first write of a round holding a decision and a provider event
        AtomicInteger failures = new AtomicInteger();
        PostingRules working = new PostingRules();
        LedgerPoller poller = poller(new PostingRule() {
            @Override
            public void decision(LedgerBatch batch, RiskDecision decision, String source, Instant at) {
                if (failures.getAndIncrement() == 0) {
                    throw new LedgerStoreException("disk full");
                }
                working.decision(batch, decision, source, at);
            }

            @Override
            public void providerEvent(LedgerBatch batch, ProviderEvent event, String source, Instant at) {
                working.providerEvent(batch, event, source, at);
            }
        });
        assign(poller);
        decisions.addRecord(decision(0, Decisions.approvedCollection("tx-1", 1_000)));
        events.addRecord(event(0, Decisions.status("tx-1", "ev-1", ProviderStatus.SUCCEEDED)));

        // When
        poller.pollOnce();

        // Then nothing of the round was written, and both topics are read again from the stored offsets
        assertThat(store.head()).isEqualTo(ChainHead.GENESIS);
        assertThat(decisions.position(DECISIONS_0)).isZero();
        assertThat(events.position(EVENTS_0)).isZero();

        // And the next round posts both, once
        decisions.addRecord(decision(0, Decisions.approvedCollection("tx-1", 1_000)));
        events.addRecord(event(0, Decisions.status("tx-1", "ev-1", ProviderStatus.SUCCEEDED)));
        poller.pollOnce();
        assertThat(store.entriesAfter(0, 10)).extracting(JournalEntry::getEntryId)
                .containsExactly("je:tx-1:approved", "je:tx-1:succeeded");
        assertThat(store.nextOffset(DECISIONS_0)).hasValue(1);
        assertThat(store.nextOffset(EVENTS_0)).hasValue(1);
    }

    private LedgerPoller poller(PostingRule rules) {
        return new LedgerPoller(decisions, events, store, rules, new EntryPublisher(producer, store),
                new RefusalPublisher(auditProducer, refusalProducer, store),
                new UndecidedSweeper(store, auditProducer, CLOCK, Duration.ofDays(7), Duration.ofMinutes(1), 1_000),
                new UndecidedBackfill(store, CLOCK, 1_000), Duration.ofMillis(10), CLOCK, CrashPoints.NONE);
    }

    private void assign(LedgerPoller poller) {
        decisions.updateBeginningOffsets(Map.of(DECISIONS_0, 0L));
        events.updateBeginningOffsets(Map.of(EVENTS_0, 0L));
        poller.subscribe();
        decisions.rebalance(List.of(DECISIONS_0));
        events.rebalance(List.of(EVENTS_0));
    }

    static ConsumerRecord<String, RiskDecision> decision(long offset, RiskDecision decision) {
        return new ConsumerRecord<>(DECISIONS_0.topic(), DECISIONS_0.partition(), offset, decision.getTransactionId(),
                decision);
    }

    static ConsumerRecord<String, ProviderEvent> event(long offset, ProviderEvent event) {
        return new ConsumerRecord<>(EVENTS_0.topic(), EVENTS_0.partition(), offset, event.getTransactionId(), event);
    }

    private static Posting posting(String account, Side side, long amountMinor) {
        return Posting.newBuilder().setAccount(account).setSide(side)
                .setAmount(Money.newBuilder().setAmountMinor(amountMinor).setCurrency("KES").build()).build();
    }
}
