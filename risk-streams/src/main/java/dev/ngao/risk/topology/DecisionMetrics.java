package dev.ngao.risk.topology;

import dev.ngao.events.DecisionReason;
import dev.ngao.events.RiskDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

import java.util.Locale;

/**
 * Counts decisions by outcome and kind ({@value #DECISIONS}) and matched rules by rule id, what the rule said and
 * whether it ran in shadow ({@value #RULE_MATCHES}). The processors that decide are made by Kafka Streams from a
 * topology that is a pure function of its options, so they count on Micrometer's global registry, to which
 * RiskStreamsService adds its own Prometheus registry while it runs; without a service (TopologyTestDriver,
 * backtests) the global registry has no member and the counts go nowhere. Under exactly-once a task that
 * aborts and retries counts its records again: these are rates to watch, not the books (risk.decisions is).
 */
public final class DecisionMetrics {

    public static final String DECISIONS = "ngao.risk.decisions";
    public static final String RULE_MATCHES = "ngao.risk.rule.matches";

    private DecisionMetrics() {
    }

    static void decided(RiskDecision decision) {
        Counter.builder(DECISIONS)
                .description("Decisions made, by outcome and kind (INITIAL or REVIEW_RESOLUTION)")
                .tag("outcome", lower(decision.getOutcome().name()))
                .tag("kind", lower(decision.getKind().name()))
                .register(Metrics.globalRegistry)
                .increment();
        for (DecisionReason reason : decision.getReasons()) {
            Counter.builder(RULE_MATCHES)
                    .description("Rules that matched in a decision, by rule id, what the rule said and shadow mode")
                    .tag("rule", reason.getRuleId())
                    .tag("outcome", lower(reason.getOutcome().name()))
                    .tag("shadow", Boolean.toString(reason.getShadow()))
                    .register(Metrics.globalRegistry)
                    .increment();
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
