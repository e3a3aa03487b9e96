package dev.ngao.risk.rules;

import dev.ngao.events.Outcome;

import java.util.List;

/** The resolved outcome of a rule set for one request, with every rule that matched. */
public record Evaluation(Outcome outcome, List<RuleHit> hits, String ruleSetVersion) {

    public Evaluation {
        hits = List.copyOf(hits);
    }
}
