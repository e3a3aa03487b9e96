package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.Posting;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.Side;
import dev.ngao.platform.invariant.Invariants;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The poll loop against Kafka's mock clients: what it writes, where it resumes, when it halts. */
class DecisionPollerTest {

    private static final TopicPartition PARTITION_0 = new TopicPartition(Topics.RISK_DECISIONS.name(), 0);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-15T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path directory;

    private LedgerStore store;
    private MockConsumer<String, RiskDecision> consumer;
    private MockProducer<String, JournalEntry> producer;

    @BeforeEach
    void setUp() {
        store = LedgerStore.open(directory);
        consumer = new MockConsumer<>("earliest");
        producer = new MockProducer<>(true, null, new StringSerializer(), (topic, entry) -> new byte[0]);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void shouldPostEachApprovedDecisionOnceAndStoreOffsetsWhenPolled() {
        // Given
        DecisionPoller poller = poller(new PostingRules());
        assign(poller);
        consumer.addRecord(record(0, Decisions.approvedCollection("tx-1", 1_000)));
        consumer.addRecord(record(1, Decisions.approvedCollection("tx-1", 1_000)));
        consumer.addRecord(record(2, Decisions.decision("tx-2", PaymentType.MOBILE_MONEY_COLLECTION, Outcome.DECLINE,
                900, "KES")));
        consumer.addRecord(record(3, Decisions.approvedPayout("tx-3", 300)));

        // When
        poller.pollOnce();

        // Then
        assertThat(store.entriesAfter(0, 10)).extracting(JournalEntry::getEntryId)
                .containsExactly("je:tx-1:approved", "je:tx-3:approved");
        assertThat(store.entriesOfTransaction("tx-1")).singleElement()
                .satisfies(entry -> assertThat(entry.getSourceEventId()).isEqualTo("risk.decisions-0@0"));
        assertThat(store.nextOffset(PARTITION_0)).hasValue(4);
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("tx-1", "tx-3");
        assertThat(producer.history()).extracting(ProducerRecord::topic).containsOnly(Topics.LEDGER_ENTRIES.name());
        assertThat(store.publishedSequence()).isEqualTo(2);
        assertThat(consumer.committed(java.util.Set.of(PARTITION_0)).get(PARTITION_0).offset())
                .as("informational commit to Kafka").isEqualTo(4);
    }

    @Test
    void shouldResumeFromStoredOffsetWhenPartitionIsAssigned() {
        // Given a ledger that already consumed partition 0 up to offset 5
        LedgerBatch batch = store.newBatch();
        batch.advanceOffset(PARTITION_0, 5);
        store.commit(batch);
        DecisionPoller poller = poller(new PostingRules());

        // When
        assign(poller);

        // Then
        assertThat(consumer.position(PARTITION_0)).isEqualTo(5);
    }

    @Test
    void shouldStartFromBeginningWhenPartitionWasNeverConsumed() {
        // Given
        DecisionPoller poller = poller(new PostingRules());

        // When
        assign(poller);

        // Then
        assertThat(consumer.position(PARTITION_0)).isZero();
    }

    @Test
    void shouldSkipAndCountWhenApprovedDecisionCannotBePosted() {
        // Given
        DecisionPoller poller = poller(new PostingRules());
        assign(poller);
        consumer.addRecord(record(0, Decisions.approvedCollection("tx-1", 0)));
        consumer.addRecord(record(1, Decisions.approvedCollection("tx-2", 100)));

        // When
        poller.pollOnce();

        // Then
        assertThat(poller.rejectedDecisions()).isEqualTo(1);
        assertThat(store.entriesAfter(0, 10)).extracting(JournalEntry::getTransactionId).containsExactly("tx-2");
        assertThat(store.nextOffset(PARTITION_0)).hasValue(2);
    }

    @Test
    void shouldPublishAgainWhenKafkaDidNotAcknowledgeEntries() {
        // Given a broker that refuses the first attempt
        DecisionPoller poller = poller(new PostingRules());
        assign(poller);
        consumer.addRecord(record(0, Decisions.approvedCollection("tx-1", 1_000)));
        producer.sendException = new KafkaException("broker unavailable");
        poller.pollOnce();
        assertThat(store.head().sequence()).isEqualTo(1);
        assertThat(store.publishedSequence()).isZero();

        // When the broker is back and the loop polls again, with no new decision
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
        DecisionPoller poller = poller((decision, source) -> Optional.of(new DraftEntry("je:tx-1:approved", "tx-1",
                source, "broken", List.of(
                        posting("provider:p:clearing:KES", Side.DEBIT, 100),
                        posting("merchant:m-1:pending:KES", Side.CREDIT, 99)))));
        consumer.updateBeginningOffsets(Map.of(PARTITION_0, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION_0));
            consumer.addRecord(record(0, Decisions.approvedCollection("tx-1", 100)));
        });

        try {
            // When
            assertTimeoutPreemptively(Duration.ofSeconds(10), poller::run);

            // Then
            assertThat(halts).hasValue(1);
            assertThat(poller.running()).isFalse();
            assertThat(store.head()).isEqualTo(ChainHead.GENESIS);
            assertThat(store.nextOffset(PARTITION_0)).isEmpty();
            assertThat(producer.history()).isEmpty();
        } finally {
            Invariants.onHalt(previousHalt);
        }
    }

    @Test
    void shouldReturnWhenStoppedFromAnotherThread() throws InterruptedException {
        // Given
        DecisionPoller poller = poller(new PostingRules());
        Thread thread = new Thread(poller::run);
        thread.start();

        // When
        poller.stop();
        thread.join(Duration.ofSeconds(10).toMillis());

        // Then
        assertThat(thread.isAlive()).isFalse();
        assertThat(poller.running()).isFalse();
    }

    private DecisionPoller poller(PostingRule rules) {
        return new DecisionPoller(consumer, store, rules, new EntryPublisher(producer, store), Duration.ofMillis(10),
                CLOCK);
    }

    private void assign(DecisionPoller poller) {
        consumer.updateBeginningOffsets(Map.of(PARTITION_0, 0L));
        poller.subscribe();
        consumer.rebalance(List.of(PARTITION_0));
    }

    private static ConsumerRecord<String, RiskDecision> record(long offset, RiskDecision decision) {
        return new ConsumerRecord<>(PARTITION_0.topic(), PARTITION_0.partition(), offset, decision.getTransactionId(),
                decision);
    }

    private static Posting posting(String account, Side side, long amountMinor) {
        return Posting.newBuilder().setAccount(account).setSide(side)
                .setAmount(Money.newBuilder().setAmountMinor(amountMinor).setCurrency("KES").build()).build();
    }
}
