package dev.ngao.risk.topology;

import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.RuleTypes;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link RiskTopology#build} needs besides serdes: the built-in default rule set (used until a
 * {@code default} rule set is published), the compiler of published rule sets, the partition count of
 * payments.requests (the decision tasks, which escrowed limit slices are cut for), and the retentions of
 * the stores, each of which expires by whole segments.
 *
 * @param defaultRuleSet    the rule set of merchants without their own, until {@code default} is published
 * @param compiler          compiles a published rule set or refuses it
 * @param partitions        partitions of payments.requests and risk.commands: the number of decision tasks
 * @param replayRetention   how long transaction ids (requests, decisions, reservations) are remembered
 * @param usageRetention    how long a usage counter is kept after its period ended
 * @param velocityRetention how long velocity buckets and distinct values are kept
 * @param historyRetention  how long the daily approved amounts of an account are kept (anomaly rules)
 * @param deviceRetention   how long a device is remembered on an account
 * @param challengeTimeout  how long a CHALLENGE waits for its result before it becomes a DECLINE
 */
public record TopologyOptions(CompiledRuleSet defaultRuleSet,
                              RuleSetCompilation compiler,
                              int partitions,
                              Duration replayRetention,
                              Duration usageRetention,
                              Duration velocityRetention,
                              Duration historyRetention,
                              Duration deviceRetention,
                              Duration challengeTimeout) {

    /** How long a CHALLENGE waits for its result unless configured otherwise (risk.challenge.timeout.seconds). */
    public static final Duration DEFAULT_CHALLENGE_TIMEOUT = Duration.ofMinutes(10);

    public TopologyOptions {
        Objects.requireNonNull(defaultRuleSet, "defaultRuleSet");
        Objects.requireNonNull(compiler, "compiler");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive, got " + partitions);
        }
        requirePositive(replayRetention, "replayRetention");
        requirePositive(usageRetention, "usageRetention");
        requirePositive(velocityRetention, "velocityRetention");
        requirePositive(historyRetention, "historyRetention");
        requirePositive(deviceRetention, "deviceRetention");
        requirePositive(challengeTimeout, "challengeTimeout");
    }

    /** As the canonical constructor, with the default challenge timeout. */
    public TopologyOptions(CompiledRuleSet defaultRuleSet, RuleSetCompilation compiler, int partitions,
                           Duration replayRetention, Duration usageRetention, Duration velocityRetention,
                           Duration historyRetention, Duration deviceRetention) {
        this(defaultRuleSet, compiler, partitions, replayRetention, usageRetention, velocityRetention,
                historyRetention, deviceRetention, DEFAULT_CHALLENGE_TIMEOUT);
    }

    /** The options risk-streams runs with by default (see RiskConfig), for tests, backtests and benchmarks. */
    public static TopologyOptions defaults(CompiledRuleSet defaultRuleSet, RuleSetCompilation compiler, int partitions) {
        return new TopologyOptions(defaultRuleSet, compiler, partitions, Duration.ofDays(7), Duration.ofDays(3),
                Duration.ofDays(32), Duration.ofDays(RuleTypes.MAXIMUM_HISTORY_DAYS + 1L), Duration.ofDays(180));
    }

    public TopologyOptions withDefaultRuleSet(CompiledRuleSet ruleSet) {
        return new TopologyOptions(ruleSet, compiler, partitions, replayRetention, usageRetention, velocityRetention,
                historyRetention, deviceRetention, challengeTimeout);
    }

    public TopologyOptions withChallengeTimeout(Duration timeout) {
        return new TopologyOptions(defaultRuleSet, compiler, partitions, replayRetention, usageRetention,
                velocityRetention, historyRetention, deviceRetention, timeout);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}
