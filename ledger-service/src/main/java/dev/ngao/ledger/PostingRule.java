package dev.ngao.ledger;

import dev.ngao.events.RiskDecision;

import java.util.Optional;

/** Turns one risk decision into the journal entry it calls for, if any. */
@FunctionalInterface
public interface PostingRule {

    /**
     * The entry {@code decision} calls for, or empty when it calls for none (a decline, a review).
     *
     * @param sourceEventId where the decision was read, recorded on the entry for tracing
     * @throws UnpostableDecisionException when the decision calls for an entry but cannot make a valid one
     */
    Optional<DraftEntry> draft(RiskDecision decision, String sourceEventId);
}
