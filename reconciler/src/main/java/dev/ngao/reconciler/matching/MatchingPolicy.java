package dev.ngao.reconciler.matching;

import java.time.Duration;
import java.util.Objects;

/**
 * The times that govern matching.
 *
 * @param gracePeriod       how long one half of a transaction waits for the other before a break
 * @param punctuateInterval wall-clock period of the check for items past their grace period
 * @param closedRetention   how long a settled transaction is remembered, so late duplicates are ignored
 */
public record MatchingPolicy(Duration gracePeriod, Duration punctuateInterval, Duration closedRetention) {

    public MatchingPolicy {
        requirePositive(gracePeriod, "gracePeriod");
        requirePositive(punctuateInterval, "punctuateInterval");
        requirePositive(closedRetention, "closedRetention");
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}
