package dev.ngao.rules;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A rule set ready to run: whose it is (a merchant id or {@code default}), its version, its rules grouped
 * by the dimension that evaluates them, and optional score thresholds. Immutable, shared by stream threads.
 */
public final class CompiledRuleSet {

    public static final String DEFAULT_MERCHANT = "default";

    private final String merchantId;
    private final String version;
    private final List<Rule> rules;
    private final Map<Dimension, List<Rule>> rulesByDimension;
    private final ScoreThresholds scoreThresholds;

    public CompiledRuleSet(String merchantId, String version, List<Rule> rules, ScoreThresholds scoreThresholds) {
        this.merchantId = Objects.requireNonNull(merchantId, "merchantId");
        this.version = Objects.requireNonNull(version, "version");
        this.rules = List.copyOf(rules);
        this.scoreThresholds = scoreThresholds;
        Map<Dimension, List<Rule>> grouped = new EnumMap<>(Dimension.class);
        for (Rule rule : this.rules) {
            grouped.computeIfAbsent(rule.dimension(), dimension -> new ArrayList<>()).add(rule);
        }
        grouped.replaceAll((dimension, list) -> List.copyOf(list));
        this.rulesByDimension = grouped;
    }

    public String merchantId() {
        return merchantId;
    }

    public String version() {
        return version;
    }

    public List<Rule> rules() {
        return rules;
    }

    public Optional<ScoreThresholds> scoreThresholds() {
        return Optional.ofNullable(scoreThresholds);
    }

    /** The rules evaluated by the stage of {@code dimension}, in rule-set order. */
    public List<Rule> rulesOf(Dimension dimension) {
        return rulesByDimension.getOrDefault(dimension, List.of());
    }

    /** The dimensions that have at least one rule: the stages a request must visit besides ACCOUNT. */
    public java.util.Set<Dimension> dimensions() {
        return rulesByDimension.keySet();
    }

    /**
     * Runs every rule of {@code dimension} (all of them, so a decision names every reason, not only the
     * first) and returns the hits, shadow rules included.
     */
    public List<RuleHit> evaluate(Dimension dimension, RuleInput input) {
        List<RuleHit> hits = new ArrayList<>();
        for (Rule rule : rulesOf(dimension)) {
            rule.evaluate(input).ifPresent(message -> hits.add(new RuleHit(rule.id(), version, rule.action(),
                    rule.mode(), rule.dimension(), rule.weight(), message)));
        }
        return hits;
    }

    /** The distinct usage counters an approval consumes through the enforced rules of {@code dimension}. */
    public List<UsageKey> usageKeys(Dimension dimension, RuleInput input) {
        List<UsageKey> keys = new ArrayList<>();
        for (Rule rule : rulesOf(dimension)) {
            if (rule.mode() == dev.ngao.events.RuleMode.ENFORCE) {
                for (UsageKey key : rule.usageKeys(input.request(), input.dimensionValue())) {
                    if (!keys.contains(key)) {
                        keys.add(key);
                    }
                }
            }
        }
        return keys;
    }
}
