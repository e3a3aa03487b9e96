package dev.ngao.notifier;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StatusTransition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FinalStatusesTest {

    @Test
    void shouldBeFinalWithTheDecidingReasonsWhenRiskDeclines() {
        // Given
        RiskDecision decision = Events.decision("txn-1", "acme", Outcome.DECLINE,
                Events.reason("per-transaction-limit", Outcome.DECLINE, "amount above the per-transaction limit", false),
                Events.reason("velocity-shadow", Outcome.DECLINE, "shadow rule", true),
                Events.reason("off-hours", Outcome.REVIEW, "outside business hours", false));

        // When
        FinalStatusEvent status = FinalStatuses.of(decision).orElseThrow();

        // Then
        assertThat(status.status()).isEqualTo(FinalStatus.DECLINED);
        assertThat(status.reason()).isEqualTo("amount above the per-transaction limit");
        assertThat(status.occurredAt()).isEqualTo(decision.getDecidedAt());
    }

    @Test
    void shouldNotBeFinalWhenRiskApprovesOrReviews() {
        assertThat(FinalStatuses.of(Events.decision("txn-1", "acme", Outcome.APPROVE))).isEmpty();
        assertThat(FinalStatuses.of(Events.decision("txn-1", "acme", Outcome.REVIEW))).isEmpty();
        RiskDecision approvedOnReview = Events.decision("txn-1", "acme", Outcome.APPROVE);
        approvedOnReview.setKind(DecisionKind.REVIEW_RESOLUTION);
        assertThat(FinalStatuses.of(approvedOnReview)).isEmpty();
    }

    @Test
    void shouldAskForTheChallengeAtOnceAndTellTheDeclineOfAFailedOne() {
        // Given a payment risk challenged until a deadline
        RiskDecision challenge = Events.decision("txn-1", "acme", Outcome.CHALLENGE);
        challenge.setChallengeExpiresAt(challenge.getDecidedAt().plusSeconds(600));

        // When the notifier reads it, and then the challenge's failed result
        FinalStatusEvent required = FinalStatuses.of(challenge).orElseThrow();
        RiskDecision failed = Events.decision("txn-1", "acme", Outcome.DECLINE);
        failed.setKind(DecisionKind.CHALLENGE_RESULT);
        failed.setChallengeExpiresAt(challenge.getChallengeExpiresAt());

        // Then the merchant is asked to complete it, where and by when; then told the decline, another webhook
        assertThat(required.status()).isEqualTo(FinalStatus.CHALLENGE_REQUIRED);
        assertThat(required.reason()).contains("/v1/payments/txn-1/challenge", challenge.getChallengeExpiresAt().toString());
        assertThat(FinalStatuses.of(failed).orElseThrow().status()).isEqualTo(FinalStatus.DECLINED);
        assertThat(required.webhookId()).isNotEqualTo(FinalStatuses.of(failed).orElseThrow().webhookId());
        // And a passed one is not final, nor a card authorization's challenge (the network was answered DECLINE)
        RiskDecision passed = Events.decision("txn-1", "acme", Outcome.APPROVE);
        passed.setKind(DecisionKind.CHALLENGE_RESULT);
        assertThat(FinalStatuses.of(passed)).isEmpty();
        challenge.setType(dev.ngao.events.PaymentType.CARD_AUTHORIZATION);
        assertThat(FinalStatuses.of(challenge)).isEmpty();
    }

    @Test
    void shouldBeFinalWhenAReviewIsResolvedAsDecline() {
        RiskDecision declinedOnReview = Events.decision("txn-1", "acme", Outcome.DECLINE);
        declinedOnReview.setKind(DecisionKind.REVIEW_RESOLUTION);

        FinalStatusEvent status = FinalStatuses.of(declinedOnReview).orElseThrow();

        assertThat(status.status()).isEqualTo(FinalStatus.DECLINED);
        assertThat(status.reason()).isNull();
    }

    @Test
    void shouldBeFinalWhenTheProviderAppliesAnEndStatus() {
        assertThat(FinalStatuses.of(Events.providerEvent("txn-1", "e1", ProviderStatus.SUCCEEDED)))
                .map(FinalStatusEvent::status).contains(FinalStatus.SUCCEEDED);
        assertThat(FinalStatuses.of(Events.providerEvent("txn-1", "e1", ProviderStatus.FAILED)))
                .map(FinalStatusEvent::status).contains(FinalStatus.FAILED);
        assertThat(FinalStatuses.of(Events.providerEvent("txn-1", "e1", ProviderStatus.EXPIRED)))
                .map(FinalStatusEvent::status).contains(FinalStatus.EXPIRED);
        assertThat(FinalStatuses.of(Events.providerEvent("txn-1", "e1", ProviderStatus.REVERSED)))
                .map(FinalStatusEvent::status).contains(FinalStatus.REVERSED);
    }

    @Test
    void shouldNotBeFinalWhenPendingUnknownOrNotApplied() {
        assertThat(FinalStatuses.of(Events.providerEvent("txn-1", "e1", ProviderStatus.PENDING))).isEmpty();
        assertThat(FinalStatuses.of(Events.providerEvent("txn-1", "e1", ProviderStatus.UNKNOWN))).isEmpty();
        for (StatusTransition transition : new StatusTransition[]{StatusTransition.DUPLICATE_STATUS,
                StatusTransition.STALE, StatusTransition.CONFLICT}) {
            ProviderEvent event = Events.providerEvent("txn-1", "e1", ProviderStatus.SUCCEEDED);
            event.setTransition(transition);
            assertThat(FinalStatuses.of(event)).as("transition %s", transition).isEmpty();
        }
    }

    @Test
    void shouldGiveOneWebhookIdPerTransactionAndStatusWhenSeenTwice() {
        FinalStatusEvent first = FinalStatuses.of(Events.providerEvent("txn-1", "e1", ProviderStatus.SUCCEEDED))
                .orElseThrow();
        FinalStatusEvent copy = FinalStatuses.of(Events.providerEvent("txn-1", "e2", ProviderStatus.SUCCEEDED))
                .orElseThrow();
        FinalStatusEvent reversal = FinalStatuses.of(Events.providerEvent("txn-1", "e3", ProviderStatus.REVERSED))
                .orElseThrow();

        assertThat(first.webhookId()).isEqualTo(copy.webhookId()).startsWith("msg_");
        assertThat(WebhookIds.looksValid(first.webhookId())).isTrue();
        assertThat(reversal.webhookId()).isNotEqualTo(first.webhookId());
    }
}
