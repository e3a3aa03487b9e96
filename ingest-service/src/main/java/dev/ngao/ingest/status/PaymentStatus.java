package dev.ngao.ingest.status;

import dev.ngao.events.AccountKind;
import dev.ngao.events.AuthorizationDecider;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ResolutionSource;
import dev.ngao.events.RiskDecision;

import java.time.Instant;
import java.util.List;

/**
 * What ingest-service can tell a merchant about one transaction. Holds no MSISDN, document, email or phone:
 * the view is built from events that carry some, and keeps only what the status answer and the checks of
 * later requests (refunds, reviews) need.
 *
 * @param merchantReference     null while only the decision has been seen
 * @param decision              risk-streams' decision; null while the payment is pending
 * @param account               the account whose limits the transaction consumed (a keyed hash for wallets)
 * @param cip                   the payment code of a CIP payment; null for other types or while unknown
 * @param originalTransactionId the refunded transaction, for refunds
 * @param answer                what the card network was answered, for card authorizations
 * @param resolution            an analyst's resolution of a review, or the result a merchant posted for a challenge
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
        Instant requestedAt,
        Account account,
        Cip cip,
        String originalTransactionId,
        Answer answer,
        Resolution resolution) {

    /**
     * The risk decision as shown to the merchant.
     *
     * @param challenge the step-up challenge the payment went through; null when risk asked for none
     */
    public record Decision(Outcome outcome, List<Reason> reasons, Instant decidedAt, Challenge challenge) {
    }

    /** Where a step-up challenge stands, as the latest decision tells it. */
    public enum ChallengeStatus {
        /** Waiting for the merchant to post the payer's verification result. */
        PENDING,
        /** The payer passed the verification: the payment was approved. */
        PASSED,
        /** The payer failed the verification: the payment was declined. */
        FAILED,
        /** No result came before {@code expiresAt}: the payment was declined. */
        EXPIRED,
        /** Settled otherwise (a card network was answered within its deadline). */
        CLOSED
    }

    /** A step-up challenge: until when a result is taken, and where it stands. */
    public record Challenge(Instant expiresAt, ChallengeStatus status) {
    }

    /** One matched rule of a decision. */
    public record Reason(String ruleId, String ruleSetVersion, Outcome outcome, String message) {
    }

    /** The account a transaction counts on, and the provider that carries it. */
    public record Account(AccountKind kind, String id, String provider) {
    }

    /** A CIP's payment code and its UTC expiry. */
    public record Cip(String paymentCode, Instant expiresAt) {
    }

    /** The answer given to the card network and who decided it. */
    public record Answer(Outcome outcome, AuthorizationDecider decidedBy, String reason, Instant answeredAt) {
    }

    /** An analyst's resolution of a transaction in review, or (source CHALLENGE) a challenge's posted result. */
    public record Resolution(Outcome outcome, Instant resolvedAt, ResolutionSource source) {
    }

    public static PaymentStatus pending(PaymentRequest request) {
        return new PaymentStatus(request.getTransactionId(), request.getMerchantId(), request.getMerchantReference(),
                request.getType(), request.getAmount().getAmountMinor(), request.getAmount().getCurrency(),
                PaymentState.PENDING, null, request.getRequestedAt(),
                new Account(request.getAccountKind(), request.getAccountId(), request.getProvider()),
                cipOf(request), request.getOriginalTransactionId(), null, null);
    }

    /** A status known only from its decision; the decision carries the request's money facts. */
    public static PaymentStatus decided(RiskDecision decision) {
        return new PaymentStatus(decision.getTransactionId(), decision.getMerchantId(), null, decision.getType(),
                decision.getAmount().getAmountMinor(), decision.getAmount().getCurrency(),
                PaymentState.of(decision.getOutcome()), decisionOf(decision), decision.getRequestedAt(),
                new Account(decision.getAccountKind(), decision.getAccountId(), decision.getProvider()),
                null, null, null, null);
    }

    /** This status with {@code decision} applied: the decision wins over pending, whatever order they arrived in. */
    public PaymentStatus withDecision(RiskDecision decision) {
        Decision decided = decisionOf(decision);
        return new PaymentStatus(transactionId, merchantId, merchantReference, type, amountMinor, currency,
                stateOf(decided, answer, resolution), decided, requestedAt, account, cip, originalTransactionId,
                answer, resolution);
    }

    /** This status completed by its request, when the decision was seen first; the state is left as it is. */
    public PaymentStatus withRequest(PaymentRequest request) {
        if (merchantReference != null) {
            return this;
        }
        return new PaymentStatus(transactionId, merchantId, request.getMerchantReference(), type, amountMinor,
                currency, state, decision, requestedAt, account, cipOf(request), request.getOriginalTransactionId(),
                answer, resolution);
    }

    /** The card network's answer is what happened, whatever risk-streams says later. */
    public PaymentStatus withAnswer(Answer answered) {
        return new PaymentStatus(transactionId, merchantId, merchantReference, type, amountMinor, currency,
                stateOf(decision, answered, resolution), decision, requestedAt, account, cip, originalTransactionId,
                answered, resolution);
    }

    public PaymentStatus withResolution(Resolution resolved) {
        return new PaymentStatus(transactionId, merchantId, merchantReference, type, amountMinor, currency,
                stateOf(decision, answer, resolved), decision, requestedAt, account, cip, originalTransactionId,
                answer, resolved);
    }

    /**
     * An answer to the network is final; so is the final decision of a challenge; an analyst's resolution replaces
     * the review, a posted challenge result the pending challenge; else the decision.
     */
    private static PaymentState stateOf(Decision decision, Answer answer, Resolution resolution) {
        if (answer != null) {
            return PaymentState.of(answer.outcome());
        }
        if (decision != null && decision.challenge() != null
                && decision.challenge().status() != ChallengeStatus.PENDING) {
            // risk's final word on a challenge stands over the result posted here (which may have come too late).
            return PaymentState.of(decision.outcome());
        }
        if (resolution != null) {
            return PaymentState.of(resolution.outcome());
        }
        return decision == null ? PaymentState.PENDING : PaymentState.of(decision.outcome());
    }

    private static Cip cipOf(PaymentRequest request) {
        if (request.getCip() == null || request.getCip().getPaymentCode() == null) {
            return null;
        }
        return new Cip(request.getCip().getPaymentCode(), request.getCip().getExpiresAt());
    }

    static Decision decisionOf(RiskDecision decision) {
        List<Reason> reasons = decision.getReasons().stream()
                .map(reason -> new Reason(reason.getRuleId(), reason.getRuleSetVersion(), reason.getOutcome(),
                        reason.getMessage()))
                .toList();
        return new Decision(decision.getOutcome(), reasons, decision.getDecidedAt(), challengeOf(decision));
    }

    private static Challenge challengeOf(RiskDecision decision) {
        if (decision.getChallengeExpiresAt() == null) {
            return null;
        }
        ChallengeStatus status;
        if (decision.getKind() == DecisionKind.INITIAL) {
            status = ChallengeStatus.PENDING;
        } else if (decision.getKind() != DecisionKind.CHALLENGE_RESULT) {
            status = ChallengeStatus.CLOSED;
        } else if (decision.getOutcome() == Outcome.APPROVE) {
            status = ChallengeStatus.PASSED;
        } else {
            // An expired challenge's decline comes from no posted result.
            status = decision.getResolutionId() == null ? ChallengeStatus.EXPIRED : ChallengeStatus.FAILED;
        }
        return new Challenge(decision.getChallengeExpiresAt(), status);
    }
}
