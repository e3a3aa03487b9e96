package dev.ngao.ingest.idempotency;

import dev.ngao.events.IdempotencyClaim;
import dev.ngao.events.IdempotencyCompletion;
import dev.ngao.events.IdempotencyRecord;
import dev.ngao.events.IdempotencyRelease;
import dev.ngao.events.RecordedHeader;
import dev.ngao.ingest.state.IngestStateStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fold rule, record by record: the same records give the same winner on every instance. */
class ClaimTableTest {

    private static final String KEY = "merchant:merchant-a|order-42";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(3);
    private static final Duration EXPIRY = Duration.ofHours(48);

    private final IngestStateStores stores = IngestStateStores.temporary();
    private final ClaimTable table = new ClaimTable(stores, 100);

    @AfterEach
    void closeStores() {
        stores.close();
    }

    @Test
    void shouldLetTheFirstClaimInLogOrderWinWhenTwoClaimsRace() {
        // When two instances' claims land one after the other
        table.apply(KEY, claim("a/1", "fp", T0), T0);
        boolean secondChanged = table.apply(KEY, claim("b/1", "fp", T0.plusMillis(1)), T0);

        // Then the first holds the key and the second changed nothing
        assertThat(secondChanged).isFalse();
        assertThat(table.current(KEY)).hasValueSatisfying(state -> assertThat(state.claimId()).isEqualTo("a/1"));
    }

    @Test
    void shouldReachTheSameStateOnEveryInstanceWhenTheSameRecordsAreApplied() {
        // Given one log, applied by two instances whose own clocks differ by hours
        List<IdempotencyRecord> log = List.of(claim("a/1", "fp", T0), claim("b/1", "fp", T0.plusMillis(1)),
                completion("a/1", T0.plusSeconds(1)), claim("c/1", "fp", T0.plusSeconds(2)));
        ClaimTable first = new ClaimTable(stores, 100);
        ClaimTable second = new ClaimTable(stores, 100);
        log.forEach(record -> first.apply(KEY, record, T0));
        log.forEach(record -> second.apply(KEY, record, T0.plus(Duration.ofHours(5))));

        // Then both name the same winner and hold the same answer
        assertThat(first.current(KEY)).isEqualTo(second.current(KEY));
        assertThat(first.current(KEY).orElseThrow()).isInstanceOf(ClaimState.Completed.class);
        assertThat(first.current(KEY).orElseThrow().claimId()).isEqualTo("a/1");
    }

    @Test
    void shouldLetANewClaimWinWhenTheFirstClaimsLeaseRanOutWithoutAnswer() {
        // Given a claim whose claimant died before answering
        table.apply(KEY, claim("a/1", "fp", T0), T0);

        // When a retry claims just before and just after the lease ends
        table.apply(KEY, claim("b/1", "fp", T0.plus(LEASE).minusMillis(1)), T0);
        String beforeExpiry = table.current(KEY).orElseThrow().claimId();
        table.apply(KEY, claim("c/1", "fp", T0.plus(LEASE)), T0);

        // Then only the claim after the lease takes over
        assertThat(beforeExpiry).isEqualTo("a/1");
        assertThat(table.current(KEY).orElseThrow().claimId()).isEqualTo("c/1");
    }

    @Test
    void shouldIgnoreTheLateAnswerOfAnExpiredClaimWhenAnotherClaimTookOver() {
        table.apply(KEY, claim("a/1", "fp", T0), T0);
        table.apply(KEY, claim("b/1", "fp", T0.plus(LEASE)), T0);

        boolean changed = table.apply(KEY, completion("a/1", T0.plus(LEASE).plusSeconds(1)), T0);

        assertThat(changed).isFalse();
        assertThat(table.current(KEY).orElseThrow()).isInstanceOf(ClaimState.Claimed.class);
    }

    @Test
    void shouldIgnoreAnAnswerWrittenAfterItsOwnLeaseRanOut() {
        table.apply(KEY, claim("a/1", "fp", T0), T0);

        boolean changed = table.apply(KEY, completion("a/1", T0.plus(LEASE)), T0);

        assertThat(changed).isFalse();
    }

    @Test
    void shouldReplayTheAnswerUntilItExpiresAndFreeTheKeyAfter() {
        // Given an answered key
        table.apply(KEY, claim("a/1", "fp", T0), T0);
        table.apply(KEY, completion("a/1", T0.plusSeconds(1)), T0);
        Instant expiresAt = T0.plusSeconds(1).plus(EXPIRY);

        // Then it is live until the expiry, not after
        assertThat(table.live(KEY, expiresAt.minusMillis(1))).isPresent();
        assertThat(table.live(KEY, expiresAt)).isEmpty();

        // And a claim at the expiry wins, one just before loses
        table.apply(KEY, claim("b/1", "fp", expiresAt.minusMillis(1)), T0);
        assertThat(table.current(KEY).orElseThrow().claimId()).isEqualTo("a/1");
        table.apply(KEY, claim("c/1", "fp", expiresAt), T0);
        assertThat(table.current(KEY).orElseThrow().claimId()).isEqualTo("c/1");
    }

    @Test
    void shouldFreeTheKeyWhenItsHolderReleasesItButNotWhenALoserDoes() {
        table.apply(KEY, claim("a/1", "fp", T0), T0);

        assertThat(table.apply(KEY, release("b/1"), T0)).isFalse();
        assertThat(table.current(KEY)).isPresent();
        assertThat(table.apply(KEY, release("a/1"), T0)).isTrue();
        assertThat(table.current(KEY)).isEmpty();
    }

    @Test
    void shouldKeepTheAnswerByteForByteWhenCompleted() {
        table.apply(KEY, claim("a/1", "fp", T0), T0);
        table.apply(KEY, completion("a/1", T0), T0);

        ClaimState.Completed completed = (ClaimState.Completed) table.current(KEY).orElseThrow();
        assertThat(completed.answer().status()).isEqualTo(202);
        assertThat(completed.answer().headers()).containsExactly(
                new RecordedAnswer.Header("Location", "/v1/payments/txn_1"),
                new RecordedAnswer.Header("Content-Type", "application/json"));
        assertThat(new String(completed.answer().body(), StandardCharsets.UTF_8)).isEqualTo("{\"transactionId\":\"txn_1\"}");
        assertThat(completed.fingerprint()).isEqualTo("fp");
    }

    @Test
    void shouldSweepOnlyStatesExpiredLongerThanTheGrace() {
        table.apply(KEY, claim("a/1", "fp", T0), T0);
        table.apply("merchant:merchant-a|other", claim("b/1", "fp", T0.plus(Duration.ofHours(1))), T0);

        int removed = table.sweep(T0.plus(LEASE).plus(ClaimTable.SWEEP_GRACE));

        assertThat(removed).isEqualTo(1);
        assertThat(table.current(KEY)).isEmpty();
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToJudgeAbsentKeysWhenALiveStateWasDroppedForLackOfRoom() {
        // Given a table of one entry, full of a live claim
        ClaimTable tiny = new ClaimTable(stores, 1);
        tiny.apply(KEY, claim("a/1", "fp", T0), T0);

        // When another instance's claim on a new key arrives
        boolean kept = tiny.apply("merchant:merchant-a|new", claim("b/1", "fp", T0.plusSeconds(1)), T0.plusSeconds(1));

        // Then it is dropped, and absent keys cannot be judged until the dropped one would have expired
        assertThat(kept).isFalse();
        assertThat(tiny.droppedRecords()).isEqualTo(1);
        assertThat(tiny.saturatedAt(T0.plusSeconds(2))).isTrue();
        assertThat(tiny.saturatedAt(T0.plus(Duration.ofDays(3)))).isFalse();
    }

    @Test
    void shouldMakeRoomByExpiredStatesBeforeDropping() {
        ClaimTable tiny = new ClaimTable(stores, 1);
        tiny.apply(KEY, claim("a/1", "fp", T0), T0);
        Instant muchLater = T0.plus(Duration.ofHours(1));

        boolean kept = tiny.apply("merchant:merchant-a|new", claim("b/1", "fp", muchLater), muchLater);

        assertThat(kept).isTrue();
        assertThat(tiny.saturatedAt(muchLater)).isFalse();
    }

    @Test
    void shouldHoldTheKeyForTheAnswerExpiryWhenTheFirstClaimCarriesItsPayload() {
        // Given an accepting claim first in the log, then a leased claim of another instance
        table.apply(KEY, acceptingClaim("a/1", "fp", T0), "txn_1", T0);
        boolean later = table.apply(KEY, claim("b/1", "fp", T0.plusMillis(1)), T0);

        // Then the accepting claim holds, final: no answer awaited, still held long after any lease
        assertThat(later).isFalse();
        assertThat(table.live(KEY, T0.plus(Duration.ofHours(47)))).hasValue(
                new ClaimState.Accepted("a/1", "fp", T0.plus(EXPIRY), "txn_1"));
        assertThat(table.live(KEY, T0.plus(Duration.ofHours(49)))).isEmpty();
    }

    @Test
    void shouldIgnoreReleasesAndCompletionsOfAnAcceptedClaim() {
        table.apply(KEY, acceptingClaim("a/1", "fp", T0), "txn_1", T0);

        boolean released = table.apply(KEY, release("a/1"), T0);
        boolean completed = table.apply(KEY, completion("a/1", T0.plusSeconds(1)), T0);

        assertThat(released).isFalse();
        assertThat(completed).isFalse();
        assertThat(table.current(KEY).orElseThrow()).isInstanceOf(ClaimState.Accepted.class);
    }

    @Test
    void shouldChangeNothingWhenAnAcceptingClaimComesSecond() {
        table.apply(KEY, acceptingClaim("a/1", "fp", T0), "txn_1", T0);

        boolean second = table.apply(KEY, acceptingClaim("b/1", "other", T0.plusMillis(1)), "txn_1", T0);

        assertThat(second).isFalse();
        assertThat(table.current(KEY).orElseThrow().fingerprint()).isEqualTo("fp");
    }

    static IdempotencyRecord acceptingClaim(String claimId, String fingerprint, Instant claimedAt) {
        return record(claimId, new IdempotencyClaim(fingerprint, claimedAt, claimedAt.plus(EXPIRY)));
    }

    static IdempotencyRecord claim(String claimId, String fingerprint, Instant claimedAt) {
        return record(claimId, new IdempotencyClaim(fingerprint, claimedAt, claimedAt.plus(LEASE)));
    }

    static IdempotencyRecord completion(String claimId, Instant completedAt) {
        return record(claimId, new IdempotencyCompletion(202,
                List.of(new RecordedHeader("Location", "/v1/payments/txn_1"), new RecordedHeader("Content-Type", "application/json")),
                ByteBuffer.wrap("{\"transactionId\":\"txn_1\"}".getBytes(StandardCharsets.UTF_8)),
                completedAt, completedAt.plus(EXPIRY)));
    }

    static IdempotencyRecord release(String claimId) {
        return record(claimId, new IdempotencyRelease(T0, "status-422"));
    }

    private static IdempotencyRecord record(String claimId, Object step) {
        return IdempotencyRecord.newBuilder().setScope("merchant:merchant-a").setKey("order-42").setClaimId(claimId)
                .setInstanceId(claimId.split("/")[0]).setStep(step).build();
    }
}
