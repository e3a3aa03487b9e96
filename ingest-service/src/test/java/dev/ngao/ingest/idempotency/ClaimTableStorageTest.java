package dev.ngao.ingest.idempotency;

import dev.ngao.events.IdempotencyRecord;
import dev.ngao.ingest.state.IngestStateStores;
import dev.ngao.ingest.state.StoreFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ngao.ingest.idempotency.ClaimTableTest.acceptingClaim;
import static dev.ngao.ingest.idempotency.ClaimTableTest.claim;
import static dev.ngao.ingest.idempotency.ClaimTableTest.completion;
import static org.assertj.core.api.Assertions.assertThat;

/** Where the claim table keeps its states (RocksDB, not the heap), how it sweeps them, and its life across starts. */
class ClaimTableStorageTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(3);
    /** The bound of the in-heap table this one replaces: it was full after 83 minutes at 200 keys a second. */
    private static final int OLD_DEFAULT_MAX_ENTRIES = 1_000_000;

    private final IngestStateStores stores = IngestStateStores.temporary();

    @AfterEach
    void closeStores() {
        stores.close();
    }

    @Test
    void shouldHoldMoreKeysThanTheOldInHeapBoundInRocksDbWithoutSaturatingWhenTheyAreLive() {
        // Given a table bounded above the old default, as the new default is
        ClaimTable table = new ClaimTable(stores, 2L * OLD_DEFAULT_MAX_ENTRIES);
        int keys = OLD_DEFAULT_MAX_ENTRIES + 1_000;

        // When more accepted payments than the old bound arrive, one per millisecond, all live for 48 hours
        for (int index = 0; index < keys; index++) {
            Instant at = T0.plusMillis(index);
            table.apply("merchant:m|key-" + index, acceptingClaim("a/" + index, "fp", at), "txn_" + index, at);
        }

        // Then none was dropped and new keys can still be judged
        Instant end = T0.plusMillis(keys);
        assertThat(table.droppedRecords()).isZero();
        assertThat(table.saturatedAt(end)).isFalse();
        assertThat(table.size()).isEqualTo(keys);
        assertThat(table.live("merchant:m|key-0", end)).hasValueSatisfying(
                state -> assertThat(((ClaimState.Accepted) state).subjectId()).isEqualTo("txn_0"));

        // And the states are in the table's RocksDB files: another reader of its directory finds every one
        table.close();
        Map<String, byte[]> onDisk = StoreFiles.entries(StoreFiles.onlyStoreDirectory(stores.root()),
                List.of(ClaimTable.STATES, ClaimTable.EXPIRY), ClaimTable.STATES);
        assertThat(onDisk).hasSize(keys).containsKey("merchant:m|key-" + (keys - 1));
    }

    @Test
    void shouldRemoveOnlyTheStatesPastTheirExpiryAndGraceWhenSwept() {
        ClaimTable table = new ClaimTable(stores, 100);
        table.apply("merchant:m|leased", claim("a/1", "fp", T0), T0);
        table.apply("merchant:m|accepted", acceptingClaim("b/1", "fp", T0), "txn_1", T0);

        int justBefore = table.sweep(T0.plus(LEASE).plus(ClaimTable.SWEEP_GRACE).minusMillis(1));
        int atGrace = table.sweep(T0.plus(LEASE).plus(ClaimTable.SWEEP_GRACE));

        assertThat(justBefore).isZero();
        assertThat(atGrace).isEqualTo(1);
        assertThat(table.current("merchant:m|leased")).isEmpty();
        assertThat(table.current("merchant:m|accepted")).isPresent();
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void shouldKeepAKeyClaimedAgainWhenItsEarlierStatesTurnToBeSwept() {
        // Given a key whose lease ran out, claimed again an hour later, then answered
        ClaimTable table = new ClaimTable(stores, 100);
        Instant later = T0.plus(Duration.ofHours(1));
        table.apply("merchant:m|key", claim("a/1", "fp", T0), T0);
        table.apply("merchant:m|key", claim("b/1", "fp", later), later);
        table.apply("merchant:m|key", completion("b/1", later.plusSeconds(1)), later);

        // When the sweep reaches the places of the first claim and of the second
        int removed = table.sweep(later.plus(LEASE).plus(ClaimTable.SWEEP_GRACE));

        // Then the answer holds: only the stale places were removed
        assertThat(removed).isZero();
        assertThat(table.current("merchant:m|key")).hasValueSatisfying(
                state -> assertThat(state).isInstanceOf(ClaimState.Completed.class));
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void shouldSweepOnTheFollowersThreadWhenARecordIsAppliedAfterStatesExpired() {
        ClaimTable table = new ClaimTable(stores, 100);
        table.apply("merchant:m|old", claim("a/1", "fp", T0), T0);
        Instant muchLater = T0.plus(Duration.ofHours(2));

        table.apply("merchant:m|new", claim("b/1", "fp", muchLater), muchLater);

        assertThat(table.current("merchant:m|old")).isEmpty();
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void shouldSweepEveryDueStateWhenMoreAreDueThanOneStepRemoves() {
        ClaimTable table = new ClaimTable(stores, 100_000);
        int keys = ClaimTable.SWEEP_STEP_KEYS + 5;
        for (int index = 0; index < keys; index++) {
            table.apply("merchant:m|key-" + index, claim("a/" + index, "fp", T0), T0);
        }

        int removed = table.sweep(T0.plus(Duration.ofHours(1)));

        assertThat(removed).isEqualTo(keys);
        assertThat(table.size()).isZero();
    }

    @Test
    void shouldKeepAClaimReadAtStartUntilTheCompletionAfterItWhenItsLeaseEndedLongAgo() {
        // Given the log read again at start, 30 hours after a claim whose lease ended long ago
        ClaimTable table = new ClaimTable(stores, 100);
        Instant restart = T0.plus(Duration.ofHours(30));
        table.apply("merchant:m|key", claim("a/1", "fp", T0), restart);

        // When its completion, written within the lease, is applied a minute later, after a sweep
        table.sweep(restart.plus(Duration.ofMinutes(1)));
        boolean completed = table.apply("merchant:m|key", completion("a/1", T0.plusSeconds(1)),
                restart.plus(Duration.ofMinutes(1)));

        // Then the answer is replayed until its own expiry, as on an instance that was running all along
        assertThat(completed).isTrue();
        assertThat(table.live("merchant:m|key", restart.plus(Duration.ofMinutes(2)))).hasValueSatisfying(
                state -> assertThat(state).isInstanceOf(ClaimState.Completed.class));
    }

    @Test
    void shouldStartEmptyAndFoldTheLogAgainWhenReopenedOnTheSameDirectory(@TempDir Path directory) {
        // Given a table in a configured directory, closed with a state in it
        List<IdempotencyRecord> log = List.of(claim("a/1", "fp", T0), completion("a/1", T0.plusSeconds(1)));
        try (IngestStateStores first = IngestStateStores.open(Optional.of(directory), 8L * 1024 * 1024)) {
            ClaimTable table = new ClaimTable(first, 100);
            log.forEach(record -> table.apply("merchant:m|key", record, T0));
        }

        // When the next start opens the same directory
        try (IngestStateStores second = IngestStateStores.open(Optional.of(directory), 8L * 1024 * 1024)) {
            ClaimTable reopened = new ClaimTable(second, 100);

            // Then it starts empty, and folding the log again gives the same state
            assertThat(reopened.size()).isZero();
            assertThat(reopened.current("merchant:m|key")).isEmpty();
            log.forEach(record -> reopened.apply("merchant:m|key", record, T0));
            assertThat(reopened.current("merchant:m|key")).hasValueSatisfying(
                    state -> assertThat(state).isInstanceOf(ClaimState.Completed.class));
            assertThat(StoreFiles.onlyStoreDirectory(second.root()).getFileName()).hasToString("idempotency-1");
        }
    }
}
