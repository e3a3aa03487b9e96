package dev.ngao.risk.topology;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import dev.ngao.rules.Resolution;
import dev.ngao.rules.RuleHit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link RiskDecision}s: the INITIAL decision of a request (outcome, score, every matched rule
 * with its id, rule-set version, dimension and shadow flag, whose rule set decided, and the request's money
 * facts so consumers need no join), the REVIEW_RESOLUTION an analyst's resolution becomes, the
 * CHALLENGE_RESULT a step-up challenge's result (or its expiry) becomes, and the
 * AUTHORIZATION_ANSWER or LEDGER_REFUSAL that makes risk follow what a card network was told or the ledger
 * refused. Nothing from
 * the wallet, document or card details is copied.
 */
final class Decisions {

    private Decisions() {
    }

    /** The INITIAL decision; a CHALLENGE carries until when its result is taken ({@code challengeTimeout}). */
    static RiskDecision initial(PaymentRequest request, Resolution.Resolved resolved, String merchantRuleSet,
                                Instant decidedAt, Duration challengeTimeout) {
        return RiskDecision.newBuilder()
                .setTransactionId(request.getTransactionId())
                .setType(request.getType())
                .setMerchantId(request.getMerchantId())
                .setAccountKind(request.getAccountKind())
                .setAccountId(request.getAccountId())
                .setAmount(new Money(request.getAmount().getAmountMinor(), request.getAmount().getCurrency()))
                .setProvider(request.getProvider())
                .setOutcome(resolved.outcome())
                .setReasons(reasons(resolved.hits()))
                .setScore(resolved.score())
                .setRequestedAt(request.getRequestedAt())
                .setDecidedAt(decidedAt)
                .setKind(DecisionKind.INITIAL)
                .setResolutionId(null)
                .setMerchantRuleSet(merchantRuleSet)
                .setChallengeExpiresAt(resolved.outcome() == Outcome.CHALLENGE ? decidedAt.plus(challengeTimeout) : null)
                .build();
    }

    /** The final decision of a transaction in review: the analyst's outcome, the initial reasons kept. */
    static RiskDecision reviewResolution(RiskDecision initial, ReviewResolution resolution, Instant decidedAt) {
        return RiskDecision.newBuilder(initial)
                .setOutcome(resolution.getOutcome())
                .setDecidedAt(decidedAt)
                .setKind(DecisionKind.REVIEW_RESOLUTION)
                .setResolutionId(resolution.getResolutionId())
                .build();
    }

    /** Id of the reason a CHALLENGE_RESULT of an expired challenge adds; not a rule of any rule set. */
    static final String CHALLENGE_EXPIRED_REASON_ID = "challenge-expired";

    /** Id of the reason a CHALLENGE_RESULT of a failed challenge adds; not a rule of any rule set. */
    static final String CHALLENGE_FAILED_REASON_ID = "challenge-failed";

    /**
     * The final decision of a CHALLENGE whose result the merchant posted: passed approves; failed declines, with
     * a reason saying so (the initial reasons only asked for the challenge).
     */
    static RiskDecision challengeResult(RiskDecision initial, ReviewResolution result, Instant decidedAt) {
        if (result.getOutcome() == Outcome.DECLINE) {
            RiskDecision failed = settled(initial, Outcome.DECLINE, DecisionKind.CHALLENGE_RESULT,
                    CHALLENGE_FAILED_REASON_ID, CHALLENGE_FAILED_REASON_ID
                            + ": the payer failed the step-up verification", decidedAt);
            failed.setResolutionId(result.getResolutionId());
            return failed;
        }
        return RiskDecision.newBuilder(initial)
                .setOutcome(result.getOutcome())
                .setDecidedAt(decidedAt)
                .setKind(DecisionKind.CHALLENGE_RESULT)
                .setResolutionId(result.getResolutionId())
                .build();
    }

    /** The final DECLINE of a CHALLENGE not completed before it expired, with a reason saying so. */
    static RiskDecision challengeExpired(RiskDecision initial, Instant decidedAt) {
        return settled(initial, Outcome.DECLINE, DecisionKind.CHALLENGE_RESULT, CHALLENGE_EXPIRED_REASON_ID,
                CHALLENGE_EXPIRED_REASON_ID + ": no result of the step-up verification came before "
                        + initial.getChallengeExpiresAt(), decidedAt);
    }

    /** Id of the reason an AUTHORIZATION_ANSWER adds; not a rule of any rule set. */
    static final String NETWORK_ANSWER_REASON_ID = "card-network-answer";

    /**
     * The final decision of a payment settled otherwise than risk decided (AUTHORIZATION_ANSWER: what a card
     * network was answered; LEDGER_REFUSAL: the ledger refused it for want of funds): that outcome, risk's
     * reasons kept, and one more saying who settled it.
     */
    static RiskDecision settled(RiskDecision initial, Outcome outcome, DecisionKind kind, String reasonId,
                                String message, Instant decidedAt) {
        List<DecisionReason> reasons = new ArrayList<>(initial.getReasons());
        reasons.add(DecisionReason.newBuilder()
                .setRuleId(reasonId)
                .setRuleSetVersion(initial.getMerchantRuleSet() == null ? "" : initial.getMerchantRuleSet())
                .setOutcome(outcome)
                .setMessage(message)
                .setShadow(false)
                .setDimension(null)
                .build());
        return RiskDecision.newBuilder(initial)
                .setOutcome(outcome)
                .setReasons(reasons)
                .setDecidedAt(decidedAt)
                .setKind(kind)
                .setResolutionId(null)
                .build();
    }

    static List<DecisionReason> reasons(List<RuleHit> hits) {
        return hits.stream().map(hit -> DecisionReason.newBuilder()
                .setRuleId(hit.ruleId())
                .setRuleSetVersion(hit.ruleSetVersion())
                .setOutcome(Resolution.outcomeOf(hit.action()))
                .setMessage(hit.message())
                .setShadow(!hit.enforced())
                .setDimension(hit.dimension() == null ? null : hit.dimension().name())
                .build()).toList();
    }
}
