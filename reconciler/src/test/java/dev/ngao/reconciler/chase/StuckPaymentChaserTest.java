package dev.ngao.reconciler.chase;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.BreakKind;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.testing.MutableClock;
import dev.ngao.providers.ProviderKind;
import dev.ngao.reconciler.ProviderFixtures;
import dev.ngao.reconciler.audit.KafkaAuditSink;
import dev.ngao.reconciler.audit.ReconcilerAudit;
import dev.ngao.reconciler.report.KafkaBreakSink;
import dev.ngao.reconciler.view.PostedPaymentsView;
import dev.ngao.reconciler.view.ViewBatch;
import dev.ngao.schemas.SampleEvents;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import static dev.ngao.reconciler.DecisionsAndEntries.approvalEntry;
import static dev.ngao.reconciler.ProviderFixtures.approval;
import static org.assertj.core.api.Assertions.assertThat;

class StuckPaymentChaserTest {

    private static final String HUB = ProviderKind.MOBILE_MONEY_HUB.id();
    private static final String PAGOEFECTIVO = ProviderKind.PAGOEFECTIVO.id();
    private static final Instant DECIDED_AT = Instant.parse("2026-11-20T10:00:00Z");
    private static final ChasePolicy POLICY = new ChasePolicy(Map.of(HUB, Duration.ofMinutes(5)),
            Duration.ofMinutes(30), Duration.ofSeconds(10), Duration.ofMinutes(2), 4, Duration.ofSeconds(1), 100);

    @TempDir
    Path directory;

    private PostedPaymentsView view;
    private final MutableClock clock = new MutableClock(DECIDED_AT);
    private final List<ProviderEvent> events = new ArrayList<>();
    private final List<ReconciliationBreak> breaks = new ArrayList<>();
    private final FakeAdapter hub = new FakeAdapter(ProviderKind.MOBILE_MONEY_HUB);
    private final FakeAdapter pagoEfectivo = new FakeAdapter(ProviderKind.PAGOEFECTIVO);
    private StuckPaymentChaser chaser;

    @BeforeEach
    void open() {
        view = PostedPaymentsView.open(directory);
        chaser = new StuckPaymentChaser(view, Map.of(HUB, hub, PAGOEFECTIVO, pagoEfectivo), POLICY, events::add,
                breaks::addAll, clock, RandomGenerator.of("L64X128MixRandom"));
    }

    @AfterEach
    void close() {
        view.close();
    }

    @Test
    void shouldNotQueryWhenThePaymentIsYoungerThanItsProvidersTimeout() {
        // Given a hub payment approved 4 minutes ago (the hub's timeout is 5)
        approve("t1", HUB);
        clock.advance(Duration.ofMinutes(4));

        // When the chaser passes, then it queries nothing
        assertThat(chaser.chaseOnce()).isZero();
        assertThat(hub.queried).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ProviderStatus.class, names = {"SUCCEEDED", "FAILED", "EXPIRED", "REVERSED"})
    void shouldSendTheFinalStatusAsAStatusQueryEventWhenTheProviderAnswersIt(ProviderStatus status) {
        // Given a hub payment pending past its timeout, which the provider says is still pending, then final
        approve("t1", HUB);
        hub.answering(ProviderStatus.PENDING, status);
        clock.advance(Duration.ofMinutes(6));

        // When the chaser passes, waits out the backoff, and passes again
        chaser.chaseOnce();
        clock.advance(Duration.ofSeconds(10));
        chaser.chaseOnce();
        clock.advance(Duration.ofHours(1));
        chaser.chaseOnce();

        // Then each answer became a status-query event with a deterministic id, the final one last, and the chase ended
        assertThat(events).extracting(ProviderEvent::getStatus).containsExactly(ProviderStatus.PENDING, status);
        ProviderEvent last = events.get(1);
        assertThat(last.getSource()).isEqualTo(ProviderEventSource.STATUS_QUERY);
        assertThat(last.getEventId()).isEqualTo("sq:mobile-money-hub:t1:" + status);
        assertThat(last.getTransactionId()).isEqualTo("t1");
        assertThat(last.getProviderReference()).isEqualTo("REF-t1");
        assertThat(hub.queried).hasSize(2);
        assertThat(breaks).isEmpty();
    }

    @Test
    void shouldWaitBetweenQueriesWhenThePaymentStaysPending() {
        // Given a hub payment the provider keeps pending
        approve("t1", HUB);
        hub.answering(ProviderStatus.PENDING);
        clock.advance(Duration.ofMinutes(6));

        // When the chaser passes twice without time passing, then once 10 s later (the first backoff is 5-10 s)
        chaser.chaseOnce();
        chaser.chaseOnce();
        int beforeBackoff = hub.queried.size();
        clock.advance(Duration.ofSeconds(10));
        chaser.chaseOnce();

        // Then the second query waited for the backoff
        assertThat(beforeBackoff).isEqualTo(1);
        assertThat(hub.queried).hasSize(2);
    }

    @Test
    void shouldFlagForManualReviewWhenStillPendingAfterTheLastAttempt() {
        // Given a hub payment the provider keeps pending, chased past every backoff
        approve("t1", HUB);
        hub.answering(ProviderStatus.PENDING);
        clock.advance(Duration.ofMinutes(6));

        // When the chaser has made its four attempts, and passes again later
        for (int pass = 0; pass < 10; pass++) {
            chaser.chaseOnce();
            clock.advance(Duration.ofMinutes(3));
        }

        // Then one UNRESOLVED_PENDING break flags it, no final status was invented, and querying stopped
        assertThat(hub.queried).hasSize(4);
        assertThat(breaks).singleElement().satisfies(flagged -> {
            assertThat(flagged.getKind()).isEqualTo(BreakKind.UNRESOLVED_PENDING);
            assertThat(flagged.getBreakId()).isEqualTo("UNRESOLVED_PENDING:mobile-money-hub:t1");
            assertThat(flagged.getTransactionId()).isEqualTo("t1");
            assertThat(flagged.getDetail()).contains("4 status queries", "PENDING", "manual review");
        });
        assertThat(events).extracting(ProviderEvent::getStatus).containsOnly(ProviderStatus.PENDING);
    }

    @Test
    void shouldFlagForManualReviewWhenTheProviderNeverAnswers() {
        // Given a hub payment whose provider fails every query
        approve("t1", HUB);
        hub.failing();
        clock.advance(Duration.ofMinutes(6));

        // When chased past every attempt
        for (int pass = 0; pass < 10; pass++) {
            chaser.chaseOnce();
            clock.advance(Duration.ofMinutes(3));
        }

        // Then it is flagged, and no event claims a status
        assertThat(events).isEmpty();
        assertThat(breaks).singleElement().extracting(ReconciliationBreak::getDetail).asString().contains("no answer");
    }

    @Test
    void shouldSendSucceededNotExpiredWhenACipWasPaidBeforeItsExpiry() {
        // Given a CIP the provider says was paid, chased after its expiry
        approve("cip-1", PAGOEFECTIVO);
        expiresAt("cip-1", DECIDED_AT.plus(Duration.ofHours(2)));
        pagoEfectivo.answering(ProviderStatus.SUCCEEDED);
        clock.advance(Duration.ofHours(3));

        // When chased, then the provider's word stands
        chaser.chaseOnce();
        assertThat(events).extracting(ProviderEvent::getStatus).containsExactly(ProviderStatus.SUCCEEDED);
    }

    @Test
    void shouldExpireACipWhenItIsStillUnpaidAfterItsExpiry() {
        // Given a CIP that expires 2 hours after approval, still pending at the provider
        approve("cip-1", PAGOEFECTIVO);
        expiresAt("cip-1", DECIDED_AT.plus(Duration.ofHours(2)));
        pagoEfectivo.answering(ProviderStatus.PENDING);

        // When the chaser passes before the expiry, and after the expiry plus the provider's 30-minute timeout
        clock.advance(Duration.ofMinutes(119));
        chaser.chaseOnce();
        int beforeExpiry = pagoEfectivo.queried.size();
        clock.advance(Duration.ofMinutes(32));
        chaser.chaseOnce();
        clock.advance(Duration.ofHours(2));
        chaser.chaseOnce();

        // Then it is not queried before, and after it becomes EXPIRED, occurring at the expiry, and is not flagged
        assertThat(beforeExpiry).isZero();
        assertThat(events).extracting(ProviderEvent::getStatus)
                .containsExactly(ProviderStatus.PENDING, ProviderStatus.EXPIRED);
        assertThat(events.get(1).getOccurredAt()).isEqualTo(DECIDED_AT.plus(Duration.ofHours(2)));
        assertThat(events.get(1).getEventId()).isEqualTo("sq:pagoefectivo:cip-1:EXPIRED");
        assertThat(pagoEfectivo.queried).hasSize(1);
        assertThat(breaks).isEmpty();
    }

    @Test
    void shouldNotExpireACipWhenTheProviderDoesNotKnowIt() {
        // Given an expired CIP the provider answers UNKNOWN about
        approve("cip-1", PAGOEFECTIVO);
        expiresAt("cip-1", DECIDED_AT.plus(Duration.ofHours(2)));
        pagoEfectivo.answering(ProviderStatus.UNKNOWN);
        clock.advance(Duration.ofHours(3));

        // When chased past every attempt
        for (int pass = 0; pass < 10; pass++) {
            chaser.chaseOnce();
            clock.advance(Duration.ofMinutes(3));
        }

        // Then it is never expired by guess: it is flagged for review, and no UNKNOWN was sent (ingest skips them)
        assertThat(pagoEfectivo.queried).hasSize(4);
        assertThat(events).isEmpty();
        assertThat(breaks).singleElement().extracting(ReconciliationBreak::getKind)
                .isEqualTo(BreakKind.UNRESOLVED_PENDING);
    }

    @Test
    void shouldSendOnlyWhatTheViewDoesNotKnowWhenTheProviderKeepsAPaymentPending() {
        // Given a hub payment whose PENDING (with its reference) the view already has, another the provider does
        // not know, and a third whose webhooks were lost
        approve("t1", HUB);
        approve("t2", HUB);
        approve("t3", HUB);
        ViewBatch batch = view.newBatch();
        batch.onProviderEvent(ProviderFixtures.event("t1", HUB, "REF-t1", ProviderStatus.PENDING, DECIDED_AT, null));
        view.commit(batch);
        hub.answering(ProviderStatus.PENDING);
        hub.answeringFor("t2", ProviderStatus.UNKNOWN);
        clock.advance(Duration.ofMinutes(6));

        // When the chaser passes twice, past the first backoff
        chaser.chaseOnce();
        clock.advance(Duration.ofSeconds(10));
        chaser.chaseOnce();

        // Then every payment was queried twice, and only the news was sent: t3's pending status and reference
        assertThat(hub.queried).hasSize(6);
        assertThat(events).extracting(ProviderEvent::getTransactionId).containsOnly("t3");
        assertThat(events).extracting(ProviderEvent::getStatus).containsOnly(ProviderStatus.PENDING);
    }

    @Test
    void shouldResumeWithTheAttemptsAlreadyMadeWhenRestarted() {
        // Given a payment queried three times by a chaser that then stopped
        approve("t1", HUB);
        hub.answering(ProviderStatus.PENDING);
        clock.advance(Duration.ofMinutes(6));
        for (int pass = 0; pass < 3; pass++) {
            chaser.chaseOnce();
            clock.advance(Duration.ofMinutes(3));
        }
        view.close();
        view = PostedPaymentsView.open(directory);

        // When a new chaser on the reopened view passes
        new StuckPaymentChaser(view, Map.of(HUB, hub), POLICY, events::add, breaks::addAll, clock,
                RandomGenerator.of("L64X128MixRandom")).chaseOnce();

        // Then its one query is the fourth and last, and the payment is flagged
        assertThat(hub.queried).hasSize(4);
        assertThat(breaks).hasSize(1);
    }

    @Test
    void shouldClearTheUnresolvedPendingBreakWhenTheLedgersRefusalArrivesLate() {
        // Given a payout the ledger refused, whose refusal has not reached the view: the provider, which never got
        // it, answers "unknown" until the chaser flags it (the fault suite's cluster run at 45b5e71)
        approve("t1", HUB);
        hub.answering(ProviderStatus.UNKNOWN);
        MockProducer<String, ReconciliationBreak> breaksTopic = mockProducer();
        MockProducer<String, AuditRecord> auditTopic = mockProducer();
        StuckPaymentChaser publishing = new StuckPaymentChaser(view, Map.of(HUB, hub), POLICY, events::add,
                new KafkaBreakSink(breaksTopic, new KafkaAuditSink(auditTopic)), clock,
                RandomGenerator.of("L64X128MixRandom"));
        clock.advance(Duration.ofMinutes(6));
        chaseUntilFlagged(publishing);
        ReconciliationBreak raised = breaksTopic.history().get(0).value();
        assertThat(raised.getKind()).isEqualTo(BreakKind.UNRESOLVED_PENDING);

        // When the refusal, risk's final DECLINE, reaches the view 9.5 minutes later, and the chaser passes
        clock.advance(Duration.ofSeconds(570));
        refuse("t1");
        publishing.chaseOnce();

        // Then the break is written again under its id, detection time and day, cleared, with its audit record
        assertThat(breaksTopic.history()).hasSize(2);
        ProducerRecord<String, ReconciliationBreak> written = breaksTopic.history().get(1);
        assertThat(written.key()).isEqualTo("t1");
        ReconciliationBreak cleared = written.value();
        assertThat(cleared.getBreakId()).isEqualTo(raised.getBreakId());
        assertThat(cleared.getKind()).isEqualTo(BreakKind.UNRESOLVED_PENDING);
        assertThat(cleared.getCleared()).isTrue();
        assertThat(cleared.getDetectedAt()).isEqualTo(raised.getDetectedAt());
        assertThat(cleared.getClearedAt()).isEqualTo(clock.instant());
        assertThat(cleared.getSettlementDay()).isEqualTo(raised.getSettlementDay());
        assertThat(cleared.getExpected()).isEqualTo(raised.getExpected());
        assertThat(cleared.getDetail()).startsWith("cleared:").contains("LEDGER_REFUSAL");
        assertThat(auditTopic.history()).extracting(record -> record.value().getAction())
                .containsExactly(ReconcilerAudit.BREAK_RAISED_ACTION, ReconcilerAudit.BREAK_CLEARED_ACTION);
        AuditRecord clearing = auditTopic.history().get(1).value();
        assertThat(clearing.getAuditId()).isEqualTo("break-cleared:" + raised.getBreakId());
        assertThat(clearing.getSubjectId()).isEqualTo("t1");
        assertThat(clearing.getOccurredAt()).isEqualTo(cleared.getClearedAt());

        // And the chase is over: no state is left, nothing more is queried or written
        assertThat(view.chaseState("t1")).isEmpty();
        assertThat(view.emittedAt(raised.getBreakId())).isEmpty();
        int queries = hub.queried.size();
        for (int pass = 0; pass < 3; pass++) {
            clock.advance(Duration.ofMinutes(3));
            publishing.chaseOnce();
        }
        assertThat(hub.queried).hasSize(queries);
        assertThat(breaksTopic.history()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(value = ProviderStatus.class, names = {"SUCCEEDED", "FAILED", "EXPIRED", "REVERSED"})
    void shouldClearTheUnresolvedPendingBreakWhenThePaymentReachesAFinalStatusLater(ProviderStatus status) {
        // Given a payment flagged for manual review
        approve("t1", HUB);
        hub.answering(ProviderStatus.PENDING);
        clock.advance(Duration.ofMinutes(6));
        chaseUntilFlagged(chaser);
        ReconciliationBreak raised = breaks.get(0);

        // When its final status reaches the view (a late webhook, applied by ingest), and the chaser passes
        clock.advance(Duration.ofMinutes(20));
        providerSays("t1", status, clock.instant().minusSeconds(30));
        chaser.chaseOnce();

        // Then the break is cleared, naming the status, and the chase state is gone
        assertThat(breaks).hasSize(2);
        ReconciliationBreak cleared = breaks.get(1);
        assertThat(cleared.getBreakId()).isEqualTo(raised.getBreakId());
        assertThat(cleared.getCleared()).isTrue();
        assertThat(cleared.getDetectedAt()).isEqualTo(raised.getDetectedAt());
        assertThat(cleared.getSettlementDay()).isEqualTo(raised.getSettlementDay());
        assertThat(cleared.getDetail()).startsWith("cleared:").contains(status.name());
        assertThat(view.chaseState("t1")).isEmpty();
        assertThat(view.emittedAt(raised.getBreakId())).isEmpty();
    }

    @Test
    void shouldLeaveTheUnresolvedPendingBreakOpenWhenLaterEventsDoNotEndThePendingState() {
        // Given a payment flagged for manual review
        approve("t1", HUB);
        hub.answering(ProviderStatus.UNKNOWN);
        clock.advance(Duration.ofMinutes(6));
        chaseUntilFlagged(chaser);
        int queries = hub.queried.size();

        // When what follows leaves it pending: its approval posted by the ledger, the same approval again, and the
        // provider's PENDING with a reference; and the chaser passes again and again
        ViewBatch batch = view.newBatch();
        batch.onEntry(approvalEntry("t1", 1_000L, "KES"));
        batch.onDecision(approval("t1", HUB, 1_000, "KES", DECIDED_AT));
        view.commit(batch);
        providerSays("t1", ProviderStatus.PENDING, clock.instant());
        for (int pass = 0; pass < 5; pass++) {
            clock.advance(Duration.ofMinutes(3));
            chaser.chaseOnce();
        }

        // Then the break stands, not cleared and not raised twice, and the payment is not queried again
        assertThat(breaks).singleElement().extracting(ReconciliationBreak::getCleared).isEqualTo(false);
        assertThat(hub.queried).hasSize(queries);
        assertThat(view.chaseState("t1")).isPresent();
        assertThat(view.emittedAt("UNRESOLVED_PENDING:mobile-money-hub:t1")).isPresent();

        // And a refusal coming after all still clears it
        refuse("t1");
        chaser.chaseOnce();
        assertThat(breaks).hasSize(2);
        assertThat(breaks.get(1).getCleared()).isTrue();
    }

    @Test
    void shouldClearTheBreakWhenTheRefusalComesAfterARestart() {
        // Given a payment flagged by a chaser that then stopped
        approve("t1", HUB);
        hub.answering(ProviderStatus.UNKNOWN);
        clock.advance(Duration.ofMinutes(6));
        chaseUntilFlagged(chaser);
        view.close();
        view = PostedPaymentsView.open(directory);

        // When the refusal reaches the reopened view, and a new chaser passes
        refuse("t1");
        new StuckPaymentChaser(view, Map.of(HUB, hub), POLICY, events::add, breaks::addAll, clock,
                RandomGenerator.of("L64X128MixRandom")).chaseOnce();

        // Then the break is cleared from what the view kept
        assertThat(breaks).hasSize(2);
        assertThat(breaks.get(1).getCleared()).isTrue();
        assertThat(breaks.get(1).getDetectedAt()).isEqualTo(breaks.get(0).getDetectedAt());
        assertThat(view.chaseState("t1")).isEmpty();
    }

    @Test
    void shouldForgetTheChaseWhenThePaymentStopsPendingBeforeItIsFlagged() {
        // Given two payments queried twice each, still pending at the provider
        approve("t1", HUB);
        approve("t2", HUB);
        hub.answering(ProviderStatus.PENDING);
        clock.advance(Duration.ofMinutes(6));
        chaser.chaseOnce();
        clock.advance(Duration.ofMinutes(3));
        chaser.chaseOnce();
        assertThat(view.chaseState("t1")).isPresent();

        // When a webhook's final status reaches the view for one, the ledger's refusal for the other, and the
        // chaser passes on past every attempt
        providerSays("t1", ProviderStatus.SUCCEEDED, clock.instant());
        refuse("t2");
        for (int pass = 0; pass < 10; pass++) {
            clock.advance(Duration.ofMinutes(3));
            chaser.chaseOnce();
        }

        // Then neither is queried again nor flagged, and no chase state is left
        assertThat(hub.queried).hasSize(4);
        assertThat(breaks).isEmpty();
        assertThat(view.chaseState("t1")).isEmpty();
        assertThat(view.chaseState("t2")).isEmpty();
    }

    @Test
    void shouldForgetAnAnsweredChaseOnceTheViewHasTheFinalStatus() {
        // Given a payment whose provider answered SUCCEEDED to the chaser, the answer not yet applied by ingest
        approve("t1", HUB);
        hub.answering(ProviderStatus.SUCCEEDED);
        clock.advance(Duration.ofMinutes(6));
        chaser.chaseOnce();
        chaser.chaseOnce();
        assertThat(view.chaseState("t1")).isPresent();

        // When the answer reaches the view, and the chaser passes
        ViewBatch batch = view.newBatch();
        batch.onProviderEvent(events.get(0));
        view.commit(batch);
        chaser.chaseOnce();

        // Then its chase state is gone, and no break was written
        assertThat(view.chaseState("t1")).isEmpty();
        assertThat(breaks).isEmpty();
    }

    @Test
    void shouldKeepBackoffWithinHalfTheBaseAndTheBaseWhenDrawingJitter() {
        RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
        for (int attempts = 1; attempts <= 8; attempts++) {
            long baseMs = Math.min(10_000L << (attempts - 1), 120_000L);
            for (int draw = 0; draw < 50; draw++) {
                assertThat(POLICY.backoffAfter(attempts, random).toMillis()).isBetween(baseMs / 2, baseMs);
            }
        }
    }

    /** Passes until the chaser's last attempt flagged the payment (the policy's four, past every backoff). */
    private void chaseUntilFlagged(StuckPaymentChaser chaser) {
        for (int pass = 0; pass < 6; pass++) {
            chaser.chaseOnce();
            clock.advance(Duration.ofMinutes(3));
        }
        assertThat(view.chaseState("t1")).get().extracting(ChaseState::decode).extracting(ChaseState::phase)
                .isEqualTo(ChaseState.Phase.FLAGGED);
    }

    /** The ledger's refusal of the approval for want of funds: risk's final DECLINE, as the view reads it. */
    private void refuse(String transactionId) {
        ViewBatch batch = view.newBatch();
        batch.onDecision(RiskDecision.newBuilder(approval(transactionId, HUB, 1_000, "KES", DECIDED_AT))
                .setOutcome(Outcome.DECLINE).setKind(DecisionKind.LEDGER_REFUSAL)
                .setDecidedAt(clock.instant().minusSeconds(5)).build());
        view.commit(batch);
    }

    /** A provider status ingest applied, on providers.events. */
    private void providerSays(String transactionId, ProviderStatus status, Instant occurredAt) {
        ViewBatch batch = view.newBatch();
        batch.onProviderEvent(ProviderFixtures.event(transactionId, HUB, "REF-" + transactionId, status, occurredAt,
                null));
        view.commit(batch);
    }

    private static <V> MockProducer<String, V> mockProducer() {
        return new MockProducer<>(true, null, new StringSerializer(), (topic, value) -> new byte[0]);
    }

    private void approve(String transactionId, String provider) {
        ViewBatch batch = view.newBatch();
        batch.onDecision(approval(transactionId, provider, 1_000, provider.equals(HUB) ? "KES" : "PEN", DECIDED_AT));
        view.commit(batch);
    }

    private void expiresAt(String transactionId, Instant expiry) {
        ViewBatch batch = view.newBatch();
        batch.onRequest(SampleEvents.paymentRequest(transactionId)
                .setType(dev.ngao.events.PaymentType.CIP_PAYMENT)
                .setMerchantReference("order-1")
                .setAccountKind(dev.ngao.events.AccountKind.CUSTOMER)
                .setAccountId("customer-1")
                .setAmount(new dev.ngao.events.Money(1_000L, "PEN"))
                .setProvider(PAGOEFECTIVO)
                .setCip(dev.ngao.events.CipDetails.newBuilder()
                        .setDocumentType("DNI").setDocumentHash("h").setDocumentMasked("****")
                        .setExpiresAt(expiry).build())
                .setRequestedAt(DECIDED_AT)
                .build());
        view.commit(batch);
    }
}
