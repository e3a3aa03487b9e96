package dev.ngao.ledger;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.Posting;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.Side;
import dev.ngao.events.StatusTransition;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static dev.ngao.ledger.LedgerPollerTest.DECISIONS_0;
import static dev.ngao.ledger.LedgerPollerTest.EVENTS_0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety: the poll loop is stopped at random points between reading and committing (after the
 * poll, after the batch is built, after the commit, after publishing), the store is closed and reopened
 * and a new loop resumes from the stored offsets, as after a killed process. Afterwards the ledger must
 * equal a from-scratch replay of the same topics: same entries, balances, lifecycles and refusals, an
 * intact chain and a trial balance of zero; and every entry must have reached ledger.entries.
 */
class CrashSafetyTest {

    private static final List<String> CRASH_POINTS = List.of("polled", "applied", "committed", "published");
    private static final double CRASH_PROBABILITY = 0.15;
    private static final int TRANSACTIONS = 40;

    @TempDir
    Path directory;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 30);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldEqualAFromScratchReplayWhenStoppedAtRandomPoints(long seed) {
        // Given topics holding a random mix of every flow, out of order, with duplicates
        Workload workload = Workload.random(new Random(seed), TRANSACTIONS);

        // When the ledger consumes them, crashing at random points and restarting
        Random random = new Random(seed * 31 + 7);
        Snapshot crashed;
        Set<String> published = new HashSet<>();
        int crashes = 0;
        Path crashedDirectory = directory.resolve("crashed");
        LedgerStore store = openFunded(crashedDirectory);
        Run run = new Run(store, workload, random, published);
        int rounds = 0;
        while (!run.done()) {
            Assertions.assertFewerRounds(++rounds);
            try {
                run.step();
            } catch (SimulatedCrash crash) {
                crashes++;
                store.close();
                store = LedgerStore.open(crashedDirectory);
                run = new Run(store, workload, random, published);
            }
        }
        crashed = Snapshot.of(store, workload);
        store.close();

        // And a fresh ledger replays the same topics in one go, without crashes
        LedgerStore fresh = openFunded(directory.resolve("replay"));
        Run replay = new Run(fresh, workload, null, new HashSet<>());
        replay.all();
        Snapshot replayed = Snapshot.of(fresh, workload);
        fresh.close();

        // Then
        assertThat(crashed.entries).as("entries after %d crashes", crashes).isEqualTo(replayed.entries);
        assertThat(crashed.balances).isEqualTo(replayed.balances);
        assertThat(crashed.lifecycles).isEqualTo(replayed.lifecycles);
        assertThat(crashed.refusals).isEqualTo(replayed.refusals);
        assertThat(crashed.chain.intact()).as(crashed.chain.toString()).isTrue();
        assertThat(crashed.balanced).isTrue();
        assertThat(crashed.entries).isNotEmpty();
        assertThat(crashes).as("the run was stopped at least once").isPositive();
        assertThat(published).as("every entry reached ledger.entries").isEqualTo(crashed.entries.keySet());
    }

    /** Money on the books before the topics are read, so spending is refused only where the workload means it. */
    private static LedgerStore openFunded(Path path) {
        LedgerStore store = LedgerStore.open(path);
        LedgerBatch batch = store.newBatch();
        batch.post(new DraftEntry("je:opening:merchant", "opening", "test", "opening", List.of(
                posting("provider:mobile-money-hub:clearing:KES", Side.DEBIT, 1_000_000_000L),
                posting("merchant:m-1:available:KES", Side.CREDIT, 1_000_000_000L))), LedgerPollerTest.CLOCK.instant());
        batch.post(new DraftEntry("je:opening:card", "opening", "test", "opening", List.of(
                posting("provider:mobile-money-hub:clearing:KES", Side.DEBIT, 1_000_000_000L),
                posting("card:" + Decisions.CARD + ":available:KES", Side.CREDIT, 1_000_000_000L))),
                LedgerPollerTest.CLOCK.instant());
        store.commit(batch);
        return store;
    }

    private static Posting posting(String account, Side side, long amountMinor) {
        return Posting.newBuilder().setAccount(account).setSide(side)
                .setAmount(Money.newBuilder().setAmountMinor(amountMinor).setCurrency("KES").build()).build();
    }

    /** A stop at a crash point, as a killed process would stop. */
    private static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String point) {
            super("crash at " + point, null, false, false);
        }
    }

    private static final class Assertions {
        static void assertFewerRounds(int rounds) {
            assertThat(rounds).as("the ledger makes progress").isLessThan(10_000);
        }
    }

    /** The two topics' contents. */
    private record Workload(List<RiskDecision> decisions, List<ProviderEvent> events, Set<String> transactionIds) {

        static Workload random(Random random, int transactions) {
            List<RiskDecision> decisions = new ArrayList<>();
            List<ProviderEvent> events = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            PaymentType[] types = {PaymentType.MOBILE_MONEY_COLLECTION, PaymentType.MOBILE_MONEY_PAYOUT,
                    PaymentType.CIP_PAYMENT, PaymentType.CARD_LOAD, PaymentType.CARD_AUTHORIZATION, PaymentType.REFUND};
            ProviderStatus[] statuses = {ProviderStatus.PENDING, ProviderStatus.SUCCEEDED, ProviderStatus.FAILED,
                    ProviderStatus.EXPIRED, ProviderStatus.REVERSED};
            for (int number = 0; number < transactions; number++) {
                String id = "tx-" + number;
                ids.add(id);
                PaymentType type = types[random.nextInt(types.length)];
                long amount = 1 + random.nextInt(50_000);
                int shape = random.nextInt(10);
                if (shape == 0) {
                    decisions.add(Decisions.decision(id, type, Outcome.DECLINE, amount, "KES"));
                } else if (shape == 1) {
                    decisions.add(Decisions.decision(id, type, Outcome.REVIEW, amount, "KES"));
                    Outcome resolved = random.nextBoolean() ? Outcome.APPROVE : Outcome.DECLINE;
                    decisions.add(Decisions.resolution(id, type, resolved, amount));
                } else if (shape == 2 && type == PaymentType.MOBILE_MONEY_PAYOUT) {
                    RiskDecision broke = Decisions.approvedPayout(id, amount);
                    broke.setMerchantId("m-broke");
                    decisions.add(broke);
                } else {
                    decisions.add(Decisions.approved(id, type, amount));
                }
                if (random.nextInt(5) == 0) {
                    decisions.add(decisions.get(decisions.size() - 1));
                }
                int statusCount = random.nextInt(4);
                for (int index = 0; index < statusCount; index++) {
                    ProviderStatus said = statuses[random.nextInt(statuses.length)];
                    ProviderEvent event = Decisions.status(id, id + "-ev-" + index, said);
                    if (random.nextInt(6) == 0) {
                        event.setTransition(StatusTransition.STALE);
                    }
                    if (random.nextInt(4) == 0) {
                        Decisions.withFee(event, 1 + random.nextInt(100));
                    }
                    if (type == PaymentType.CIP_PAYMENT && random.nextInt(3) == 0) {
                        event = Decisions.settlementReport(id, id + "-settled-" + index,
                                StatusTransition.DUPLICATE_STATUS);
                    }
                    events.add(event);
                    if (random.nextInt(5) == 0) {
                        events.add(event);
                    }
                }
            }
            shuffleAcrossTransactions(random, decisions);
            shuffleAcrossTransactions(random, events);
            return new Workload(decisions, events, ids);
        }

        /**
         * Mixes the transactions while keeping each one's own records in order, as Kafka does for one key
         * on one partition.
         */
        private static <T> void shuffleAcrossTransactions(Random random, List<T> records) {
            for (int pass = 0; pass < records.size(); pass++) {
                int index = random.nextInt(Math.max(1, records.size() - 1));
                if (records.size() > 1
                        && !transactionOf(records.get(index)).equals(transactionOf(records.get(index + 1)))) {
                    T first = records.get(index);
                    records.set(index, records.get(index + 1));
                    records.set(index + 1, first);
                }
            }
        }

        private static String transactionOf(Object record) {
            return record instanceof RiskDecision decision ? decision.getTransactionId()
                    : ((ProviderEvent) record).getTransactionId();
        }
    }

    /** One life of the ledger process: fresh mock clients, resuming from the stored offsets. */
    private static final class Run {

        private final LedgerStore store;
        private final Workload workload;
        private final Random random;
        private final Set<String> published;
        private final MockConsumer<String, RiskDecision> decisions = new MockConsumer<>("earliest");
        private final MockConsumer<String, ProviderEvent> events = new MockConsumer<>("earliest");
        private final MockProducer<String, JournalEntry> producer =
                new MockProducer<>(true, null, new StringSerializer(), (topic, entry) -> new byte[0]);
        private final LedgerPoller poller;
        private long decisionsDelivered;
        private long eventsDelivered;

        Run(LedgerStore store, Workload workload, Random random, Set<String> published) {
            this.store = store;
            this.workload = workload;
            this.random = random;
            this.published = published;
            CrashPoints crashPoints = random == null ? CrashPoints.NONE : point -> {
                if (CRASH_POINTS.contains(point) && random.nextDouble() < CRASH_PROBABILITY) {
                    collectPublished();
                    throw new SimulatedCrash(point);
                }
            };
            poller = new LedgerPoller(decisions, events, store, new PostingRules(), new EntryPublisher(producer, store),
                    new RefusalPublisher(discarding(), discarding(), store),
                    new UndecidedSweeper(store, discarding(), LedgerPollerTest.CLOCK, Duration.ofDays(7),
                            Duration.ofMinutes(1), 1_000), new UndecidedBackfill(store, LedgerPollerTest.CLOCK, 1_000),
                    Duration.ofMillis(1), LedgerPollerTest.CLOCK, crashPoints);
            decisions.updateBeginningOffsets(Map.of(DECISIONS_0, 0L));
            events.updateBeginningOffsets(Map.of(EVENTS_0, 0L));
            poller.subscribe();
            decisions.rebalance(List.of(DECISIONS_0));
            events.rebalance(List.of(EVENTS_0));
            decisionsDelivered = decisions.position(DECISIONS_0);
            eventsDelivered = events.position(EVENTS_0);
        }

        boolean done() {
            return store.nextOffset(DECISIONS_0).orElse(0) == workload.decisions().size()
                    && store.nextOffset(EVENTS_0).orElse(0) == workload.events().size()
                    && store.publishedSequence() == store.head().sequence();
        }

        /** Delivers a few more records of each topic, then one round of the loop. */
        void step() {
            decisionsDelivered = deliver(decisions, DECISIONS_0, workload.decisions(), decisionsDelivered,
                    random.nextInt(6));
            eventsDelivered = deliver(events, EVENTS_0, workload.events(), eventsDelivered, random.nextInt(6));
            poller.pollOnce();
            collectPublished();
        }

        void all() {
            deliver(decisions, DECISIONS_0, workload.decisions(), 0, workload.decisions().size());
            deliver(events, EVENTS_0, workload.events(), 0, workload.events().size());
            poller.pollOnce();
        }

        private void collectPublished() {
            producer.history().stream().map(ProducerRecord::value).map(JournalEntry::getEntryId)
                    .forEach(published::add);
        }

        private static <V> long deliver(MockConsumer<String, V> consumer, TopicPartition partition, List<V> log,
                                        long from, int count) {
            long until = Math.min(log.size(), from + count);
            for (long offset = from; offset < until; offset++) {
                V value = log.get((int) offset);
                String key = value instanceof RiskDecision decision ? decision.getTransactionId()
                        : ((ProviderEvent) value).getTransactionId();
                consumer.addRecord(new org.apache.kafka.clients.consumer.ConsumerRecord<>(partition.topic(),
                        partition.partition(), offset, key, value));
            }
            return until;
        }
    }

    /** What the ledger holds, independent of the order entries were numbered in. */
    private record Snapshot(Map<String, String> entries, Map<String, AccountBalance> balances,
                            Map<String, Lifecycle> lifecycles, Set<String> refusals, ChainVerification chain,
                            boolean balanced) {

        static Snapshot of(LedgerStore store, Workload workload) {
            Map<String, String> entries = new TreeMap<>();
            for (JournalEntry entry : store.entriesAfter(0, Integer.MAX_VALUE)) {
                // Content without the numbering (sequence, hashes): batches may number entries differently.
                entries.put(entry.getEntryId(), entry.getTransactionId() + "|" + entry.getSourceEventId() + "|"
                        + entry.getKind() + "|" + entry.getPostedAt() + "|" + entry.getPostings());
            }
            Map<String, AccountBalance> balances = store.balances(Integer.MAX_VALUE).stream()
                    .collect(Collectors.toMap(AccountBalance::account, balance -> balance, (a, b) -> a, TreeMap::new));
            Map<String, Lifecycle> lifecycles = new TreeMap<>();
            for (String id : workload.transactionIds()) {
                store.lifecycle(id).ifPresent(lifecycle -> lifecycles.put(id, lifecycle));
            }
            Set<String> refusals = store.refusalsAfter(0, Integer.MAX_VALUE).stream()
                    .map(refusal -> refusal.value().getAuditId() + "|" + refusal.value().getDetails())
                    .collect(Collectors.toSet());
            boolean balanced = store.trialBalance().stream().allMatch(CurrencyTotals::balanced);
            return new Snapshot(entries, balances, lifecycles, refusals, store.verifyChain(), balanced);
        }
    }

    private static MockProducer<String, AuditRecord> discarding() {
        return new MockProducer<>(true, null, new StringSerializer(), (topic, record) -> new byte[0]);
    }
}
