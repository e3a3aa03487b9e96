package dev.ngao.risk.rules;

import dev.ngao.events.Outcome;

import java.util.Collection;

/** The one place outcomes combine: DECLINE beats REVIEW beats APPROVE; no hit at all is an approval. */
public final class Outcomes {

    private Outcomes() {
    }

    public static Outcome resolve(Collection<RuleHit> hits) {
        Outcome resolved = Outcome.APPROVE;
        for (RuleHit hit : hits) {
            if (severity(hit.outcome()) > severity(resolved)) {
                resolved = hit.outcome();
            }
        }
        return resolved;
    }

    /** Spelled out rather than taken from the enum's declaration order, which a schema change could reorder. */
    private static int severity(Outcome outcome) {
        return switch (outcome) {
            case APPROVE -> 0;
            case REVIEW -> 1;
            case DECLINE -> 2;
        };
    }
}
