package dev.ngao.notifier;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StatusTransition;

import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which events are a transaction's final status. From risk: a DECLINE, initial or the resolution of a
 * review or a challenge (an APPROVE or a REVIEW is not final: the provider's outcome or an analyst comes next),
 * and an INITIAL CHALLENGE, which is not final but asks the merchant to act before it expires (a card
 * authorization's excepted: the network was already answered DECLINE). From the
 * provider: SUCCEEDED, FAILED, EXPIRED and REVERSED, when ingest applied them to the transaction (a
 * duplicate, stale or conflicting status changed nothing, so it tells the merchant nothing new); PENDING
 * and UNKNOWN are not final.
 */
public final class FinalStatuses {

    /** Reasons are joined for the payload; a long list is cut, the merchant can ask for the rest. */
    static final int MAX_REASON_LENGTH = 500;

    private FinalStatuses() {
    }

    public static Optional<FinalStatusEvent> of(RiskDecision decision) {
        if (decision.getOutcome() == Outcome.CHALLENGE) {
            return challengeRequired(decision);
        }
        if (decision.getOutcome() != Outcome.DECLINE) {
            return Optional.empty();
        }
        // Shadow rules never decide, so they are not the merchant's reason.
        String reason = decision.getReasons().stream()
                .filter(rule -> !rule.getShadow() && rule.getOutcome() == Outcome.DECLINE)
                .map(DecisionReason::getMessage)
                .distinct()
                .collect(Collectors.joining("; "));
        return Optional.of(new FinalStatusEvent(decision.getTransactionId(), FinalStatus.DECLINED,
                reason.isEmpty() ? null : truncate(reason), decision.getDecidedAt()));
    }

    private static Optional<FinalStatusEvent> challengeRequired(RiskDecision decision) {
        if (decision.getKind() != DecisionKind.INITIAL || decision.getType() == PaymentType.CARD_AUTHORIZATION
                || decision.getChallengeExpiresAt() == null) {
            return Optional.empty();
        }
        return Optional.of(new FinalStatusEvent(decision.getTransactionId(), FinalStatus.CHALLENGE_REQUIRED,
                "verify the payer and post the result to /v1/payments/" + decision.getTransactionId()
                        + "/challenge before " + decision.getChallengeExpiresAt(), decision.getDecidedAt()));
    }

    public static Optional<FinalStatusEvent> of(ProviderEvent event) {
        if (event.getTransition() != StatusTransition.APPLIED) {
            return Optional.empty();
        }
        FinalStatus status = switch (event.getStatus()) {
            case SUCCEEDED -> FinalStatus.SUCCEEDED;
            case FAILED -> FinalStatus.FAILED;
            case EXPIRED -> FinalStatus.EXPIRED;
            case REVERSED -> FinalStatus.REVERSED;
            case PENDING, UNKNOWN -> null;
        };
        if (status == null) {
            return Optional.empty();
        }
        // Provider events carry no reason of their own; what happened is the status.
        return Optional.of(new FinalStatusEvent(event.getTransactionId(), status, null, event.getOccurredAt()));
    }

    private static String truncate(String reason) {
        return reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH - 1) + "…";
    }
}
