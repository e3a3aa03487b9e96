package dev.ngao.reconciler.matching;

import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.RiskDecision;

import java.util.Objects;

/**
 * The facts of a risk decision the reconciler keeps: its outcome and amount, when it was decided, and
 * when the reconciler saw it (wall clock; the grace period counts from there).
 */
record SeenDecision(Outcome outcome, long amountMinor, String currency, long decidedAtMs, long seenAtMs) {

    SeenDecision {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(currency, "currency");
    }

    static SeenDecision of(RiskDecision decision, long seenAtMs) {
        return new SeenDecision(decision.getOutcome(), decision.getAmount().getAmountMinor(),
                decision.getAmount().getCurrency(), decision.getDecidedAt().toEpochMilli(), seenAtMs);
    }

    /** Only an approval moves money, so only an approval must be posted. */
    boolean approved() {
        return outcome == Outcome.APPROVE;
    }

    /**
     * A decision to review or to challenge is not final: the analyst's resolution (a REVIEW_RESOLUTION decision)
     * or the challenge's result (a CHALLENGE_RESULT) follows it, and may approve what the ledger then posts.
     */
    boolean inReview() {
        return outcome == Outcome.REVIEW || outcome == Outcome.CHALLENGE;
    }

    Money amount() {
        return Money.newBuilder().setAmountMinor(amountMinor).setCurrency(currency).build();
    }

    /** The same verdict on the same money: a redelivery rather than a second, conflicting decision. */
    boolean sameAs(SeenDecision other) {
        return outcome == other.outcome && amountMinor == other.amountMinor && currency.equals(other.currency);
    }
}
