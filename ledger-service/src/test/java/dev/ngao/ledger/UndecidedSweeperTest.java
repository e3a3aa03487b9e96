package dev.ngao.ledger;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.ProviderStatus;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
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

import static org.assertj.core.api.Assertions.assertThat;

/** Lifecycles whose decision never came expire: past the retention, a bounded pass at a time, audited. */
class UndecidedSweeperTest {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(7);

    @TempDir
    Path directory;

    private LedgerStore store;
    private MockProducer<String, AuditRecord> audit;
    private final PostingRules rules = new PostingRules();
    private long eventOffset;

    @BeforeEach
    void setUp() {
        store = LedgerStore.open(directory);
        audit = new MockProducer<>(true, null, new StringSerializer(), (topic, record) -> new byte[0]);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void shouldDropAnUndecidedLifecyclePastTheRetentionAuditItAndKeepAYoungerOne() {
        // Given statuses without a decision: one came eight days ago, one six days ago
        Instant now = START.plus(Duration.ofDays(8));
        report("tx-stale", "ev-1", ProviderStatus.PENDING, START);
        report("tx-stale", "ev-2", ProviderStatus.SUCCEEDED, START.plus(Duration.ofDays(1)));
        report("tx-young", "ev-3", ProviderStatus.SUCCEEDED, START.plus(Duration.ofDays(2)));
        UndecidedSweeper sweeper = sweeper(1_000);

        // When the sweep runs
        int dropped = sweeper.sweep(now);

        // Then the stale one is gone, audited once with ids and statuses, and counted; the younger one waits on
        assertThat(dropped).isEqualTo(1);
        assertThat(store.lifecycle("tx-stale")).isEmpty();
        assertThat(store.lifecycle("tx-young")).hasValueSatisfying(lifecycle ->
                assertThat(lifecycle.stage()).isEqualTo(Lifecycle.Stage.UNDECIDED));
        assertThat(audit.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.AUDIT_LEDGER.name());
            assertThat(record.key()).isEqualTo("tx-stale");
            assertThat(record.value().getAction()).isEqualTo(UndecidedSweeper.DROPPED_ACTION);
            assertThat(record.value().getSubjectId()).isEqualTo("tx-stale");
            assertThat(record.value().getDetails()).containsEntry("undecidedSince", START.toString())
                    .containsEntry("waitingStatuses", "PENDING,SUCCEEDED");
        });
        assertThat(sweeper.dropped()).isEqualTo(1);
        assertThat(store.undecidedBefore(now, 10)).extracting(UndecidedSince::transactionId)
                .containsExactly("tx-young");

        // When the younger one passes the retention too
        assertThat(sweeper.sweep(now.plus(Duration.ofDays(2)))).isEqualTo(1);

        // Then it goes as well
        assertThat(store.lifecycle("tx-young")).isEmpty();
        assertThat(sweeper.dropped()).isEqualTo(2);
    }

    @Test
    void shouldKeepALifecycleDecidedMeanwhileAndOnlyForgetItsMark() {
        // Given a status that waited, then its decision
        report("tx-decided", "ev-1", ProviderStatus.SUCCEEDED, START);
        LedgerBatch batch = store.newBatch();
        rules.decision(batch, Decisions.approvedCollection("tx-decided", 1_000), "risk.decisions-0@0",
                START.plusSeconds(60));
        store.commit(batch);
        Lifecycle.Stage decided = store.lifecycle("tx-decided").orElseThrow().stage();

        // When the sweep passes its mark
        int dropped = sweeper(1_000).sweep(START.plus(Duration.ofDays(30)));

        // Then nothing is dropped or audited, and the mark is gone
        assertThat(dropped).isZero();
        assertThat(store.lifecycle("tx-decided")).hasValueSatisfying(lifecycle ->
                assertThat(lifecycle.stage()).isEqualTo(decided).isNotEqualTo(Lifecycle.Stage.UNDECIDED));
        assertThat(audit.history()).isEmpty();
        assertThat(store.undecidedBefore(START.plus(Duration.ofDays(30)), 10)).isEmpty();
    }

    @Test
    void shouldLookAtMostAtItsBoundPerPassOldestFirstAndResumeWhereItStopped() {
        // Given five stale lifecycles
        for (int index = 0; index < 5; index++) {
            report("tx-" + index, "ev-" + index, ProviderStatus.PENDING, START.plus(Duration.ofHours(index)));
        }
        UndecidedSweeper sweeper = sweeper(2);
        Instant now = START.plus(Duration.ofDays(10));

        // When passes run, each looking at two marks at most
        List<Integer> perPass = List.of(sweeper.sweep(now), sweeper.sweep(now), sweeper.sweep(now), sweeper.sweep(now));

        // Then two, two, one, none, the oldest first
        assertThat(perPass).containsExactly(2, 2, 1, 0);
        assertThat(audit.history()).extracting(ProducerRecord::key)
                .containsExactly("tx-0", "tx-1", "tx-2", "tx-3", "tx-4");
    }

    @Test
    void shouldDropNothingWhenTheAuditIsNotAcknowledgedAndDropItOnTheNextPass() {
        // Given a stale lifecycle and audit.ledger refusing writes
        report("tx-stale", "ev-1", ProviderStatus.PENDING, START);
        audit.sendException = new KafkaException("broker down");
        UndecidedSweeper sweeper = sweeper(1_000);
        Instant now = START.plus(Duration.ofDays(8));

        // When the sweep runs, then again once the audit topic is back
        int whileDown = sweeper.sweep(now);
        boolean keptWhileDown = store.lifecycle("tx-stale").isPresent();
        audit.sendException = null;
        int afterwards = sweeper.sweep(now);

        // Then the lifecycle is dropped only with its audit record
        assertThat(whileDown).isZero();
        assertThat(keptWhileDown).isTrue();
        assertThat(afterwards).isEqualTo(1);
        assertThat(store.lifecycle("tx-stale")).isEmpty();
        assertThat(audit.history()).hasSize(1);
    }

    @Test
    void shouldRunAPassOnlyOncePerInterval() {
        // Given two stale lifecycles and a sweeper of one per pass whose clock stands still
        report("tx-stale", "ev-1", ProviderStatus.PENDING, START);
        report("tx-later", "ev-2", ProviderStatus.PENDING, START.plus(Duration.ofHours(1)));
        Clock clock = Clock.fixed(START.plus(RETENTION).plus(Duration.ofHours(2)), ZoneOffset.UTC);
        UndecidedSweeper sweeper = new UndecidedSweeper(store, audit, clock, RETENTION, Duration.ofMinutes(1), 1);

        // When asked twice within the interval
        int first = sweeper.sweepIfDue();
        int second = sweeper.sweepIfDue();

        // Then only the first ran
        assertThat(first).isEqualTo(1);
        assertThat(second).isZero();
        assertThat(store.lifecycle("tx-later")).isPresent();
    }

    private UndecidedSweeper sweeper(int maxPerPass) {
        return new UndecidedSweeper(store, audit, Clock.fixed(START, ZoneOffset.UTC), RETENTION,
                Duration.ofMinutes(1), maxPerPass);
    }

    private void report(String transactionId, String eventId, ProviderStatus status, Instant at) {
        LedgerBatch batch = store.newBatch();
        rules.providerEvent(batch, Decisions.status(transactionId, eventId, status),
                "providers.events-0@" + eventOffset++, at);
        store.commit(batch);
    }
}
