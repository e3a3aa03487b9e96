package dev.ngao.console;

import dev.ngao.events.BreakKind;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.EmergencyStop;
import dev.ngao.events.Outcome;
import dev.ngao.events.ProviderHealth;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StopScope;
import dev.ngao.events.StopTraffic;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleViewsTest {

    private static final String MERCHANT = "merchant-a";
    private static final String TXN_1 = "txn_00000000000000000000000000000001";
    private static final String TXN_2 = "txn_00000000000000000000000000000002";
    private static final String TXN_3 = "txn_00000000000000000000000000000003";

    private final ConsoleViews views = new ConsoleViews(3, 100, 100);

    @Test
    void shouldQueueReviewsOldestFirstAndCloseOneWhenItsResolutionDecisionArrives() {
        RiskDecision first = Events.decision(TXN_1, MERCHANT, Outcome.REVIEW,
                Events.reason("large-off-hours", Outcome.REVIEW, "large amount at night in America/Lima"));
        RiskDecision second = Events.decision(TXN_2, MERCHANT, Outcome.REVIEW);
        views.onDecision(first);
        views.onDecision(Events.decision(TXN_3, MERCHANT, Outcome.APPROVE));
        views.onDecision(second);

        assertThat(views.reviews(MERCHANT)).extracting(review -> review.decision().getTransactionId())
                .containsExactly(TXN_1, TXN_2);

        views.onDecision(Events.resolution(first, Outcome.APPROVE, "rev_1"));

        assertThat(views.reviews(MERCHANT)).extracting(review -> review.decision().getTransactionId())
                .containsExactly(TXN_2);
        assertThat(views.openReviews()).isEqualTo(1);
    }

    @Test
    void shouldCloseAReviewWhenTheCardNetworksAnswerIsItsFinalDecision() {
        RiskDecision review = Events.decision(TXN_1, MERCHANT, Outcome.REVIEW);
        views.onDecision(review);

        views.onDecision(RiskDecision.newBuilder(review).setOutcome(Outcome.DECLINE)
                .setKind(DecisionKind.AUTHORIZATION_ANSWER).build());

        assertThat(views.reviews(MERCHANT)).isEmpty();
    }

    @Test
    void shouldShowEachMerchantOnlyItsOwnReviewsAndDecisions() {
        views.onDecision(Events.decision(TXN_1, MERCHANT, Outcome.REVIEW));
        views.onDecision(Events.decision(TXN_2, "merchant-b", Outcome.REVIEW));

        assertThat(views.reviews("merchant-b")).extracting(review -> review.decision().getTransactionId())
                .containsExactly(TXN_2);
        assertThat(views.review(MERCHANT, TXN_2)).isEmpty();
        assertThat(views.review("merchant-b", TXN_2)).isPresent();
        assertThat(views.decisions(MERCHANT, decision -> true, 10)).extracting(RiskDecision::getTransactionId)
                .containsExactly(TXN_1);
    }

    @Test
    void shouldKeepTheReviewOpenButMarkedWhenAResolutionWasSentAndNotYetFinal() {
        views.onDecision(Events.decision(TXN_1, MERCHANT, Outcome.REVIEW));

        views.onResolutionSent(TXN_1, new ConsoleViews.SentResolution(Outcome.DECLINE, "rev_9", "analyst-key"));

        ConsoleViews.OpenReview open = views.review(MERCHANT, TXN_1).orElseThrow();
        assertThat(open.sent()).hasValueSatisfying(sent -> assertThat(sent.outcome()).isEqualTo(Outcome.DECLINE));
    }

    @Test
    void shouldKeepOnlyTheNewestDecisionsNewestFirstAndFilterThem() {
        for (int index = 1; index <= 5; index++) {
            views.onDecision(Events.decision("txn_" + "0".repeat(31) + index, MERCHANT,
                    index % 2 == 0 ? Outcome.DECLINE : Outcome.APPROVE));
        }

        List<RiskDecision> recent = views.decisions(MERCHANT, decision -> true, 10);
        assertThat(recent).extracting(RiskDecision::getTransactionId)
                .containsExactly("txn_" + "0".repeat(31) + 5, "txn_" + "0".repeat(31) + 4, "txn_" + "0".repeat(31) + 3);
        assertThat(views.decisions(MERCHANT, decision -> decision.getOutcome() == Outcome.DECLINE, 10))
                .extracting(RiskDecision::getTransactionId).containsExactly("txn_" + "0".repeat(31) + 4);
        assertThat(views.decisionsSeen()).isEqualTo(5);
    }

    @Test
    void shouldGroupBreaksBySettlementDayAndKeepABreakFoundAgainOnce() {
        views.onBreak(Events.reconciliationBreak("brk-1", BreakKind.AMOUNT_MISMATCH, TXN_1, "2026-11-30"));
        views.onBreak(Events.reconciliationBreak("brk-2", BreakKind.MISSING_IN_LEDGER, TXN_2, "2026-11-30"));
        // a re-run of the day finds the same break with the same id
        views.onBreak(Events.reconciliationBreak("brk-1", BreakKind.AMOUNT_MISMATCH, TXN_1, "2026-11-30"));
        views.onBreak(Events.reconciliationBreak("brk-3", BreakKind.UNRESOLVED_PENDING, TXN_3, null));

        assertThat(views.breakDays()).containsExactly(java.util.Map.entry("2026-12-01", 1),
                java.util.Map.entry("2026-11-30", 2));
        assertThat(views.breaks("2026-11-30")).extracting(found -> found.getBreakId()).containsExactly("brk-1", "brk-2");
        assertThat(views.breaks("2026-12-01")).extracting(found -> found.getKind())
                .containsExactly(BreakKind.UNRESOLVED_PENDING);
    }

    @Test
    void shouldTakeABreakOutOfItsDayWhenItIsCleared() {
        // Given two breaks of one day, found outside a report run
        views.onBreak(Events.reconciliationBreak("brk-1", BreakKind.APPROVED_NOT_POSTED, TXN_1, null));
        views.onBreak(Events.reconciliationBreak("brk-2", BreakKind.APPROVED_NOT_POSTED, TXN_2, null));

        // When the first is cleared (its ledger entry came late and matched)
        ReconciliationBreak cleared = Events.reconciliationBreak("brk-1", BreakKind.APPROVED_NOT_POSTED, TXN_1, null);
        cleared.setCleared(true);
        cleared.setClearedAt(cleared.getDetectedAt().plusSeconds(300));
        views.onBreak(cleared);

        // Then only the second stands; and when it is cleared too, the day leaves the view
        assertThat(views.breaks("2026-12-01")).extracting(ReconciliationBreak::getBreakId).containsExactly("brk-2");
        assertThat(views.breakDays()).containsExactly(java.util.Map.entry("2026-12-01", 1));
        ReconciliationBreak second = Events.reconciliationBreak("brk-2", BreakKind.APPROVED_NOT_POSTED, TXN_2, null);
        second.setCleared(true);
        views.onBreak(second);
        assertThat(views.breakDays()).isEmpty();
    }

    @Test
    void shouldDropTheOldestDaysWhenMoreBreaksThanKeptArrive() {
        ConsoleViews small = new ConsoleViews(10, 10, 2);
        small.onBreak(Events.reconciliationBreak("brk-1", BreakKind.DUPLICATE, TXN_1, "2026-11-28"));
        small.onBreak(Events.reconciliationBreak("brk-2", BreakKind.DUPLICATE, TXN_2, "2026-11-29"));
        small.onBreak(Events.reconciliationBreak("brk-3", BreakKind.DUPLICATE, TXN_3, "2026-11-30"));

        assertThat(small.breakDays()).containsOnlyKeys("2026-11-29", "2026-11-30");
    }

    @Test
    void shouldShowEachProvidersLatestHealthWhenChangesArriveOutOfOrder() {
        views.onHealth(Events.health("mobile-money-hub", ProviderHealth.DOWN, Instant.parse("2026-12-01T10:00:00Z")));
        views.onHealth(Events.health("mobile-money-hub", ProviderHealth.UP, Instant.parse("2026-12-01T10:05:00Z")));
        views.onHealth(Events.health("mobile-money-hub", ProviderHealth.DOWN, Instant.parse("2026-12-01T09:00:00Z")));
        views.onHealth(Events.health("card-network", ProviderHealth.DOWN, Instant.parse("2026-12-01T10:01:00Z")));

        assertThat(views.health()).extracting(event -> event.getProvider() + "=" + event.getStatus())
                .containsExactly("card-network=DOWN", "mobile-money-hub=UP");
    }

    @Test
    void shouldDropTheOldestReviewFromTheViewWhenTheQueueIsFull() {
        ConsoleViews small = new ConsoleViews(10, 2, 10);
        small.onDecision(Events.decision(TXN_1, MERCHANT, Outcome.REVIEW));
        small.onDecision(Events.decision(TXN_2, MERCHANT, Outcome.REVIEW));
        small.onDecision(Events.decision(TXN_3, MERCHANT, Outcome.REVIEW));

        assertThat(small.reviews(MERCHANT)).extracting(review -> review.decision().getTransactionId())
                .containsExactly(TXN_2, TXN_3);
    }

    @Test
    void shouldShowAStopWhileActiveAndDropItWhenItsLiftArrives() {
        // Given payouts of the merchant stopped, then all traffic at a provider
        views.onStop(stop(StopScope.MERCHANT, MERCHANT, StopTraffic.PAYOUTS, true));
        views.onStop(stop(StopScope.PROVIDER, "pagoefectivo", StopTraffic.ALL, true));

        assertThat(views.stops(MERCHANT, false)).extracting(EmergencyStop::getStopId)
                .containsExactly("MERCHANT|merchant-a|PAYOUTS", "PROVIDER|pagoefectivo|ALL");

        // When the merchant's stop is lifted (the same key, inactive)
        views.onStop(stop(StopScope.MERCHANT, MERCHANT, StopTraffic.PAYOUTS, false));

        // Then only the provider's is in force
        assertThat(views.stops(MERCHANT, false)).extracting(EmergencyStop::getStopId)
                .containsExactly("PROVIDER|pagoefectivo|ALL");
    }

    @Test
    void shouldShowAMerchantGlobalAndProviderStopsAndItsOwnButNotAnotherMerchantsUnlessOperator() {
        views.onStop(stop(StopScope.GLOBAL, null, StopTraffic.PAYOUTS, true));
        views.onStop(stop(StopScope.MERCHANT, "merchant-b", StopTraffic.ALL, true));
        views.onStop(stop(StopScope.MERCHANT, MERCHANT, StopTraffic.ALL, true));

        assertThat(views.stops(MERCHANT, false)).extracting(EmergencyStop::getStopId)
                .containsExactly("GLOBAL||PAYOUTS", "MERCHANT|merchant-a|ALL");
        assertThat(views.stops(MERCHANT, true)).extracting(EmergencyStop::getStopId)
                .containsExactly("GLOBAL||PAYOUTS", "MERCHANT|merchant-a|ALL", "MERCHANT|merchant-b|ALL");
    }

    @Test
    void shouldGiveThePageEachStopsScopeTargetTrafficReasonAndOperator() {
        JsonObject json = ConsoleJson.stop(stop(StopScope.PROVIDER, "mobile-money-hub", StopTraffic.PAYOUTS, true));

        assertThat(json.getString("stopId")).isEqualTo("PROVIDER|mobile-money-hub|PAYOUTS");
        assertThat(json.getString("scope")).isEqualTo("PROVIDER");
        assertThat(json.getString("target")).isEqualTo("mobile-money-hub");
        assertThat(json.getString("traffic")).isEqualTo("PAYOUTS");
        assertThat(json.getString("reason")).isEqualTo("Provider misbehaving");
        assertThat(json.getString("changedBy")).isEqualTo("ops-key");
        assertThat(json.getString("changedAt")).isEqualTo("2026-11-30T14:05:00Z");
    }

    private static EmergencyStop stop(StopScope scope, String target, StopTraffic traffic, boolean active) {
        return EmergencyStop.newBuilder()
                .setStopId(scope.name() + "|" + (target == null ? "" : target) + "|" + traffic.name())
                .setScope(scope)
                .setTarget(target)
                .setTraffic(traffic)
                .setActive(active)
                .setReason("Provider misbehaving")
                .setApiKeyId("ops-key")
                .setChangedAt(Events.REQUESTED_AT)
                .build();
    }
}
