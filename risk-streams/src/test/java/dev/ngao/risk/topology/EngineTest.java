package dev.ngao.risk.topology;

import dev.ngao.events.AccountKind;
import dev.ngao.events.AuditOutcome;
import dev.ngao.events.CardDetails;
import dev.ngao.events.CardEvent;
import dev.ngao.events.CardEventType;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.ListDimension;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.ListKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RiskSignals;
import dev.ngao.events.RuleAction;
import dev.ngao.events.StatusTransition;
import dev.ngao.risk.internal.MerchantSlice;
import dev.ngao.risk.internal.RuleSetState;
import dev.ngao.rules.DefaultRuleSet;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.Interval;
import dev.ngao.rules.UsageKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static dev.ngao.risk.PaymentRequests.request;
import static dev.ngao.risk.topology.AccountStageTest.MORNING;
import static dev.ngao.risk.topology.AccountStageTest.TODAY;
import static dev.ngao.risk.topology.AccountStageTest.dailyKey;
import static dev.ngao.risk.topology.AccountStageTest.ruleIds;
import static dev.ngao.risk.topology.RiskDriver.rule;
import static dev.ngao.risk.topology.RiskDriver.shadow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Every stage and rule family through the whole topology: dimensions, releases, reviews, lists, rule sets. */
class EngineTest {

    private static final String MERCHANT = "merchant-1";
    private static final String DAILY_KES = "{\"interval\": \"DAY\", \"limits\": {\"KES\": 30000000}}";

    @TempDir
    Path stateDirectory;

    private RiskDriver risk;

    @BeforeEach
    void start() {
        risk = new RiskDriver(stateDirectory);
    }

    @AfterEach
    void stop() {
        risk.close();
    }

    private static PaymentRequest fromIp(String transactionId, String accountId, long amountMinor, String ip) {
        return PaymentRequest.newBuilder(request(transactionId, accountId, amountMinor, "KES", MORNING))
                .setSignals(RiskSignals.newBuilder().setClientIp(ip).setDeviceHash("device-" + accountId)
                        .setEmailHash("email-" + accountId).build())
                .build();
    }

    private void publishIpVelocity(RuleAction action) {
        risk.publish(MERCHANT, "velocity-v1",
                rule("daily", "limit", DAILY_KES, RuleAction.BLOCK),
                rule("ip-per-hour", "velocity-count",
                        "{\"dimension\": \"IP\", \"windowSeconds\": 3600, \"max\": 2}", action));
    }

    @Test
    void shouldCountAnIpAcrossAccountsInItsOwnStageUnderAtAndOver() {
        // Given at most 2 requests an hour from one IP, whatever the account
        publishIpVelocity(RuleAction.BLOCK);

        // When three accounts pay from the same IP
        RiskDecision first = risk.decide(fromIp("tx-1", "acct-a", 1_000L, "10.0.0.1"));
        RiskDecision second = risk.decide(fromIp("tx-2", "acct-b", 1_000L, "10.0.0.1"));
        RiskDecision third = risk.decide(fromIp("tx-3", "acct-c", 1_000L, "10.0.0.1"));
        RiskDecision otherIp = risk.decide(fromIp("tx-4", "acct-c", 1_000L, "10.0.0.2"));

        // Then under and at the limit pass, over it is declined by the IP stage, another IP is its own
        assertThat(first.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(second.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(third.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(third.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getRuleId()).isEqualTo("ip-per-hour");
            assertThat(reason.getRuleSetVersion()).isEqualTo("velocity-v1");
            assertThat(reason.getDimension()).isEqualTo("IP");
        });
        assertThat(third.getMerchantRuleSet()).isEqualTo(MERCHANT);
        assertThat(otherIp.getOutcome()).isEqualTo(Outcome.APPROVE);
    }

    @Test
    void shouldReleaseTheAccountReservationWhenADimensionRuleDeclines() {
        // Given an IP already at its limit
        publishIpVelocity(RuleAction.BLOCK);
        risk.decide(fromIp("tx-1", "acct-a", 1_000L, "10.0.0.1"));
        risk.decide(fromIp("tx-2", "acct-a", 2_000L, "10.0.0.1"));

        // When the account pays again from it: the account stage reserves, the IP stage blocks
        RiskDecision declined = risk.decide(fromIp("tx-3", "acct-a", 5_000L, "10.0.0.1"));

        // Then the decline released the account's reservation: only the two approvals stay reserved
        assertThat(declined.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(3_000L);
        assertThat(risk.transaction("tx-3").getCounters()).isEmpty();
    }

    @Test
    void shouldDeclineAtOnceWithoutAskingForBudgetWhenAnotherRuleDeclinesAnyway() {
        // Given a per-transaction limit of 1,000 KES and a merchant's daily limit
        risk.publish(MERCHANT, "merchant-v2",
                rule("per-transaction", "limit", "{\"interval\": \"PER_TRANSACTION\", \"limits\": {\"KES\": 1000}}",
                        RuleAction.BLOCK),
                rule("merchant-daily", "limit",
                        "{\"dimension\": \"MERCHANT\", \"interval\": \"DAY\", \"limits\": {\"KES\": 5000}}",
                        RuleAction.BLOCK));
        String merchantKey = new UsageKey(Dimension.MERCHANT, MERCHANT, "KES", Interval.DAY, ZoneId.of("UTC"), TODAY)
                .storeKey();

        // When a request over the per-transaction limit comes while the task holds no merchant budget yet
        RiskDecision declined = risk.decide(request("tx-1", "acct-a", 2_000L, "KES", MORNING));

        // Then it is declined without waiting for a refill, naming only the rule that declined it (the merchant's
        // limit has room, the task just holds no slice of it yet): no budget was asked of the merchant's owner
        assertThat(declined.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(declined)).containsExactly("per-transaction");
        assertThat(risk.escrowed(merchantKey)).isZero();
        assertThat(risk.transaction("tx-1").getWaiting()).isFalse();
    }

    @Test
    void shouldReserveAndReleaseAMerchantLimitOnTheTasksEscrowedSlice() {
        // Given a merchant limit of 5,000 KES a day, counted across all its accounts
        risk.publish(MERCHANT, "merchant-v1",
                rule("merchant-daily", "limit",
                        "{\"dimension\": \"MERCHANT\", \"interval\": \"DAY\", \"limits\": {\"KES\": 5000}}",
                        RuleAction.BLOCK));
        String merchantKey = new UsageKey(Dimension.MERCHANT, MERCHANT, "KES", Interval.DAY, ZoneId.of("UTC"), TODAY)
                .storeKey();

        // When two accounts reach the limit exactly, and a third goes over
        RiskDecision a = risk.decide(request("tx-1", "acct-a", 3_000L, "KES", MORNING));
        RiskDecision b = risk.decide(request("tx-2", "acct-b", 2_000L, "KES", MORNING));
        RiskDecision c = risk.decide(request("tx-3", "acct-c", 1L, "KES", MORNING));

        // Then the merchant counter holds exactly the limit and the third is declined by it
        assertThat(List.of(a.getOutcome(), b.getOutcome(), c.getOutcome()))
                .containsExactly(Outcome.APPROVE, Outcome.APPROVE, Outcome.DECLINE);
        assertThat(ruleIds(c)).containsExactly("merchant-daily");
        assertThat(risk.dimensionUsage(merchantKey)).isEqualTo(5_000L);
        // And the owner escrowed exactly the limit to the decision task's slice, never more
        assertThat(risk.escrowed(merchantKey)).isEqualTo(5_000L);

        // When the provider fails the first payment
        risk.providerOutcome("tx-1", ProviderStatus.FAILED, StatusTransition.APPLIED);

        // Then its reservation is released on the slice of the task that reserved it, and the room is there again
        assertThat(risk.dimensionUsage(merchantKey)).isEqualTo(2_000L);
        assertThat(risk.decide(request("tx-4", "acct-c", 3_000L, "KES", MORNING)).getOutcome())
                .isEqualTo(Outcome.APPROVE);
    }

    @Test
    void shouldDeclineForTheWaitNotTheLimitWhenTooManyRequestsAlreadyWaitForTheSlice() {
        // Given a merchant limit with room, whose slice here is empty, a refill under way and the waiting bound full
        risk.publish(MERCHANT, "merchant-v1",
                rule("merchant-daily", "limit",
                        "{\"dimension\": \"MERCHANT\", \"interval\": \"DAY\", \"limits\": {\"KES\": 5000}}",
                        RuleAction.BLOCK));
        String merchantKey = new UsageKey(Dimension.MERCHANT, MERCHANT, "KES", Interval.DAY, ZoneId.of("UTC"), TODAY)
                .storeKey();
        long periodStartMs = RiskDriver.periodStartMs(merchantKey);
        risk.<MerchantSlice>windowStore(RiskTopology.MERCHANT_SLICES_STORE).put(merchantKey, MerchantSlice.newBuilder()
                .setPeriodStartMs(periodStartMs).setLimitMinor(5_000L).setRefillOutstanding(true)
                .setWaiting(DecisionProcessor.MAXIMUM_WAITING).build(), periodStartMs);

        // When one more request needs that slice
        RiskDecision decision = risk.decide(request("tx-1", "acct-a", 100L, "KES", MORNING));

        // Then it is declined at once, for the wait (its own reason), not as if the limit were reached
        assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(decision)).containsExactly(DecisionProcessor.BUDGET_WAIT_BOUND_ID);
        assertThat(risk.store(RiskTopology.PARKED_REQUESTS_STORE).approximateNumEntries()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = ProviderStatus.class, names = {"FAILED", "EXPIRED", "REVERSED"})
    void shouldReleaseTheReservationWhenTheProviderEndsThePaymentWithoutMoney(ProviderStatus status) {
        // Given an approved and reserved payment
        risk.decide(request("tx-1", "acct-a", 4_000L, "KES", MORNING));
        risk.decide(request("tx-2", "acct-a", 1_000L, "KES", MORNING));

        // When the provider reports the terminal outcome, applied, then the same again
        assertThat(risk.providerOutcome("tx-1", status, StatusTransition.APPLIED)).isEmpty();
        risk.providerOutcome("tx-1", status, StatusTransition.APPLIED);

        // Then the reservation is released once, the other payment's stays
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(1_000L);
    }

    @Test
    void shouldReleaseTheApprovalWhenTheProvidersFailureWasReadBeforeIt() {
        // Given the provider's failure of tx-1 read before its decision (the lifecycle takes its inputs as they
        // come, so a decision may still be on its way)
        risk.providerOutcome("tx-1", ProviderStatus.FAILED, StatusTransition.APPLIED);

        // When the request is approved and reserved, and another one after it
        RiskDecision approved = risk.decide(request("tx-1", "acct-a", 4_000L, "KES", MORNING));
        risk.decide(request("tx-2", "acct-a", 1_000L, "KES", MORNING));

        // Then the approval was released as soon as it was read: only the other payment stays reserved
        assertThat(approved.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(1_000L);
    }

    @ParameterizedTest
    @EnumSource(value = StatusTransition.class, names = {"DUPLICATE_STATUS", "STALE", "CONFLICT"})
    void shouldKeepTheReservationWhenAProviderFailureWasNotApplied(StatusTransition transition) {
        risk.decide(request("tx-1", "acct-a", 4_000L, "KES", MORNING));

        risk.providerOutcome("tx-1", ProviderStatus.FAILED, transition);

        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(4_000L);
    }

    @Test
    void shouldKeepTheReservationWhenThePaymentSucceeds() {
        risk.decide(request("tx-1", "acct-a", 4_000L, "KES", MORNING));

        risk.providerOutcome("tx-1", ProviderStatus.PENDING, StatusTransition.APPLIED);
        risk.providerOutcome("tx-1", ProviderStatus.SUCCEEDED, StatusTransition.APPLIED);

        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(4_000L);
    }

    @Test
    void shouldReleaseUpToTheRefundedAmountWhenAPaymentIsRefunded() {
        // Given an approved payment of 10,000 in the account's day
        risk.decide(request("tx-1", "acct-a", 10_000L, "KES", MORNING));

        // When 4,000 of it is refunded, then 7,000 more (more than is left)
        RiskDecision refund = risk.decide(refundOf("tx-1", "refund-1", 4_000L));
        long afterFirstRefund = risk.accountUsage(dailyKey("acct-a", "KES", TODAY));
        risk.decide(refundOf("tx-1", "refund-2", 7_000L));

        // Then the refund is approved without reserving, and releases what it refunds, never below zero
        assertThat(refund.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(refund.getType()).isEqualTo(PaymentType.REFUND);
        assertThat(afterFirstRefund).isEqualTo(6_000L);
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isZero();
    }

    private static PaymentRequest refundOf(String original, String transactionId, long amountMinor) {
        return PaymentRequest.newBuilder(request(transactionId, "acct-a", amountMinor, "KES", MORNING.plusSeconds(600)))
                .setType(PaymentType.REFUND)
                .setOriginalTransactionId(original)
                .setRefundReason("REQUESTED_BY_CUSTOMER")
                .build();
    }

    private void publishReviewAbove(long amountMinor) {
        risk.publish(MERCHANT, "review-v1",
                rule("daily", "limit", DAILY_KES, RuleAction.BLOCK),
                rule("large-at-night", "off-hours",
                        "{\"zone\": \"UTC\", \"from\": \"00:00\", \"to\": \"23:59\", \"minimums\": {\"KES\": "
                                + amountMinor + "}}", RuleAction.REVIEW));
    }

    @Test
    void shouldQueueAReviewAndReleaseWhenTheAnalystDeclines() {
        // Given a rule sending large amounts to review
        publishReviewAbove(5_000L);

        // When a large payment arrives
        RiskDecision initial = risk.decide(request("tx-1", "acct-a", 8_000L, "KES", MORNING));

        // Then it is in review, queued, and its amount reserved meanwhile
        assertThat(initial.getOutcome()).isEqualTo(Outcome.REVIEW);
        assertThat(risk.store(RiskTopology.REVIEW_QUEUE_STORE).get("tx-1")).isNotNull();
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(8_000L);

        // When the analyst declines it, and then resolves it again
        List<RiskDecision> resolved = risk.resolve("tx-1", "resolution-1", Outcome.DECLINE);
        List<RiskDecision> again = risk.resolve("tx-1", "resolution-2", Outcome.APPROVE);

        // Then one REVIEW_RESOLUTION decision says DECLINE, the reservation is released, the queue is empty
        assertThat(resolved).singleElement().satisfies(decision -> {
            assertThat(decision.getKind()).isEqualTo(DecisionKind.REVIEW_RESOLUTION);
            assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
            assertThat(decision.getResolutionId()).isEqualTo("resolution-1");
            assertThat(ruleIds(decision)).containsExactly("large-at-night");
        });
        assertThat(again).isEmpty();
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isZero();
        assertThat(risk.store(RiskTopology.REVIEW_QUEUE_STORE).get("tx-1")).isNull();
    }

    @Test
    void shouldKeepTheReservationWhenTheAnalystApproves() {
        publishReviewAbove(5_000L);
        risk.decide(request("tx-1", "acct-a", 8_000L, "KES", MORNING));

        List<RiskDecision> resolved = risk.resolve("tx-1", "resolution-1", Outcome.APPROVE);

        assertThat(resolved).singleElement().satisfies(decision -> {
            assertThat(decision.getKind()).isEqualTo(DecisionKind.REVIEW_RESOLUTION);
            assertThat(decision.getOutcome()).isEqualTo(Outcome.APPROVE);
        });
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(8_000L);
        // An approved review is an approval: a provider failure releases it
        risk.providerOutcome("tx-1", ProviderStatus.EXPIRED, StatusTransition.APPLIED);
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isZero();
    }

    @Test
    void shouldAuditEveryAnalystResolutionAppliedOrRefused() {
        publishReviewAbove(5_000L);
        risk.decide(request("tx-1", "acct-a", 8_000L, "KES", MORNING));

        risk.resolve("tx-1", "resolution-1", Outcome.DECLINE);
        risk.resolve("tx-1", "resolution-2", Outcome.APPROVE);

        // Then audit.risk has the applied change and the refused one, each naming the analyst's key
        assertThat(risk.audit.readValuesToList()).satisfiesExactly(
                applied -> {
                    assertThat(applied.getAction()).isEqualTo(LifecycleProcessor.REVIEW_RESOLVED_ACTION);
                    assertThat(applied.getOutcome()).isEqualTo(AuditOutcome.SUCCESS);
                    assertThat(applied.getActor()).isEqualTo("analyst-key");
                    assertThat(applied.getSubjectId()).isEqualTo("tx-1");
                    assertThat(applied.getDetails()).containsEntry("resolutionId", "resolution-1")
                            .containsEntry("outcome", "DECLINE");
                },
                refused -> {
                    assertThat(refused.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
                    assertThat(refused.getDetails()).containsEntry("resolutionId", "resolution-2")
                            .containsEntry("result", "not in review");
                });
    }

    @Test
    void shouldApplyAResolutionReadBeforeItsReviewWhenTheReviewComes() {
        // Given a rule sending large amounts to review, and the analyst's DECLINE read before the review itself
        // (the lifecycle merges its inputs in timestamp order only as far as they are fetched)
        publishReviewAbove(5_000L);
        assertThat(risk.resolve("tx-1", "resolution-1", Outcome.DECLINE)).isEmpty();
        assertThat(risk.audit.readValuesToList()).isEmpty();

        // When the payment is decided REVIEW
        List<RiskDecision> written = risk.send(request("tx-1", "acct-a", 8_000L, "KES", MORNING));

        // Then the review is resolved at once: the INITIAL REVIEW, then the analyst's DECLINE, its reservation
        // released, the queue empty and the change audited
        assertThat(written).extracting(RiskDecision::getKind, RiskDecision::getOutcome).containsExactly(
                tuple(DecisionKind.INITIAL, Outcome.REVIEW), tuple(DecisionKind.REVIEW_RESOLUTION, Outcome.DECLINE));
        assertThat(written.get(1).getResolutionId()).isEqualTo("resolution-1");
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isZero();
        assertThat(risk.store(RiskTopology.REVIEW_QUEUE_STORE).get("tx-1")).isNull();
        assertThat(risk.audit.readValuesToList()).singleElement().satisfies(applied -> {
            assertThat(applied.getOutcome()).isEqualTo(AuditOutcome.SUCCESS);
            assertThat(applied.getDetails()).containsEntry("resolutionId", "resolution-1");
        });
    }

    @Test
    void shouldRefuseAnEarlyResolutionOfAPaymentThatWasNotSentToReview() {
        // Given a resolution read before its payment's decision, which turns out to be an approval
        assertThat(risk.resolve("tx-1", "resolution-1", Outcome.DECLINE)).isEmpty();

        RiskDecision decision = risk.decide(request("tx-1", "acct-a", 8_000L, "KES", MORNING));

        // Then the approval stands, reserved, and the resolution is refused on the audit trail
        assertThat(decision.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(8_000L);
        assertThat(risk.audit.readValuesToList()).singleElement().satisfies(refused -> {
            assertThat(refused.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
            assertThat(refused.getDetails()).containsEntry("resolutionId", "resolution-1")
                    .containsEntry("result", "not in review");
        });
    }

    @Test
    void shouldIgnoreAResolutionOfATransactionNotInReview() {
        risk.decide(request("tx-1", "acct-a", 8_000L, "KES", MORNING));

        assertThat(risk.resolve("tx-1", "resolution-1", Outcome.DECLINE)).isEmpty();
        assertThat(risk.resolve("tx-unknown", "resolution-2", Outcome.APPROVE)).isEmpty();
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(8_000L);
    }

    @Test
    void shouldRecordAShadowRuleWithoutEnforcingIt() {
        // Given a blocking rule in shadow mode beside the enforced limit
        risk.publish(MERCHANT, "shadow-v1",
                rule("daily", "limit", DAILY_KES, RuleAction.BLOCK),
                shadow("strict-daily", "limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": 100}}", RuleAction.BLOCK));

        // When a request the shadow rule would block arrives
        RiskDecision decision = risk.decide(request("tx-1", "acct-a", 5_000L, "KES", MORNING));

        // Then it is approved, the shadow hit recorded as such, and only the enforced limit reserved
        assertThat(decision.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(decision.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getRuleId()).isEqualTo("strict-daily");
            assertThat(reason.getShadow()).isTrue();
            assertThat(reason.getOutcome()).isEqualTo(Outcome.DECLINE);
        });
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(5_000L);
    }

    @Test
    void shouldApplyANewRuleSetWithoutRestartAndKeepTheLastGoodOneWhenABadOneIsPublished() {
        // Given the merchant's rule set v1 with a 10,000 KES daily limit
        risk.publish(MERCHANT, "v1", rule("daily", "limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": 10000}}",
                RuleAction.BLOCK));
        RiskDecision underV1 = risk.decide(request("tx-1", "acct-a", 20_000L, "KES", MORNING));

        // When v2 raises it to 50,000
        risk.publish(MERCHANT, "v2", rule("daily", "limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": 50000}}",
                RuleAction.BLOCK));
        RiskDecision underV2 = risk.decide(request("tx-2", "acct-a", 20_000L, "KES", MORNING));

        // When a bad v3 is published (unknown type, bad zone)
        risk.publish(MERCHANT, "v3",
                rule("daily", "limit", "{\"interval\": \"DAY\", \"zone\": \"Mars/Base\", \"limits\": {\"KES\": 1}}",
                        RuleAction.BLOCK),
                rule("mystery", "no-such-type", "{}", RuleAction.BLOCK));
        RiskDecision afterBad = risk.decide(request("tx-3", "acct-a", 20_000L, "KES", MORNING));

        // Then v1 declined, v2 applied at once, and the refused v3 left v2 in force, with every problem kept
        assertThat(underV1.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(underV1.getReasons().get(0).getRuleSetVersion()).isEqualTo("v1");
        assertThat(underV2.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(afterBad.getOutcome()).isEqualTo(Outcome.APPROVE);
        RuleSetState state = risk.ruleSetState(MERCHANT);
        assertThat(state.getGoodVersion()).isEqualTo("v2");
        assertThat(state.getRefusedVersion()).isEqualTo("v3");
        assertThat(state.getRefusedProblems()).anySatisfy(problem -> assertThat(problem).contains("mystery"));
        assertThat(state.getRefusedProblems()).anySatisfy(problem -> assertThat(problem).contains("daily"));
        // A fourth request breaks v2's 50,000 and names v2
        RiskDecision over = risk.decide(request("tx-4", "acct-a", 20_000L, "KES", MORNING));
        assertThat(over.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(over.getReasons().get(0).getRuleSetVersion()).isEqualTo("v2");
    }

    @Test
    void shouldUseAPublishedDefaultForMerchantsWithoutTheirOwn() {
        // Given a published default rule set with a tiny limit
        risk.publish("default", "default-v9", rule("tiny", "limit",
                "{\"interval\": \"PER_TRANSACTION\", \"limits\": {\"KES\": 10}}", RuleAction.BLOCK));

        RiskDecision decision = risk.decide(request("tx-1", "acct-a", 11L, "KES", MORNING));

        assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(decision.getMerchantRuleSet()).isEqualTo("default");
        assertThat(decision.getReasons().get(0).getRuleSetVersion()).isEqualTo("default-v9");
    }

    @Test
    void shouldRollTheDayOverAtMidnightInLimaForALimaLimit() {
        // Given a daily limit of 1,000 PEN in America/Lima (UTC-5)
        risk.publish(MERCHANT, "lima-v1", rule("lima-daily", "limit",
                "{\"interval\": \"DAY\", \"zone\": \"America/Lima\", \"limits\": {\"PEN\": 1000}}", RuleAction.BLOCK));
        Instant lastLimaMillisecond = Instant.parse("2026-03-11T04:59:59.999Z");

        // When the Lima day is filled at 23:59:59.999 Lima, then a request comes at 00:00 Lima
        RiskDecision fill = risk.decide(request("tx-1", "acct-a", 1_000L, "PEN", lastLimaMillisecond));
        RiskDecision over = risk.decide(request("tx-2", "acct-a", 1L, "PEN", lastLimaMillisecond));
        RiskDecision nextDay = risk.decide(request("tx-3", "acct-a", 1_000L, "PEN", Instant.parse("2026-03-11T05:00:00Z")));

        // Then the new Lima day starts empty (though the UTC day did not change)
        assertThat(List.of(fill.getOutcome(), over.getOutcome(), nextDay.getOutcome()))
                .containsExactly(Outcome.APPROVE, Outcome.DECLINE, Outcome.APPROVE);
        String limaDay = new UsageKey(Dimension.ACCOUNT, "acct-a", "PEN", Interval.DAY, ZoneId.of("America/Lima"),
                LocalDate.parse("2026-03-11")).storeKey();
        assertThat(risk.accountUsage(limaDay)).isEqualTo(1_000L);
    }

    private void listEntry(String key, ListKind kind, ListDimension dimension, String valueHash) {
        risk.lists.pipeInput(key, ListEntryChange.newBuilder()
                .setEntryId("entry-" + key)
                .setMerchantId(MERCHANT)
                .setList(kind)
                .setDimension(dimension)
                .setValueHash(valueHash)
                .setValue(dimension == ListDimension.IP || dimension == ListDimension.CIDR ? valueHash : null)
                .setReason("analyst said so")
                .setApiKeyId("key-1")
                .setChangedAt(RiskDriver.WALL_CLOCK_START)
                .build());
    }

    private void publishLists() {
        risk.publish(MERCHANT, "lists-v1",
                rule("daily", "limit", DAILY_KES, RuleAction.BLOCK),
                rule("blocked", "list", "{\"list\": \"BLOCK\"}", RuleAction.BLOCK),
                rule("allowed", "list", "{\"list\": \"ALLOW\"}", RuleAction.ALLOW),
                rule("large", "off-hours", "{\"zone\": \"UTC\", \"from\": \"00:00\", \"to\": \"23:59\", "
                        + "\"minimums\": {\"KES\": 5000}}", RuleAction.REVIEW));
    }

    @Test
    void shouldLetAnAllowEntryOverrideReviewButNeverABlockEntryOrAHardLimit() {
        // Given the lists and a review rule for large amounts
        publishLists();
        listEntry("allow-email-a", ListKind.ALLOW, ListDimension.EMAIL, "email-acct-a");
        listEntry("allow-email-b", ListKind.ALLOW, ListDimension.EMAIL, "email-acct-b");
        listEntry("block-ip", ListKind.BLOCK, ListDimension.CIDR, "10.9.0.0/16");

        // When an allowed payer pays a large amount; an allowed payer pays from a blocked range; an allowed
        // payer breaks the daily limit; a payer not listed pays a large amount
        RiskDecision allowedLarge = risk.decide(fromIp("tx-1", "acct-a", 8_000L, "10.0.0.1"));
        RiskDecision allowedBlocked = risk.decide(fromIp("tx-2", "acct-b", 8_000L, "10.9.3.4"));
        RiskDecision allowedOverLimit = risk.decide(fromIp("tx-3", "acct-a", 30_000_000L, "10.0.0.1"));
        RiskDecision unlisted = risk.decide(fromIp("tx-4", "acct-c", 8_000L, "10.0.0.1"));

        // Then allow beats review only
        assertThat(allowedLarge.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(ruleIds(allowedLarge)).containsExactlyInAnyOrder("allowed", "large");
        assertThat(allowedBlocked.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(allowedBlocked)).contains("blocked");
        assertThat(allowedOverLimit.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(unlisted.getOutcome()).isEqualTo(Outcome.REVIEW);
    }

    @Test
    void shouldStopApplyingAListEntryOnceItIsRemoved() {
        publishLists();
        listEntry("block-email-a", ListKind.BLOCK, ListDimension.EMAIL, "email-acct-a");
        assertThat(risk.decide(fromIp("tx-1", "acct-a", 100L, "10.0.0.1")).getOutcome()).isEqualTo(Outcome.DECLINE);

        risk.lists.pipeInput("block-email-a", (ListEntryChange) null);

        assertThat(risk.decide(fromIp("tx-2", "acct-a", 100L, "10.0.0.1")).getOutcome()).isEqualTo(Outcome.APPROVE);
    }

    @Test
    void shouldDeclineACardRequestWhenTheCardIsFrozenAndApproveItOnceUnfrozen() {
        // Given a card issued, loaded (every card is prepaid), then frozen
        risk.cards.pipeInput("card-1", cardEvent(CardEventType.ISSUED));
        risk.decide(CardFundsTest.load("load-1", "card-1", 10_000L, MORNING));
        risk.cards.pipeInput("card-1", cardEvent(CardEventType.FROZEN));

        // When it is used, then unfrozen and used again (built-in default: card-state)
        RiskDecision frozen = risk.decide(cardRequest("tx-1"));
        risk.cards.pipeInput("card-1", cardEvent(CardEventType.UNFROZEN));
        RiskDecision unfrozen = risk.decide(cardRequest("tx-2"));

        assertThat(frozen.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(frozen)).containsExactly(DefaultRuleSet.CARD_STATE);
        assertThat(unfrozen.getOutcome()).isEqualTo(Outcome.APPROVE);
    }

    private static PaymentRequest cardRequest(String transactionId) {
        return PaymentRequest.newBuilder(request(transactionId, "card-1", 1_000L, "KES", MORNING))
                .setType(PaymentType.CARD_AUTHORIZATION)
                .setAccountKind(AccountKind.CARD)
                .setCard(new CardDetails("card-1", "5411", "KE"))
                .build();
    }

    private static CardEvent cardEvent(CardEventType type) {
        return CardEvent.newBuilder()
                .setEventId("card-event-" + type)
                .setType(type)
                .setCardId("card-1")
                .setMerchantId(MERCHANT)
                .setCardholderHash("holder-hash")
                .setCurrency("KES")
                .setApiKeyId("key-1")
                .setOccurredAt(RiskDriver.WALL_CLOCK_START)
                .setKycStatus(type == CardEventType.ISSUED ? "VERIFIED" : null)
                .setExpiresAt(type == CardEventType.ISSUED ? Instant.parse("2029-12-31T23:59:59Z") : null)
                .build();
    }

    static List<String> reasonsOf(RiskDecision decision) {
        return decision.getReasons().stream().map(DecisionReason::getMessage).toList();
    }
}
