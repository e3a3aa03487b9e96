package dev.ngao.reconciler.submit;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How approved payments are handed to their providers: how long one submission may take, how failed
 * submissions are retried (exponential backoff with full jitter, up to {@code maxAttempts}), how often due
 * retries are looked for, and how long requests that never got a decision are kept.
 */
public record SubmissionPolicy(Duration callTimeout, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                               Duration retryCheckInterval, Duration retention) {

    public SubmissionPolicy {
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(retryCheckInterval, "retryCheckInterval");
        Objects.requireNonNull(retention, "retention");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be positive, the maximum at least the initial");
        }
    }

    /** The wait after the {@code attempts}-th failed attempt: a random share of the doubled backoff, capped. */
    public Duration backoffAfter(int attempts, RandomGenerator random) {
        long ceilingMs = initialBackoff.toMillis() << Math.min(attempts - 1, 20);
        ceilingMs = Math.min(ceilingMs, maxBackoff.toMillis());
        // Full jitter, at least a tenth of the ceiling so a retry never comes at once.
        long floorMs = Math.max(1, ceilingMs / 10);
        return Duration.ofMillis(floorMs + random.nextLong(Math.max(1, ceilingMs - floorMs + 1)));
    }
}
