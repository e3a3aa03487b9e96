package dev.ngao.ingest.idempotency;

import dev.ngao.ingest.state.SharedTestStateStores;
import dev.ngao.platform.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Claims through the store, with instances sharing one in-memory log and a clock the test moves. */
class ClaimStoreTest {

    private static final ClaimKey KEY = ClaimKey.merchant("merchant-a", "order-42");
    private static final Duration LEASE = Duration.ofMinutes(3);
    private static final Duration EXPIRY = Duration.ofHours(48);
    private static final RecordedAnswer ANSWER = new RecordedAnswer(202,
            List.of(new RecordedAnswer.Header("Location", "/v1/payments/txn_1")),
            "{\"transactionId\":\"txn_1\"}".getBytes(StandardCharsets.UTF_8));

    private static final ClaimPayload PAYLOAD = new ClaimPayload("txn_1", new byte[] {1});

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final InMemoryClaimLog log = new InMemoryClaimLog();
    private final List<ClaimStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(ClaimStore::close);
    }

    @Test
    void shouldWinThenReplayTheAnswerWhenTheSameRequestComesAgain() throws Exception {
        ClaimStore store = store("a", log);

        ClaimOutcome first = claim(store, KEY, "fp");
        store.complete(((ClaimOutcome.Won) first).ticket(), ANSWER).get();
        ClaimOutcome again = claim(store, KEY, "fp");

        assertThat(first).isInstanceOf(ClaimOutcome.Won.class);
        assertThat(again).isInstanceOfSatisfying(ClaimOutcome.Replay.class, replay -> {
            assertThat(replay.sameRequest()).isTrue();
            assertThat(replay.answer().body()).isEqualTo(ANSWER.body());
        });
    }

    @Test
    void shouldTellAnotherRequestFromARetryWhenFingerprintsDiffer() throws Exception {
        ClaimStore store = store("a", log);
        ClaimOutcome first = claim(store, KEY, "fp");

        assertThat(claim(store, KEY, "other")).isEqualTo(new ClaimOutcome.InProgress(false));
        assertThat(claim(store, KEY, "fp")).isEqualTo(new ClaimOutcome.InProgress(true));
        store.complete(((ClaimOutcome.Won) first).ticket(), ANSWER).get();
        assertThat(claim(store, KEY, "other")).isInstanceOfSatisfying(ClaimOutcome.Replay.class,
                replay -> assertThat(replay.sameRequest()).isFalse());
    }

    @Test
    void shouldNameOneWinnerWhenTwoInstancesClaimTheSameKey() throws Exception {
        // Given two instances on one log, neither having seen the key
        ClaimStore first = store("a", log);
        ClaimStore second = store("b", log.sibling());

        // When both claim
        ClaimOutcome a = claim(first, KEY, "fp");
        ClaimOutcome b = claim(second, KEY, "fp");

        // Then exactly one won, and both instances agree on the holder
        assertThat(a).isInstanceOf(ClaimOutcome.Won.class);
        assertThat(b).isEqualTo(new ClaimOutcome.InProgress(true));
        assertThat(first.state(KEY)).isEqualTo(second.state(KEY));
    }

    @Test
    void shouldKeepScopesApartWhenTwoMerchantsUseTheSameKey() throws Exception {
        ClaimStore store = store("a", log);

        assertThat(claim(store, ClaimKey.merchant("merchant-a", "order-42"), "fp")).isInstanceOf(ClaimOutcome.Won.class);
        assertThat(claim(store, ClaimKey.merchant("merchant-b", "order-42"), "fp")).isInstanceOf(ClaimOutcome.Won.class);
    }

    @Test
    void shouldReplayAfterARestartWhenANewInstanceReadsTheLog() throws Exception {
        ClaimStore before = store("a", log);
        ClaimOutcome won = claim(before, KEY, "fp");
        before.complete(((ClaimOutcome.Won) won).ticket(), ANSWER).get();
        before.close();

        ClaimStore after = store("a2", log.sibling());

        assertThat(claim(after, KEY, "fp")).isInstanceOf(ClaimOutcome.Replay.class);
    }

    @Test
    void shouldFreeTheKeyWhenTheAnswerExpiresAfterTheConfiguredPeriod() throws Exception {
        // Given an answer recorded now, with a 48-hour expiry
        ClaimStore store = store("a", log);
        store.complete(((ClaimOutcome.Won) claim(store, KEY, "fp")).ticket(), ANSWER).get();

        // When just under 48 hours pass, it is still replayed
        clock.advance(EXPIRY.minusSeconds(1));
        assertThat(claim(store, KEY, "other")).isInstanceOf(ClaimOutcome.Replay.class);

        // When 48 hours have passed, the key is free for a new request
        clock.advance(Duration.ofSeconds(1));
        assertThat(claim(store, KEY, "other")).isInstanceOf(ClaimOutcome.Won.class);
    }

    @Test
    void shouldLetARetryClaimAgainWhenTheWinnerDiedAndItsLeaseRanOut() throws Exception {
        // Given instance a claimed and died without answering
        store("a", log).claim(KEY, "fp").get();
        ClaimStore survivor = store("b", log.sibling());

        // Then a retry is in progress until the lease runs out, then wins
        assertThat(claim(survivor, KEY, "fp")).isInstanceOf(ClaimOutcome.InProgress.class);
        clock.advance(LEASE);
        assertThat(claim(survivor, KEY, "fp")).isInstanceOf(ClaimOutcome.Won.class);
    }

    @Test
    void shouldWakeWaitersWhenTheKeyIsAnswered() throws Exception {
        ClaimStore store = store("a", log);
        ClaimOutcome.Won won = (ClaimOutcome.Won) claim(store, KEY, "fp");
        CompletableFuture<Void> changed = store.nextChange(KEY, Duration.ofSeconds(10));

        store.complete(won.ticket(), ANSWER).get();

        assertThat(changed).succeedsWithin(Duration.ofSeconds(1));
        assertThat(store.nextChange(KEY, Duration.ofMillis(50))).succeedsWithin(Duration.ofSeconds(1));
    }

    @Test
    void shouldFreeTheKeyAtOnceWhenTheWinnerReleasesIt() throws Exception {
        ClaimStore store = store("a", log);
        ClaimOutcome.Won won = (ClaimOutcome.Won) claim(store, KEY, "fp");

        store.release(won.ticket(), "status-422").get();

        assertThat(claim(store, KEY, "other")).isInstanceOf(ClaimOutcome.Won.class);
    }

    @Test
    void shouldAcceptWithOneRecordThatCarriesThePayloadAndTellTheListener() throws Exception {
        ClaimStore store = store("a", log);
        List<AcceptedClaim> told = new ArrayList<>();
        store.onAccepted(told::add);

        ClaimOutcome outcome = store.accept(KEY, "fp", PAYLOAD).decided().get(5, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(ClaimOutcome.Won.class);
        assertThat(log.records()).hasSize(1);
        assertThat(log.payloads()).containsExactly(PAYLOAD);
        assertThat(told).singleElement().satisfies(accepted -> {
            assertThat(accepted.payload()).isEqualTo(PAYLOAD);
            assertThat(accepted.claimedAt()).isEqualTo(clock.instant());
            assertThat(accepted.presentAtStart()).isFalse();
        });
    }

    @Test
    void shouldJudgeAnAcceptedKeyWithoutWritingWhenTheSameOrAnotherRequestComes() throws Exception {
        ClaimStore store = store("a", log);
        store.accept(KEY, "fp", PAYLOAD).decided().get(5, TimeUnit.SECONDS);
        clock.advance(Duration.ofHours(47));

        assertThat(store.judge(KEY, "fp")).hasValue(new ClaimOutcome.Accepted("txn_1", true));
        assertThat(store.accept(KEY, "other", PAYLOAD).decided().get()).isEqualTo(new ClaimOutcome.Accepted("txn_1", false));
        assertThat(log.records()).hasSize(1);
    }

    @Test
    void shouldNameTheFirstAcceptingClaimInLogOrderOnBothInstances() throws Exception {
        // Given two instances writing accepting claims for one key before either is acknowledged
        ClaimStore first = store("a", log);
        ClaimStore second = store("b", log.sibling());
        List<AcceptedClaim> toldFirst = new ArrayList<>();
        List<AcceptedClaim> toldSecond = new ArrayList<>();
        first.onAccepted(toldFirst::add);
        second.onAccepted(toldSecond::add);
        log.holdAppends(true);
        ClaimStore.Acceptance fromSecond = second.accept(KEY, "other", new ClaimPayload("txn_1", new byte[] {2}));
        ClaimStore.Acceptance fromFirst = first.accept(KEY, "fp", PAYLOAD);

        // When Kafka lands them in that order
        log.landHeld();

        // Then the second instance's claim, first in the log, won everywhere; the other changed nothing
        assertThat(fromSecond.decided().get(5, TimeUnit.SECONDS)).isInstanceOf(ClaimOutcome.Won.class);
        assertThat(fromFirst.decided().get(5, TimeUnit.SECONDS)).isEqualTo(new ClaimOutcome.Accepted("txn_1", false));
        assertThat(toldFirst).extracting(accepted -> accepted.payload().sealedContent()[0]).containsExactly((byte) 2);
        assertThat(toldSecond).extracting(accepted -> accepted.payload().sealedContent()[0]).containsExactly((byte) 2);
    }

    @Test
    void shouldSettleAnAcceptanceWhoseAnswerTimedOutWhenTheClaimLandsLater() throws Exception {
        ClaimStore store = new ClaimStore(log, SharedTestStateStores.get(), 1_000, "a", clock, LEASE, EXPIRY,
                Duration.ofMillis(50));
        store.start();
        stores.add(store);
        log.holdAppends(true);

        ClaimStore.Acceptance acceptance = store.accept(KEY, "fp", PAYLOAD);

        assertThat(acceptance.decided()).failsWithin(Duration.ofSeconds(2));
        log.landHeld();
        assertThat(acceptance.settled().get(5, TimeUnit.SECONDS)).isInstanceOf(ClaimOutcome.Won.class);
    }

    @Test
    void shouldTellARecordPresentAtStartFromANewOne() throws Exception {
        store("a", log).accept(KEY, "fp", PAYLOAD).decided().get(5, TimeUnit.SECONDS);
        ClaimStore restarted = new ClaimStore(log.sibling(), SharedTestStateStores.get(), 1_000, "b", clock, LEASE,
                EXPIRY, Duration.ofSeconds(5));
        List<AcceptedClaim> told = new ArrayList<>();
        restarted.onAccepted(told::add);

        restarted.start();
        stores.add(restarted);

        assertThat(told).singleElement().satisfies(accepted -> assertThat(accepted.presentAtStart()).isTrue());
    }

    @Test
    void shouldFailTheClaimWhenTheLogIsUnavailable() {
        ClaimStore store = store("a", log);
        log.failAppends(true);

        assertThat(store.claim(KEY, "fp")).failsWithin(Duration.ofSeconds(1));
    }

    private ClaimStore store(String instanceId, InMemoryClaimLog claimLog) {
        ClaimStore store = new ClaimStore(claimLog, SharedTestStateStores.get(), 1_000, instanceId, clock, LEASE,
                EXPIRY, Duration.ofSeconds(5));
        store.start();
        stores.add(store);
        return store;
    }

    private static ClaimOutcome claim(ClaimStore store, ClaimKey key, String fingerprint) throws Exception {
        return store.claim(key, fingerprint).get(5, TimeUnit.SECONDS);
    }
}
