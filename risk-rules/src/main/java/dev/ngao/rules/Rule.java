package dev.ngao.rules;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;

import java.util.List;
import java.util.Optional;

/**
 * One compiled rule of a rule set: a type of check (see {@link RuleTypes}) with its parameters, the action
 * a match yields, and whether it is enforced or only recorded (shadow). Rules never write state.
 */
public interface Rule {

    /** Unique within its rule set, named in every decision reason it causes. */
    String id();

    /** The rule type, e.g. {@code velocity-count}. */
    String type();

    RuleAction action();

    RuleMode mode();

    /** Where the rule's state lives, so which stage evaluates it. */
    Dimension dimension();

    /** Weight added to the decision's score when the rule matches (0 when unweighted). */
    int weight();

    /**
     * The reason, free of PII, when the rule matches the request; empty when it has nothing to say.
     * Called only for requests that carry a value of {@link #dimension()}.
     */
    Optional<String> evaluate(RuleInput input);

    /**
     * The usage counters an approval of the request consumes because of this rule (hard limits only;
     * empty for every other rule). The stage adds the amount to each, once per distinct counter, when it
     * does not block.
     */
    default List<UsageKey> usageKeys(PaymentRequest request, String dimensionValue) {
        return List.of();
    }

    /**
     * The rule's parameters as one JSON object, normalised (defaults written out, amounts sorted by
     * currency): compiling a rule of the same type, action and mode with this text gives an equal rule. For
     * showing the rule set in force and for round-trip tests.
     */
    default String parametersJson() {
        return "{}";
    }
}
