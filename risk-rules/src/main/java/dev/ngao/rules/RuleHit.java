package dev.ngao.rules;

import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;

import java.util.Objects;

/**
 * A rule that matched one request: its id, the rule-set version it belongs to, what it asks for, whether
 * it is enforced, the dimension it read, its weight, and a reason free of PII.
 */
public record RuleHit(String ruleId, String ruleSetVersion, RuleAction action, RuleMode mode, Dimension dimension,
                      int weight, String message) {

    public RuleHit {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(ruleSetVersion, "ruleSetVersion");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(message, "message");
    }

    public boolean enforced() {
        return mode == RuleMode.ENFORCE;
    }
}
