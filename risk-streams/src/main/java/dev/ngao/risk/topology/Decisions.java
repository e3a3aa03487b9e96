package dev.ngao.risk.topology;

import dev.ngao.events.DecisionReason;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.risk.rules.Evaluation;
import dev.ngao.risk.rules.RuleHit;

import java.time.Instant;
import java.util.List;

/**
 * Builds the {@link RiskDecision} for a request: the evaluation's outcome and reasons plus copies of the
 * request's money facts, so that consumers need no join. Nothing from the wallet, document or card
 * details is copied.
 */
final class Decisions {

    private Decisions() {
    }

    static RiskDecision of(PaymentRequest request, Evaluation evaluation, Instant decidedAt) {
        return of(request, evaluation.outcome(), evaluation.hits(), evaluation.ruleSetVersion(), decidedAt);
    }

    static RiskDecision of(PaymentRequest request, Outcome outcome, List<RuleHit> hits, String ruleSetVersion,
                           Instant decidedAt) {
        List<DecisionReason> reasons = hits.stream()
                .map(hit -> DecisionReason.newBuilder()
                        .setRuleId(hit.ruleId())
                        .setRuleSetVersion(ruleSetVersion)
                        .setOutcome(hit.outcome())
                        .setMessage(hit.message())
                        .build())
                .toList();
        return RiskDecision.newBuilder()
                .setTransactionId(request.getTransactionId())
                .setType(request.getType())
                .setMerchantId(request.getMerchantId())
                .setAccountKind(request.getAccountKind())
                .setAccountId(request.getAccountId())
                .setAmount(new Money(request.getAmount().getAmountMinor(), request.getAmount().getCurrency()))
                .setProvider(request.getProvider())
                .setOutcome(outcome)
                .setReasons(reasons)
                .setScore(null)
                .setRequestedAt(request.getRequestedAt())
                .setDecidedAt(decidedAt)
                .build();
    }
}
