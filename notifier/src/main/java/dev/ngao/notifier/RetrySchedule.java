package dev.ngao.notifier;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: exponential backoff with full jitter (after failed attempt n, a
 * uniform draw between 0 and {@code min(maxBackoff, initialBackoff * 2^(n-1))}), so that merchants coming
 * back from an outage are not hit by every pending delivery at once; never past the give-up deadline,
 * {@code giveUpAfter} from the first attempt. The last attempt is made at the deadline itself; after it
 * fails there is none.
 */
public record RetrySchedule(Duration initialBackoff, Duration maxBackoff, Duration giveUpAfter) {

    public RetrySchedule {
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0
                || giveUpAfter.isNegative() || giveUpAfter.isZero()) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max and a positive give-up period");
        }
    }

    /** The longest wait after {@code failedAttempts} failures (1 or more): the ceiling of the jitter draw. */
    public Duration backoffCeiling(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("a retry follows at least one failed attempt");
        }
        long ceilingMs = initialBackoff.toMillis();
        for (int doubling = 1; doubling < failedAttempts && ceilingMs < maxBackoff.toMillis(); doubling++) {
            ceilingMs *= 2;
        }
        return Duration.ofMillis(Math.min(ceilingMs, maxBackoff.toMillis()));
    }

    /** The instant after which no delivery first attempted at {@code firstAttemptAt} is retried. */
    public Instant deadline(Instant firstAttemptAt) {
        return firstAttemptAt.plus(giveUpAfter);
    }

    /**
     * The next attempt after {@code failedAttempts} failures, the latest at {@code now}; empty when the
     * deadline has come, and the delivery is given up.
     */
    public Optional<Instant> nextAttempt(int failedAttempts, Instant firstAttemptAt, Instant now,
                                         RandomGenerator random) {
        Instant deadline = deadline(firstAttemptAt);
        if (!now.isBefore(deadline)) {
            return Optional.empty();
        }
        long waitMs = random.nextLong(backoffCeiling(failedAttempts).toMillis() + 1);
        Instant next = now.plusMillis(waitMs);
        return Optional.of(next.isAfter(deadline) ? deadline : next);
    }
}
