package dev.ngao.ledger;

import dev.ngao.events.ProviderEvent;
import dev.ngao.events.RiskDecision;

import java.time.Instant;

/** Turns the events the ledger consumes into lifecycle changes and journal entries of one batch. */
public interface PostingRule {

    /**
     * Applies a risk decision.
     *
     * @param sourceEventId where it was read, recorded on the entries it causes
     * @throws UnpostableDecisionException when the decision calls for an entry but cannot make a valid
     *                                     one; the batch is then unchanged
     */
    void decision(LedgerBatch batch, RiskDecision decision, String sourceEventId, Instant at);

    /**
     * Applies a provider event.
     *
     * @throws UnpostableDecisionException when the event's ids cannot name accounts; the batch is unchanged
     */
    void providerEvent(LedgerBatch batch, ProviderEvent event, String sourceEventId, Instant at);
}
