package dev.ngao.ledger;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import org.apache.kafka.clients.producer.MockProducer;
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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Undecided lifecycles stored before the undecided index get their mark, once, a bounded step per pass, resuming
 * after a restart; the sweep then expires them like any other.
 */
class UndecidedBackfillTest {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant BACKFILL = START.plus(Duration.ofDays(30));
    private static final Duration RETENTION = Duration.ofDays(7);
    /** Far past every mark of these tests: asks the index for all its marks. */
    private static final Instant EVERY_MARK = START.plus(Duration.ofDays(3_650));

    @TempDir
    Path directory;

    private LedgerStore store;
    private final PostingRules rules = new PostingRules();
    private final MockProducer<String, AuditRecord> audit =
            new MockProducer<>(true, null, new StringSerializer(), (topic, record) -> new byte[0]);
    private long eventOffset;

    @BeforeEach
    void setUp() {
        store = LedgerStore.open(directory);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void shouldMarkUndecidedLifecyclesStoredWithoutAMarkOverBoundedPassesAndLetTheSweepDropThem() {
        // Given five undecided lifecycles and two decided ones, stored as before the index (no mark)
        for (int index = 0; index < 5; index++) {
            reportBeforeTheIndex(Decisions.status("tx-" + index, "ev-" + index, ProviderStatus.PENDING), START);
        }
        reportBeforeTheIndex(Decisions.status("tx-decided-late", "ev-5", ProviderStatus.SUCCEEDED), START);
        decide("tx-decided-late");
        decide("tx-decided-only");
        UndecidedBackfill backfill = backfill(BACKFILL, 2);

        // When passes of at most two run until the backfill says it is done
        List<Integer> marksAfterEachPass = new ArrayList<>();
        while (backfill.pass()) {
            marksAfterEachPass.add(store.undecidedBefore(EVERY_MARK, 100).size());
        }

        // Then one pass found no old marks, four walked the seven lifecycles two at a time, marking the undecided
        assertThat(marksAfterEachPass).containsExactly(0, 2, 4, 5, 5);
        assertThat(store.undecidedBefore(EVERY_MARK, 100)).extracting(UndecidedSince::transactionId)
                .containsExactlyInAnyOrder("tx-0", "tx-1", "tx-2", "tx-3", "tx-4")
                .doesNotContain("tx-decided-late", "tx-decided-only");
        // No time was known: each is marked at the backfill's time
        assertThat(store.undecidedBefore(EVERY_MARK, 100)).extracting(UndecidedSince::since).containsOnly(BACKFILL);
        assertThat(store.lifecycle("tx-0")).hasValueSatisfying(lifecycle ->
                assertThat(lifecycle.undecidedSince()).isEqualTo(BACKFILL));
        assertThat(store.undecidedBackfill()).hasValueSatisfying(progress -> {
            assertThat(progress.done()).isTrue();
            assertThat(progress.marksWritten()).isEqualTo(5);
        });

        // When the sweep runs within the retention after the backfill, then past it
        UndecidedSweeper sweeper = new UndecidedSweeper(store, audit, Clock.fixed(BACKFILL, ZoneOffset.UTC),
                RETENTION, Duration.ofMinutes(1), 1_000);
        int droppedWithin = sweeper.sweep(BACKFILL.plus(RETENTION).minusSeconds(1));
        int droppedPast = sweeper.sweep(BACKFILL.plus(RETENTION).plusSeconds(1));

        // Then the undecided ones go only past it, the decided ones stay
        assertThat(droppedWithin).isZero();
        assertThat(droppedPast).isEqualTo(5);
        assertThat(store.lifecycle("tx-0")).isEmpty();
        assertThat(store.lifecycle("tx-4")).isEmpty();
        assertThat(store.lifecycle("tx-decided-late")).isPresent();
        assertThat(store.lifecycle("tx-decided-only")).isPresent();
    }

    @Test
    void shouldResumeWhereItStoppedWhenTheStoreIsReopenedMidway() {
        // Given six undecided lifecycles without a mark, and a backfill of two per pass that ran two passes
        for (int index = 0; index < 6; index++) {
            reportBeforeTheIndex(Decisions.status("tx-" + index, "ev-" + index, ProviderStatus.PENDING), START);
        }
        UndecidedBackfill beforeRestart = backfill(BACKFILL, 2);
        beforeRestart.pass();
        beforeRestart.pass();

        // When the ledger restarts an hour later and the backfill runs to its end
        store.close();
        store = LedgerStore.open(directory);
        Instant afterRestart = BACKFILL.plus(Duration.ofHours(1));
        UndecidedBackfill backfill = backfill(afterRestart, 2);
        int passes = passesToTheEnd(backfill);

        // Then it went on after the two lifecycles already marked: four left, two per pass, then the end
        assertThat(passes).isEqualTo(3);
        assertThat(store.undecidedBefore(EVERY_MARK, 100)).extracting(UndecidedSince::transactionId, UndecidedSince::since)
                .containsExactly(
                        tuple("tx-0", BACKFILL),
                        tuple("tx-1", BACKFILL),
                        tuple("tx-2", afterRestart),
                        tuple("tx-3", afterRestart),
                        tuple("tx-4", afterRestart),
                        tuple("tx-5", afterRestart));
    }

    @Test
    void shouldNeverWalkAgainOnceDoneEvenAfterARestart() {
        // Given a backfill that ran to its end
        reportBeforeTheIndex(Decisions.status("tx-0", "ev-0", ProviderStatus.PENDING), START);
        UndecidedBackfill backfill = backfill(BACKFILL, 10);
        passesToTheEnd(backfill);
        // and, behind its back, another lifecycle without a mark (a walk would mark it)
        reportBeforeTheIndex(Decisions.status("tx-1", "ev-1", ProviderStatus.PENDING), START);

        // When it is asked again, and again after a restart
        boolean walkedAgain = backfill.pass();
        store.close();
        store = LedgerStore.open(directory);
        boolean walkedAfterRestart = backfill(BACKFILL, 10).pass();

        // Then it walks no more
        assertThat(walkedAgain).isFalse();
        assertThat(walkedAfterRestart).isFalse();
        assertThat(store.undecidedBefore(EVERY_MARK, 100)).extracting(UndecidedSince::transactionId)
                .containsExactly("tx-0");
    }

    @Test
    void shouldGiveAMarkedLifecycleItsMarksTimeAndWriteNoSecondMark() {
        // Given a lifecycle marked when its status came, stored before lifecycles kept the time of their mark
        reportMarkedWithoutTime(Decisions.status("tx-marked", "ev-1", ProviderStatus.PENDING), START);

        // When the backfill runs to its end
        passesToTheEnd(backfill(BACKFILL, 10));

        // Then the lifecycle knows its mark's time, the index keeps its one mark, and the sweep drops it on time
        assertThat(store.lifecycle("tx-marked")).hasValueSatisfying(lifecycle ->
                assertThat(lifecycle.undecidedSince()).isEqualTo(START));
        assertThat(store.undecidedBefore(EVERY_MARK, 100)).containsExactly(new UndecidedSince(START, "tx-marked"));
        assertThat(store.undecidedBackfill()).hasValueSatisfying(progress -> {
            assertThat(progress.marksAdopted()).isEqualTo(1);
            assertThat(progress.marksWritten()).isZero();
        });
        UndecidedSweeper sweeper = new UndecidedSweeper(store, audit, Clock.fixed(BACKFILL, ZoneOffset.UTC),
                RETENTION, Duration.ofMinutes(1), 1_000);
        assertThat(sweeper.sweep(BACKFILL)).isEqualTo(1);
    }

    @Test
    void shouldMarkALifecycleSinceItsEarliestFeeWhenItHasOne() {
        // Given an undecided lifecycle without a mark whose statuses posted provider fees, the first a day in
        Instant firstFee = START.plus(Duration.ofDays(1));
        reportBeforeTheIndex(Decisions.withFee(Decisions.status("tx-fee", "ev-1", ProviderStatus.PENDING), 50),
                firstFee);
        reportBeforeTheIndex(Decisions.withFee(Decisions.status("tx-fee", "ev-2", ProviderStatus.SUCCEEDED), 70),
                firstFee.plus(Duration.ofDays(1)));

        // When the backfill runs to its end
        passesToTheEnd(backfill(BACKFILL, 10));

        // Then the mark is as old as the first fee, not the backfill
        assertThat(store.entriesOfTransaction("tx-fee")).hasSize(2);
        assertThat(store.undecidedBefore(EVERY_MARK, 100)).containsExactly(new UndecidedSince(firstFee, "tx-fee"));
    }

    @Test
    void shouldLeaveLifecyclesMarkedByTheRulesAsTheyAre() {
        // Given a status applied by today's rules: a mark and its time in the lifecycle
        LedgerBatch batch = store.newBatch();
        rules.providerEvent(batch, Decisions.status("tx-new", "ev-1", ProviderStatus.PENDING), nextSource(), START);
        store.commit(batch);
        Lifecycle before = store.lifecycle("tx-new").orElseThrow();

        // When the backfill runs to its end
        passesToTheEnd(backfill(BACKFILL, 10));

        // Then nothing changed
        assertThat(before.undecidedSince()).isEqualTo(START);
        assertThat(store.lifecycle("tx-new")).hasValue(before);
        assertThat(store.undecidedBefore(EVERY_MARK, 100)).containsExactly(new UndecidedSince(START, "tx-new"));
        assertThat(store.undecidedBackfill()).hasValueSatisfying(progress -> {
            assertThat(progress.marksAdopted()).isZero();
            assertThat(progress.marksWritten()).isZero();
        });
    }

    /** Runs passes until the backfill says it is done; returns how many walked. */
    private static int passesToTheEnd(UndecidedBackfill backfill) {
        int passes = 0;
        while (backfill.pass()) {
            passes++;
        }
        return passes;
    }

    private UndecidedBackfill backfill(Instant now, int maxPerPass) {
        return new UndecidedBackfill(store, Clock.fixed(now, ZoneOffset.UTC), maxPerPass);
    }

    /** Writes what the rules write for {@code event}, as the ledger did before the index: no mark, no time. */
    private void reportBeforeTheIndex(ProviderEvent event, Instant at) {
        LedgerBatch rulesWrite = store.newBatch();
        rules.providerEvent(rulesWrite, event, nextSource(), at);
        LedgerBatch batch = store.newBatch();
        for (JournalEntry entry : rulesWrite.entries()) {
            batch.post(new DraftEntry(entry.getEntryId(), entry.getTransactionId(), entry.getSourceEventId(),
                    entry.getKind(), entry.getPostings()), entry.getPostedAt());
        }
        rulesWrite.lifecycles().values().forEach(lifecycle -> batch.putLifecycle(lifecycle.withUndecidedSince(null)));
        store.commit(batch);
    }

    /** Writes what the rules write for {@code event}, as the ledger did once it had the index: a mark, no time. */
    private void reportMarkedWithoutTime(ProviderEvent event, Instant at) {
        LedgerBatch batch = store.newBatch();
        rules.providerEvent(batch, event, nextSource(), at);
        List.copyOf(batch.lifecycles().values())
                .forEach(lifecycle -> batch.putLifecycle(lifecycle.withUndecidedSince(null)));
        store.commit(batch);
    }

    private void decide(String transactionId) {
        LedgerBatch batch = store.newBatch();
        rules.decision(batch, Decisions.approvedCollection(transactionId, 1_000), "risk.decisions-0@" + eventOffset++,
                START.plusSeconds(60));
        store.commit(batch);
    }

    private String nextSource() {
        return "providers.events-0@" + eventOffset++;
    }
}
