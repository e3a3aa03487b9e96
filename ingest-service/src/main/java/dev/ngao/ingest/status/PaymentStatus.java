package dev.ngao.ingest.status;

import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;

import java.time.Instant;
import java.util.List;

/**
 * What ingest-service can tell a merchant about one transaction. Holds no MSISDN: the view is built from
 * events that carry one, and keeps only what the status answer needs.
 *
 * @param merchantReference null while only the decision has been seen
 * @param decision          null while the payment is pending
 */
public record PaymentStatus(
        String transactionId,
        String merchantId,
        String merchantReference,
        PaymentType type,
        long amountMinor,
        String currency,
        PaymentState state,
        Decision decision,
        Instant requestedAt) {

    /** The risk decision as shown to the merchant. */
    public record Decision(Outcome outcome, List<Reason> reasons, Instant decidedAt) {
    }

    /** One matched rule of a decision. */
    public record Reason(String ruleId, String ruleSetVersion, Outcome outcome, String message) {
    }

    public static PaymentStatus pending(PaymentRequest request) {
        return new PaymentStatus(request.getTransactionId(), request.getMerchantId(), request.getMerchantReference(),
                request.getType(), request.getAmount().getAmountMinor(), request.getAmount().getCurrency(),
                PaymentState.PENDING, null, request.getRequestedAt());
    }

    /** A status known only from its decision; the decision carries the request's money facts. */
    public static PaymentStatus decided(RiskDecision decision) {
        return new PaymentStatus(decision.getTransactionId(), decision.getMerchantId(), null, decision.getType(),
                decision.getAmount().getAmountMinor(), decision.getAmount().getCurrency(),
                PaymentState.of(decision.getOutcome()), decisionOf(decision), decision.getRequestedAt());
    }

    /** This status with {@code decision} applied: the decision wins over pending, whatever order they arrived in. */
    public PaymentStatus withDecision(RiskDecision decision) {
        return new PaymentStatus(transactionId, merchantId, merchantReference, type, amountMinor, currency,
                PaymentState.of(decision.getOutcome()), decisionOf(decision), requestedAt);
    }

    /** This status completed by its request, when the decision was seen first; the state is left as it is. */
    public PaymentStatus withRequest(PaymentRequest request) {
        if (merchantReference != null) {
            return this;
        }
        return new PaymentStatus(transactionId, merchantId, request.getMerchantReference(), type, amountMinor,
                currency, state, decision, requestedAt);
    }

    private static Decision decisionOf(RiskDecision decision) {
        List<Reason> reasons = decision.getReasons().stream()
                .map(reason -> new Reason(reason.getRuleId(), reason.getRuleSetVersion(), reason.getOutcome(),
                        reason.getMessage()))
                .toList();
        return new Decision(decision.getOutcome(), reasons, decision.getDecidedAt());
    }
}
