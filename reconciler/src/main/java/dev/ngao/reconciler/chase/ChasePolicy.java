package dev.ngao.reconciler.chase;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How stuck payments are chased.
 *
 * @param timeoutByProvider how long a payment of a provider may stay pending before it is queried
 * @param defaultTimeout    the timeout of a provider not in the map
 * @param initialBackoff    the wait after the first unanswered or still-pending query
 * @param maxBackoff        the longest wait between queries
 * @param maxAttempts       queries before a payment still pending or unknown is flagged for manual review
 * @param queryTimeout      the longest wait for one answer (the adapter retries within it)
 * @param maxQueriesPerPass bounds the work of one pass; the rest waits for the next
 */
public record ChasePolicy(Map<String, Duration> timeoutByProvider, Duration defaultTimeout, Duration initialBackoff,
                          Duration maxBackoff, int maxAttempts, Duration queryTimeout, int maxQueriesPerPass) {

    public ChasePolicy {
        timeoutByProvider = Map.copyOf(timeoutByProvider);
        Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be positive and at most maxBackoff");
        }
        if (maxAttempts < 1 || maxQueriesPerPass < 1) {
            throw new IllegalArgumentException("maxAttempts and maxQueriesPerPass must be positive");
        }
    }

    public Duration timeoutOf(String provider) {
        return timeoutByProvider.getOrDefault(provider, defaultTimeout);
    }

    /** The shortest timeout of any provider: nothing pending for less is due. */
    Duration shortestTimeout() {
        return timeoutByProvider.values().stream().reduce(defaultTimeout, (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }

    /**
     * Exponential backoff with jitter after {@code attempts} queries: the base doubles from the initial backoff up
     * to the maximum, and the wait is drawn between half the base and the base ("equal jitter"), so chasers of
     * many payments do not query a recovering provider in step.
     */
    Duration backoffAfter(int attempts, RandomGenerator random) {
        long baseMs = initialBackoff.toMillis();
        for (int doubling = 1; doubling < attempts && baseMs < maxBackoff.toMillis(); doubling++) {
            baseMs = Math.multiplyExact(baseMs, 2);
        }
        baseMs = Math.min(baseMs, maxBackoff.toMillis());
        long halfMs = baseMs / 2;
        return Duration.ofMillis(halfMs + random.nextLong(baseMs - halfMs + 1));
    }
}
