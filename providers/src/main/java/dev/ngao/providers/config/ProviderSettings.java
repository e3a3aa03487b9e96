package dev.ngao.providers.config;

import dev.ngao.providers.ProviderKind;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How Ngao calls one provider: where, with which credentials, how long it waits, how often it retries and
 * when it stops calling. Built from {@link ProvidersConfig}; tests build it directly.
 *
 * @param retries           retries after the first attempt, on retryable failures only
 * @param backoffBase       the first retry waits at most this long (full jitter: a uniform draw from zero)
 * @param backoffMax        no wait is longer; a Retry-After beyond it is not waited for (the call fails)
 * @param circuitFailureRatePercent failure rate over the window that opens the circuit
 * @param circuitWindowCalls        calls in the circuit's sliding window
 * @param circuitMinimumCalls       calls needed before the rate is judged at all
 * @param circuitOpenDuration       how long the circuit stays open before letting trial calls through
 * @param circuitHalfOpenCalls      trial calls while half-open
 * @param pendingTimeout    how long a payment may stay pending at this provider before it is chased
 */
public record ProviderSettings(ProviderKind kind, URI baseUrl, String apiKey, String apiSecret,
                               Duration connectTimeout, Duration callTimeout, int retries, Duration backoffBase,
                               Duration backoffMax, int circuitFailureRatePercent, int circuitWindowCalls,
                               int circuitMinimumCalls, Duration circuitOpenDuration, int circuitHalfOpenCalls,
                               Duration pendingTimeout) {

    public ProviderSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(apiSecret, "apiSecret");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(callTimeout, "callTimeout");
        requirePositive(backoffBase, "backoffBase");
        requirePositive(backoffMax, "backoffMax");
        requirePositive(circuitOpenDuration, "circuitOpenDuration");
        requirePositive(pendingTimeout, "pendingTimeout");
        if (retries < 0 || retries > ProvidersConfig.MAXIMUM_RETRIES) {
            throw new IllegalArgumentException("retries must be between 0 and " + ProvidersConfig.MAXIMUM_RETRIES);
        }
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoffMax must not be shorter than backoffBase");
        }
        if (circuitFailureRatePercent < 1 || circuitFailureRatePercent > 100) {
            throw new IllegalArgumentException("circuitFailureRatePercent must be between 1 and 100");
        }
        if (circuitWindowCalls < 1 || circuitMinimumCalls < 1 || circuitHalfOpenCalls < 1) {
            throw new IllegalArgumentException("circuit call counts must be at least 1");
        }
        String scheme = baseUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("baseUrl of " + kind.id() + " must be http or https");
        }
    }

    /** Settings with the defaults of {@link ProvidersConfig} and the given address and credentials. */
    public static ProviderSettings defaults(ProviderKind kind, URI baseUrl, String apiKey, String apiSecret) {
        return new ProviderSettings(kind, baseUrl, apiKey, apiSecret,
                Duration.ofMillis(ProvidersConfig.DEFAULT_CONNECT_TIMEOUT_MS),
                Duration.ofMillis(ProvidersConfig.DEFAULT_CALL_TIMEOUT_MS), ProvidersConfig.DEFAULT_RETRIES,
                Duration.ofMillis(ProvidersConfig.DEFAULT_BACKOFF_BASE_MS),
                Duration.ofMillis(ProvidersConfig.DEFAULT_BACKOFF_MAX_MS), ProvidersConfig.DEFAULT_FAILURE_RATE_PERCENT,
                ProvidersConfig.DEFAULT_WINDOW_CALLS, ProvidersConfig.DEFAULT_MINIMUM_CALLS,
                Duration.ofMillis(ProvidersConfig.DEFAULT_OPEN_MS), ProvidersConfig.DEFAULT_HALF_OPEN_CALLS,
                Duration.ofSeconds(ProvidersConfig.DEFAULT_PENDING_TIMEOUT_SECONDS));
    }

    public ProviderSettings withRetries(int retries, Duration backoffBase, Duration backoffMax) {
        return new ProviderSettings(kind, baseUrl, apiKey, apiSecret, connectTimeout, callTimeout, retries, backoffBase,
                backoffMax, circuitFailureRatePercent, circuitWindowCalls, circuitMinimumCalls, circuitOpenDuration,
                circuitHalfOpenCalls, pendingTimeout);
    }

    public ProviderSettings withCallTimeout(Duration callTimeout) {
        return new ProviderSettings(kind, baseUrl, apiKey, apiSecret, connectTimeout, callTimeout, retries, backoffBase,
                backoffMax, circuitFailureRatePercent, circuitWindowCalls, circuitMinimumCalls, circuitOpenDuration,
                circuitHalfOpenCalls, pendingTimeout);
    }

    public ProviderSettings withCircuit(int failureRatePercent, int windowCalls, int minimumCalls, Duration openDuration,
                                        int halfOpenCalls) {
        return new ProviderSettings(kind, baseUrl, apiKey, apiSecret, connectTimeout, callTimeout, retries, backoffBase,
                backoffMax, failureRatePercent, windowCalls, minimumCalls, openDuration, halfOpenCalls, pendingTimeout);
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "ProviderSettings[" + kind.id() + ", " + baseUrl + ", retries " + retries + "]";
    }
}
