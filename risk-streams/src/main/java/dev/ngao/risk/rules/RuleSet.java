package dev.ngao.risk.rules;

import dev.ngao.events.PaymentRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules in force, evaluated in order; every rule runs (so a decision names every reason, not only
 * the first) and {@link Outcomes#resolve} combines their outcomes. New rules join {@link #limits}.
 */
public final class RuleSet {

    private final String version;
    private final List<Rule> rules;

    public RuleSet(String version, List<Rule> rules) {
        this.version = version;
        this.rules = List.copyOf(rules);
    }

    /** The limit rules of the foundation issue, for one policy. */
    public static RuleSet limits(LimitPolicy policy) {
        return new RuleSet(policy.ruleSetVersion(), List.of(
                new PositiveAmountRule(),
                new PerTransactionLimitRule(policy),
                new DailyLimitRule(policy)));
    }

    public String version() {
        return version;
    }

    public List<Rule> rules() {
        return rules;
    }

    public Evaluation evaluate(PaymentRequest request, UsageView usage) {
        List<RuleHit> hits = new ArrayList<>();
        for (Rule rule : rules) {
            rule.evaluate(request, usage).ifPresent(hits::add);
        }
        return new Evaluation(Outcomes.resolve(hits), hits, version);
    }
}
