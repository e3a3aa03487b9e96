package dev.ngao.risk.topology;

import dev.ngao.events.DecisionReason;
import dev.ngao.events.RiskDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts decisions by outcome and kind ({@value #DECISIONS}) and matched rules by rule id, what the rule said and
 * whether it ran in shadow ({@value #RULE_MATCHES}). The processors that decide are made by Kafka Streams from a
 * topology that is a pure function of its options, so they count on Micrometer's global registry, to which
 * RiskStreamsService adds its own Prometheus registry while it runs; without a service (TopologyTestDriver,
 * backtests) the global registry has no member and the counts go nowhere. Under exactly-once a task that
 * aborts and retries counts its records again: these are rates to watch, not the books (risk.decisions is).
 * Also counts requests that waited for a shared limit's budget ({@value #WAITED}). Counters are looked up once
 * per tag set and kept: building a meter id per decision cost more than some rules.
 */
public final class DecisionMetrics {

    public static final String DECISIONS = "ngao.risk.decisions";
    public static final String RULE_MATCHES = "ngao.risk.rule.matches";
    public static final String WAITED = "ngao.risk.shared.limit.waits";

    /** At most outcomes x kinds and rule ids x outcomes x 2 entries: the rule ids of the rule sets in force. */
    private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();

    private DecisionMetrics() {
    }

    static void decided(RiskDecision decision) {
        String outcome = lower(decision.getOutcome().name());
        String kind = lower(decision.getKind().name());
        counter(DECISIONS + '|' + outcome + '|' + kind, () -> Counter.builder(DECISIONS)
                .description("Decisions made, by outcome and kind (INITIAL or REVIEW_RESOLUTION)")
                .tag("outcome", outcome)
                .tag("kind", kind)).increment();
        for (DecisionReason reason : decision.getReasons()) {
            String said = lower(reason.getOutcome().name());
            String shadow = Boolean.toString(reason.getShadow());
            counter(RULE_MATCHES + '|' + reason.getRuleId() + '|' + said + '|' + shadow, () -> Counter.builder(RULE_MATCHES)
                    .description("Rules that matched in a decision, by rule id, what the rule said and shadow mode")
                    .tag("rule", reason.getRuleId())
                    .tag("outcome", said)
                    .tag("shadow", shadow)).increment();
        }
    }

    /** A request parked until the owner of a shared limit (a merchant's daily limit) refilled its task's slice. */
    static void waited() {
        counter(WAITED, () -> Counter.builder(WAITED)
                .description("Requests that waited for budget of a shared limit (a merchant's daily limit) before "
                        + "being decided")).increment();
    }

    /** Requests that waited for budget of a shared limit since the process started. */
    public static double waitedTotal() {
        Counter waited = Metrics.globalRegistry.find(WAITED).counter();
        return waited == null ? 0 : waited.count();
    }

    private static Counter counter(String key, java.util.function.Supplier<Counter.Builder> builder) {
        Counter counter = COUNTERS.get(key);
        if (counter == null) {
            // Registered on the global registry, whose members (the service's Prometheus registry) come and go
            // with services: a counter kept here is a composite that follows them.
            counter = COUNTERS.computeIfAbsent(key, ignored -> builder.get().register(Metrics.globalRegistry));
        }
        return counter;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
