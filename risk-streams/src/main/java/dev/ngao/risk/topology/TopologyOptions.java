package dev.ngao.risk.topology;

import dev.ngao.events.Outcome;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.RuleTypes;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link RiskTopology#build} needs besides serdes: the built-in default rule set (used until a
 * {@code default} rule set is published), the compiler of published rule sets, the partition count of the
 * internal topics, the stage timeout and what it decides, and the periods and retentions of the stores.
 *
 * @param defaultRuleSet        the rule set of merchants without their own, until {@code default} is published
 * @param compiler              compiles a published rule set or refuses it
 * @param partitions            partitions of the internal topics; equal to payments.requests, providers.events
 *                              and risk.reviews so that they are co-partitioned with them
 * @param stageTimeout          how long the join stage waits for a missing verdict (wall clock)
 * @param stageTimeoutOutcome   what a missing verdict asks for: REVIEW or DECLINE
 * @param punctuationInterval   wall-clock period of the join stage's timeout scan
 * @param purgeInterval         wall-clock period of every purge
 * @param maxPurgedPerRun       bound on the entries one purge deletes per store
 * @param replayRetention       how long transaction ids (requests, decisions, reservations) are remembered
 * @param usageRetention        how long a usage counter is kept after its period ended
 * @param velocityRetention     how long velocity and distinct-count observations are kept
 * @param historyRetention      how long the daily approved amounts of an account are kept (anomaly rules)
 * @param deviceRetention       how long a device is remembered on an account
 */
public record TopologyOptions(CompiledRuleSet defaultRuleSet,
                              RuleSetCompilation compiler,
                              int partitions,
                              Duration stageTimeout,
                              Outcome stageTimeoutOutcome,
                              Duration punctuationInterval,
                              Duration purgeInterval,
                              int maxPurgedPerRun,
                              Duration replayRetention,
                              Duration usageRetention,
                              Duration velocityRetention,
                              Duration historyRetention,
                              Duration deviceRetention) {

    public static final int DEFAULT_MAX_PURGED_PER_RUN = 10_000;

    public TopologyOptions {
        Objects.requireNonNull(defaultRuleSet, "defaultRuleSet");
        Objects.requireNonNull(compiler, "compiler");
        Objects.requireNonNull(stageTimeoutOutcome, "stageTimeoutOutcome");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive, got " + partitions);
        }
        if (stageTimeoutOutcome == Outcome.APPROVE) {
            throw new IllegalArgumentException("a missing verdict can never approve: REVIEW or DECLINE");
        }
        if (maxPurgedPerRun < 1) {
            throw new IllegalArgumentException("maxPurgedPerRun must be positive, got " + maxPurgedPerRun);
        }
        requirePositive(stageTimeout, "stageTimeout");
        requirePositive(punctuationInterval, "punctuationInterval");
        requirePositive(purgeInterval, "purgeInterval");
        requirePositive(replayRetention, "replayRetention");
        requirePositive(usageRetention, "usageRetention");
        requirePositive(velocityRetention, "velocityRetention");
        requirePositive(historyRetention, "historyRetention");
        requirePositive(deviceRetention, "deviceRetention");
    }

    /** The options risk-streams runs with by default (see RiskConfig), for tests, backtests and benchmarks. */
    public static TopologyOptions defaults(CompiledRuleSet defaultRuleSet, RuleSetCompilation compiler, int partitions) {
        return new TopologyOptions(defaultRuleSet, compiler, partitions, Duration.ofSeconds(5), Outcome.REVIEW,
                Duration.ofSeconds(1), Duration.ofMinutes(5), DEFAULT_MAX_PURGED_PER_RUN, Duration.ofDays(7),
                Duration.ofDays(3), Duration.ofDays(32), Duration.ofDays(RuleTypes.MAXIMUM_HISTORY_DAYS + 1L),
                Duration.ofDays(180));
    }

    public TopologyOptions withStageTimeout(Duration timeout, Outcome outcome) {
        return new TopologyOptions(defaultRuleSet, compiler, partitions, timeout, outcome, punctuationInterval,
                purgeInterval, maxPurgedPerRun, replayRetention, usageRetention, velocityRetention, historyRetention,
                deviceRetention);
    }

    public TopologyOptions withDefaultRuleSet(CompiledRuleSet ruleSet) {
        return new TopologyOptions(ruleSet, compiler, partitions, stageTimeout, stageTimeoutOutcome,
                punctuationInterval, purgeInterval, maxPurgedPerRun, replayRetention, usageRetention,
                velocityRetention, historyRetention, deviceRetention);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}
