package dev.ngao.risk.topology;

import dev.ngao.events.AccountKind;
import dev.ngao.events.AuthorizationDecider;
import dev.ngao.events.CardDetails;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleAction;
import dev.ngao.events.StatusTransition;
import dev.ngao.risk.internal.MerchantSlice;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.Interval;
import dev.ngao.rules.UsageKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

import static dev.ngao.risk.PaymentRequests.request;
import static dev.ngao.risk.topology.AccountStageTest.MORNING;
import static dev.ngao.risk.topology.AccountStageTest.TODAY;
import static dev.ngao.risk.topology.AccountStageTest.dailyKey;
import static dev.ngao.risk.topology.RiskDriver.rule;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What ingest-service answered the card network is final: risk follows it (one AUTHORIZATION_ANSWER decision,
 * and the reservation released or made), whichever of the answer and risk's decision is read first.
 */
class CardAnswerTest {

    private static final String MERCHANT = "merchant-1";
    private static final String CARD = "card-1";
    private static final String ACCOUNT_DAILY = "{\"interval\": \"DAY\", \"limits\": {\"KES\": 1000}}";
    private static final String MERCHANT_DAILY =
            "{\"dimension\": \"MERCHANT\", \"interval\": \"DAY\", \"limits\": {\"KES\": 5000}}";

    @TempDir
    Path stateDirectory;

    private RiskDriver risk;

    @BeforeEach
    void start() {
        risk = new RiskDriver(stateDirectory);
        risk.publish(MERCHANT, "cards-v1",
                rule("card-daily", "limit", ACCOUNT_DAILY, RuleAction.BLOCK),
                rule("merchant-daily", "limit", MERCHANT_DAILY, RuleAction.BLOCK),
                rule("large", "off-hours", "{\"zone\": \"UTC\", \"from\": \"00:00\", \"to\": \"23:59\", "
                        + "\"minimums\": {\"KES\": 900}}", RuleAction.REVIEW));
    }

    @AfterEach
    void stop() {
        // Nothing failed on the way (a failed command is dead-lettered, not thrown, by the driver's handler)
        assertThat(risk.deadLetters.isEmpty()).isTrue();
        risk.close();
    }

    private static PaymentRequest authorization(String transactionId, long amountMinor) {
        return PaymentRequest.newBuilder(request(transactionId, CARD, amountMinor, "KES", MORNING))
                .setType(PaymentType.CARD_AUTHORIZATION)
                .setAccountKind(AccountKind.CARD)
                .setCard(new CardDetails(CARD, "5411", "KE"))
                .build();
    }

    private long cardUsage() {
        return risk.accountUsage(dailyKey(CARD, "KES", TODAY));
    }

    private static String merchantKey() {
        return new UsageKey(Dimension.MERCHANT, MERCHANT, "KES", Interval.DAY, ZoneId.of("UTC"), TODAY).storeKey();
    }

    private MerchantSlice merchantSlice() {
        return risk.<MerchantSlice>windowStore(RiskTopology.MERCHANT_SLICES_STORE)
                .fetch(merchantKey(), RiskDriver.periodStartMs(merchantKey()));
    }

    @Test
    void shouldReleaseAnApprovalWhenTheTimeoutDefaultAnsweredDecline() {
        // Given an authorization risk approved (late: the network was already answered by the default)
        PaymentRequest late = authorization("tx-1", 400L);
        assertThat(risk.decide(late).getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(cardUsage()).isEqualTo(400L);

        // When the answer the network got is read: DECLINE, by the timeout default
        List<RiskDecision> followed = risk.answer(late, Outcome.DECLINE, AuthorizationDecider.TIMEOUT_DEFAULT, null);

        // Then risk's final decision is the network's, and nothing stays reserved
        assertThat(followed).singleElement().satisfies(decision -> {
            assertThat(decision.getKind()).isEqualTo(DecisionKind.AUTHORIZATION_ANSWER);
            assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
            assertThat(decision.getReasons()).anySatisfy(reason ->
                    assertThat(reason.getRuleId()).isEqualTo(Decisions.NETWORK_ANSWER_REASON_ID));
        });
        assertThat(cardUsage()).isZero();
        assertThat(merchantSlice().getUsedMinor()).isZero();

        // And the same answer read again changes nothing
        assertThat(risk.answer(late, Outcome.DECLINE, AuthorizationDecider.TIMEOUT_DEFAULT, null)).isEmpty();
        assertThat(cardUsage()).isZero();
    }

    @Test
    void shouldFollowAnAnswerReadBeforeRisksDecision() {
        // Given the network answered DECLINE by the default before risk decided
        PaymentRequest late = authorization("tx-1", 400L);
        assertThat(risk.answer(late, Outcome.DECLINE, AuthorizationDecider.TIMEOUT_DEFAULT, null)).isEmpty();

        // When risk decides it, approving
        List<RiskDecision> written = risk.send(late);

        // Then its approval is followed at once by the network's answer, and nothing stays reserved
        assertThat(written).extracting(RiskDecision::getKind, RiskDecision::getOutcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(DecisionKind.INITIAL, Outcome.APPROVE),
                org.assertj.core.groups.Tuple.tuple(DecisionKind.AUTHORIZATION_ANSWER, Outcome.DECLINE));
        assertThat(cardUsage()).isZero();
    }

    @Test
    void shouldReserveADeclineTheNetworkWasAnsweredApproveForAndReleaseItWhenTheNetworkFailsIt() {
        // Given an authorization over the card's daily limit, declined by risk
        PaymentRequest over = authorization("tx-1", 1_500L);
        assertThat(risk.decide(over).getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(cardUsage()).isZero();

        // When the network was answered APPROVE by the timeout default
        List<RiskDecision> followed = risk.answer(over, Outcome.APPROVE, AuthorizationDecider.TIMEOUT_DEFAULT, null);

        // Then risk's final decision approves, and the money counts on every counter, beyond the limit: it is spent
        assertThat(followed).singleElement().satisfies(decision -> {
            assertThat(decision.getKind()).isEqualTo(DecisionKind.AUTHORIZATION_ANSWER);
            assertThat(decision.getOutcome()).isEqualTo(Outcome.APPROVE);
        });
        assertThat(cardUsage()).isEqualTo(1_500L);
        assertThat(merchantSlice().getUsedMinor()).isEqualTo(1_500L);
        // The slice took it as granted too: the owner's budget for risk's own approvals is untouched
        assertThat(merchantSlice().getGrantedMinor() - merchantSlice().getUsedMinor()).isZero();
        assertThat(risk.escrowed(merchantKey())).isZero();
        // And the next authorization finds the card's day spent
        assertThat(risk.decide(authorization("tx-2", 100L)).getOutcome()).isEqualTo(Outcome.DECLINE);

        // When the network fails it afterwards
        risk.providerOutcome("tx-1", ProviderStatus.FAILED, StatusTransition.APPLIED);

        // Then it is released like any approval, grant included
        assertThat(cardUsage()).isZero();
        assertThat(merchantSlice().getUsedMinor()).isZero();
        assertThat(merchantSlice().getGrantedMinor()).isZero();
    }

    @Test
    void shouldReleaseTheNetworksApprovalWhenTheLedgerThenRefusesItForWantOfFunds() {
        // Given a decline the network was answered APPROVE for, so risk reserved it
        PaymentRequest over = authorization("tx-1", 1_500L);
        risk.decide(over);
        risk.answer(over, Outcome.APPROVE, AuthorizationDecider.TIMEOUT_DEFAULT, null);
        assertThat(cardUsage()).isEqualTo(1_500L);

        // When the ledger refuses the hold (the card lacks the funds)
        List<RiskDecision> refused = risk.refuse("tx-1");

        // Then the approval that stood ends declined, and what it reserved is given back
        assertThat(refused).singleElement().satisfies(decision -> {
            assertThat(decision.getKind()).isEqualTo(DecisionKind.LEDGER_REFUSAL);
            assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        });
        assertThat(cardUsage()).isZero();
        assertThat(merchantSlice().getUsedMinor()).isZero();
    }

    @Test
    void shouldCloseAReviewAnsweredDeclineAndIgnoreALaterResolution() {
        // Given an authorization risk sent to review (held meanwhile), which ingest answered DECLINE
        PaymentRequest large = authorization("tx-1", 950L);
        assertThat(risk.decide(large).getOutcome()).isEqualTo(Outcome.REVIEW);
        assertThat(cardUsage()).isEqualTo(950L);

        List<RiskDecision> followed = risk.answer(large, Outcome.DECLINE, AuthorizationDecider.RISK, Outcome.REVIEW);

        // Then the review is closed with the network's DECLINE and the hold released
        assertThat(followed).singleElement().satisfies(decision -> {
            assertThat(decision.getKind()).isEqualTo(DecisionKind.AUTHORIZATION_ANSWER);
            assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        });
        assertThat(risk.store(RiskTopology.REVIEW_QUEUE_STORE).get("tx-1")).isNull();
        assertThat(cardUsage()).isZero();

        // And an analyst approving it later changes nothing: the network was told DECLINE
        assertThat(risk.resolve("tx-1", "resolution-1", Outcome.APPROVE)).isEmpty();
        assertThat(cardUsage()).isZero();
    }

    @Test
    void shouldChangeNothingWhenTheAnswerIsRisksOwn() {
        PaymentRequest small = authorization("tx-1", 400L);
        risk.decide(small);

        assertThat(risk.answer(small, Outcome.APPROVE, AuthorizationDecider.RISK, Outcome.APPROVE)).isEmpty();
        assertThat(cardUsage()).isEqualTo(400L);
        // The approval is still released by a provider failure
        risk.providerOutcome("tx-1", ProviderStatus.FAILED, StatusTransition.APPLIED);
        assertThat(cardUsage()).isZero();
    }
}
