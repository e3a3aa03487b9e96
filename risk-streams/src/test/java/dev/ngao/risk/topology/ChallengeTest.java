package dev.ngao.risk.topology;

import dev.ngao.events.AccountKind;
import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuthorizationDecider;
import dev.ngao.events.CardDetails;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleAction;
import dev.ngao.events.StatusTransition;
import dev.ngao.rules.RuleSetCompiler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.ngao.risk.PaymentRequests.request;
import static dev.ngao.risk.topology.AccountStageTest.MORNING;
import static dev.ngao.risk.topology.AccountStageTest.TODAY;
import static dev.ngao.risk.topology.AccountStageTest.dailyKey;
import static dev.ngao.risk.topology.RiskDriver.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The step-up outcome: a CHALLENGE holds like a review and ends in one CHALLENGE_RESULT, passed, failed or expired. */
class ChallengeTest {

    private static final String MERCHANT = "merchant-1";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path stateDirectory;

    private RiskDriver risk;

    @AfterEach
    void stop() {
        assertThat(risk.deadLetters.isEmpty()).isTrue();
        risk.close();
    }

    /** A daily limit, and a step-up for any amount of 5,000 minor units or more. */
    private void startChallengingAbove(long amountMinor) {
        risk = new RiskDriver(stateDirectory, TopologyOptions.defaults(RiskDriver.BUILT_IN,
                new RuleSetCompiler()::compile, 1).withChallengeTimeout(TIMEOUT));
        risk.publish(MERCHANT, "step-up-v1",
                rule("daily", "limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": 30000000}}", RuleAction.BLOCK),
                rule("large-step-up", "off-hours", "{\"zone\": \"UTC\", \"from\": \"00:00\", \"to\": \"23:59\", "
                        + "\"minimums\": {\"KES\": " + amountMinor + "}}", RuleAction.CHALLENGE));
    }

    private long reserved() {
        return risk.accountUsage(dailyKey("acct-a", "KES", TODAY));
    }

    @Test
    void shouldHoldAChallengeAndApproveItWhenThePayerPasses() {
        // Given a rule asking for a step-up above 5,000
        startChallengingAbove(5_000L);

        // When a large payment arrives
        RiskDecision initial = risk.decide(request("tx-1", "acct-a", 8_000L, "KES", MORNING));

        // Then it is challenged until the timeout, queued, and its amount reserved meanwhile
        assertThat(initial.getOutcome()).isEqualTo(Outcome.CHALLENGE);
        assertThat(initial.getKind()).isEqualTo(DecisionKind.INITIAL);
        assertThat(initial.getChallengeExpiresAt()).isEqualTo(initial.getDecidedAt().plus(TIMEOUT));
        assertThat(initial.getReasons()).extracting(DecisionReason::getRuleId, DecisionReason::getOutcome)
                .containsExactly(tuple("large-step-up", Outcome.CHALLENGE));
        assertThat(risk.store(RiskTopology.CHALLENGE_QUEUE_STORE).get("tx-1")).isNotNull();
        assertThat(reserved()).isEqualTo(8_000L);

        // When the merchant posts a passed verification, and then another result
        List<RiskDecision> passed = risk.completeChallenge("tx-1", "chl-1", Outcome.APPROVE, RiskDriver.WALL_CLOCK_START);
        List<RiskDecision> again = risk.completeChallenge("tx-1", "chl-2", Outcome.DECLINE, RiskDriver.WALL_CLOCK_START);

        // Then one CHALLENGE_RESULT approves it, keeping the reservation; the second result changes nothing
        assertThat(passed).singleElement().satisfies(decision -> {
            assertThat(decision.getKind()).isEqualTo(DecisionKind.CHALLENGE_RESULT);
            assertThat(decision.getOutcome()).isEqualTo(Outcome.APPROVE);
            assertThat(decision.getResolutionId()).isEqualTo("chl-1");
        });
        assertThat(again).isEmpty();
        assertThat(reserved()).isEqualTo(8_000L);
        assertThat(risk.store(RiskTopology.CHALLENGE_QUEUE_STORE).get("tx-1")).isNull();
        // And a passed challenge is an approval: a provider failure releases it
        risk.providerOutcome("tx-1", ProviderStatus.FAILED, StatusTransition.APPLIED);
        assertThat(reserved()).isZero();
    }

    @Test
    void shouldDeclineAndReleaseWhenThePayerFailsAndAuditTheResult() {
        startChallengingAbove(5_000L);
        risk.decide(request("tx-1", "acct-a", 8_000L, "KES", MORNING));

        List<RiskDecision> failed = risk.completeChallenge("tx-1", "chl-1", Outcome.DECLINE, RiskDriver.WALL_CLOCK_START);

        assertThat(failed).singleElement().satisfies(decision -> {
            assertThat(decision.getKind()).isEqualTo(DecisionKind.CHALLENGE_RESULT);
            assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
            assertThat(decision.getResolutionId()).isEqualTo("chl-1");
            assertThat(decision.getReasons()).extracting(DecisionReason::getRuleId, DecisionReason::getOutcome)
                    .containsExactly(tuple("large-step-up", Outcome.CHALLENGE),
                            tuple(Decisions.CHALLENGE_FAILED_REASON_ID, Outcome.DECLINE));
        });
        assertThat(reserved()).isZero();
        assertThat(risk.audit.readValuesToList()).singleElement().satisfies(applied -> {
            assertThat(applied.getAction()).isEqualTo(LifecycleProcessor.CHALLENGE_COMPLETED_ACTION);
            assertThat(applied.getOutcome()).isEqualTo(AuditOutcome.SUCCESS);
            assertThat(applied.getActor()).isEqualTo("merchant-key");
            assertThat(applied.getDetails()).containsEntry("resolutionId", "chl-1").containsEntry("outcome", "DECLINE");
        });
    }

    @Test
    void shouldDeclineAChallengeNotCompletedInTimeAndRefuseALateResult() {
        // Given a challenged payment
        startChallengingAbove(5_000L);
        RiskDecision initial = risk.decide(request("tx-1", "acct-a", 8_000L, "KES", MORNING));

        // When time passes, beyond the timeout but within the grace a result in flight has, and then beyond both
        risk.advanceWallClock(TIMEOUT.plus(LifecycleProcessor.CHALLENGE_RESULT_GRACE).minusSeconds(10));
        List<RiskDecision> beforeTimeout = risk.decisions();
        risk.advanceWallClock(Duration.ofSeconds(20));
        List<RiskDecision> afterTimeout = risk.decisions();

        // Then nothing happens before; after, one CHALLENGE_RESULT declines it for want of a result, releasing it
        assertThat(beforeTimeout).isEmpty();
        assertThat(afterTimeout).singleElement().satisfies(decision -> {
            assertThat(decision.getKind()).isEqualTo(DecisionKind.CHALLENGE_RESULT);
            assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
            assertThat(decision.getResolutionId()).isNull();
            assertThat(decision.getReasons()).extracting(DecisionReason::getRuleId)
                    .containsExactly("large-step-up", Decisions.CHALLENGE_EXPIRED_REASON_ID);
        });
        assertThat(reserved()).isZero();

        // And a result posted afterwards is refused: the payment stays declined
        assertThat(risk.completeChallenge("tx-1", "chl-1", Outcome.APPROVE, initial.getChallengeExpiresAt()))
                .isEmpty();
        assertThat(reserved()).isZero();
        assertThat(risk.audit.readValuesToList()).singleElement().satisfies(refused -> {
            assertThat(refused.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
            assertThat(refused.getDetails()).containsEntry("result", "not in challenge");
        });
    }

    @Test
    void shouldApplyAResultPostedBeforeTheExpiryAndReadAfterIt() {
        // Given a challenge whose result was posted just before its expiry
        startChallengingAbove(5_000L);
        RiskDecision initial = risk.decide(request("tx-1", "acct-a", 8_000L, "KES", MORNING));

        // When the result is read after the expiry, within the grace
        risk.advanceWallClock(TIMEOUT.plusSeconds(10));
        List<RiskDecision> written = risk.completeChallenge("tx-1", "chl-1", Outcome.APPROVE,
                initial.getChallengeExpiresAt().minusMillis(1));

        // Then it decides: approved, and the sweep declines nothing afterwards
        assertThat(written).singleElement().satisfies(decision -> {
            assertThat(decision.getKind()).isEqualTo(DecisionKind.CHALLENGE_RESULT);
            assertThat(decision.getOutcome()).isEqualTo(Outcome.APPROVE);
        });
        risk.advanceWallClock(LifecycleProcessor.CHALLENGE_RESULT_GRACE.multipliedBy(2));
        assertThat(risk.decisions()).isEmpty();
        assertThat(reserved()).isEqualTo(8_000L);
    }

    @Test
    void shouldExpireAtOnceAResultPostedAfterTheExpiryButReadBeforeTheSweep() {
        startChallengingAbove(5_000L);
        RiskDecision initial = risk.decide(request("tx-1", "acct-a", 8_000L, "KES", MORNING));

        List<RiskDecision> written = risk.completeChallenge("tx-1", "chl-1", Outcome.APPROVE,
                initial.getChallengeExpiresAt().plusMillis(1));

        assertThat(written).singleElement().satisfies(decision -> {
            assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
            assertThat(decision.getResolutionId()).isNull();
        });
        assertThat(reserved()).isZero();
        risk.advanceWallClock(TIMEOUT.multipliedBy(2));
        assertThat(risk.decisions()).isEmpty();
    }

    @Test
    void shouldApplyAResultReadBeforeItsChallengeAndKeepReviewsAndChallengesApart() {
        // Given a challenge's result read before the decision (the lifecycle merges inputs only as fetched)
        startChallengingAbove(5_000L);
        assertThat(risk.completeChallenge("tx-1", "chl-1", Outcome.APPROVE, RiskDriver.WALL_CLOCK_START)).isEmpty();

        // When the payment is challenged
        List<RiskDecision> written = risk.send(request("tx-1", "acct-a", 8_000L, "KES", MORNING));

        // Then the challenge is completed at once
        assertThat(written).extracting(RiskDecision::getKind, RiskDecision::getOutcome).containsExactly(
                tuple(DecisionKind.INITIAL, Outcome.CHALLENGE), tuple(DecisionKind.CHALLENGE_RESULT, Outcome.APPROVE));

        // And an analyst's resolution cannot complete a challenge
        risk.decide(request("tx-2", "acct-a", 9_000L, "KES", MORNING));
        assertThat(risk.resolve("tx-2", "resolution-1", Outcome.APPROVE)).isEmpty();
        assertThat(risk.store(RiskTopology.CHALLENGE_QUEUE_STORE).get("tx-2")).isNotNull();
        assertThat(risk.audit.readValuesToList()).last().satisfies(refused -> {
            assertThat(refused.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
            assertThat(refused.getDetails()).containsEntry("result", "not in review");
        });
    }

    @Test
    void shouldCloseACardAuthorizationChallengeWithTheNetworksDecline() {
        // Given a card authorization risk challenged, which ingest answered DECLINE within the network's deadline
        startChallengingAbove(900L);
        PaymentRequest authorization = PaymentRequest.newBuilder(request("tx-1", "card-1", 950L, "KES", MORNING))
                .setType(PaymentType.CARD_AUTHORIZATION)
                .setAccountKind(AccountKind.CARD)
                .setCard(new CardDetails("card-1", "5411", "KE"))
                .build();
        assertThat(risk.decide(authorization).getOutcome()).isEqualTo(Outcome.CHALLENGE);
        assertThat(risk.accountUsage(dailyKey("card-1", "KES", TODAY))).isEqualTo(950L);

        List<RiskDecision> followed = risk.answer(authorization, Outcome.DECLINE, AuthorizationDecider.RISK,
                Outcome.CHALLENGE);

        // Then the challenge ends with the network's DECLINE, released, and never expires afterwards
        assertThat(followed).singleElement().satisfies(decision -> {
            assertThat(decision.getKind()).isEqualTo(DecisionKind.AUTHORIZATION_ANSWER);
            assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        });
        assertThat(risk.accountUsage(dailyKey("card-1", "KES", TODAY))).isZero();
        risk.advanceWallClock(TIMEOUT.multipliedBy(2));
        assertThat(risk.decisions()).isEmpty();
        assertThat(risk.store(RiskTopology.CHALLENGE_QUEUE_STORE).get("tx-1")).isNull();
    }
}
