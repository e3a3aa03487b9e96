package dev.ngao.providers.http;

import dev.ngao.providers.config.ProviderSettings;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Calls one provider over HTTP with the resilience its settings ask for: each attempt has its own timeout;
 * connect errors, timeouts, 5xx, 408 and 429 are retried with exponential backoff and full jitter (a
 * uniform draw between zero and {@code min(max, base * 2^(n-1))}, so clients that failed together do not
 * retry together), a 429's or 503's Retry-After is waited for instead when it is within the maximum; other
 * 4xx are never retried. A circuit breaker sits inside the retries: every attempt counts, an open circuit
 * fails calls at once ({@link CallNotPermittedException}, not retried) until its open time passes and trial
 * calls show whether the provider is back.
 *
 * <p>The JDK's {@link HttpClient} is the transport: asynchronous, a per-request timeout, HTTP/1.1 and 2,
 * and no event loop of its own to host, so the reconciler (Kafka Streams, no Vert.x) calls providers
 * without taking on a second runtime. resilience4j supplies the breaker and the retry loop.
 */
public final class ResilientHttp {

    /** Draws the wait of one retry: a value between 0 and {@code ceilingMillis} inclusive. */
    @FunctionalInterface
    public interface Jitter {
        long draw(long ceilingMillis);

        /** Full jitter from a thread-local random source. */
        static Jitter full() {
            return ceiling -> ThreadLocalRandom.current().nextLong(ceiling + 1);
        }
    }

    /** Turns a provider's answer into a result; statuses it does not accept are failures. */
    public interface Answer<T> {
        T read(HttpResponse<byte[]> response);

        /** The statuses {@link #read} takes: 2xx by default. */
        default boolean accepts(int status) {
            return status >= 200 && status < 300;
        }
    }

    private final ProviderSettings settings;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final CircuitBreaker circuitBreaker;
    private final Retry retry;

    public ResilientHttp(ProviderSettings settings, HttpClient http, ScheduledExecutorService scheduler, Jitter jitter,
                         Clock clock) {
        this.settings = settings;
        this.http = http;
        this.scheduler = scheduler;
        this.clock = clock;
        this.circuitBreaker = CircuitBreaker.of(settings.kind().id(), CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.circuitWindowCalls())
                .minimumNumberOfCalls(settings.circuitMinimumCalls())
                .failureRateThreshold(settings.circuitFailureRatePercent())
                .waitDurationInOpenState(settings.circuitOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(settings.circuitHalfOpenCalls())
                // Half-open on the first call after the open time: no timer thread per breaker.
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                // Only failures that say the provider is unwell count; a 4xx is the caller's problem.
                .recordException(ResilientHttp::providerUnwell)
                .clock(clock)
                .build());
        this.retry = Retry.of(settings.kind().id(), RetryConfig.<Object>custom()
                .maxAttempts(settings.retries() + 1)
                .retryOnException(this::worthRetrying)
                .intervalBiFunction(backoff(settings, jitter))
                .build());
    }

    /** Resilient calls for {@code settings} with a client that has its connect timeout, full jitter and the UTC clock. */
    public static ResilientHttp create(ProviderSettings settings, ScheduledExecutorService scheduler) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new ResilientHttp(settings, client, scheduler, Jitter.full(), Clock.systemUTC());
    }

    public ProviderSettings settings() {
        return settings;
    }

    /** The call with retries and the circuit breaker. */
    public <T> CompletionStage<T> call(String operation, HttpRequest request, Answer<T> answer) {
        return retry.executeCompletionStage(scheduler,
                () -> circuitBreaker.executeCompletionStage(() -> attempt(operation, request, answer)));
    }

    /** One attempt, outside the breaker and without retries: what a health probe needs to see the provider itself. */
    public <T> CompletionStage<T> once(String operation, HttpRequest request, Answer<T> answer) {
        return attempt(operation, request, answer);
    }

    public CircuitBreaker.State circuitState() {
        return circuitBreaker.getState();
    }

    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    public Retry retry() {
        return retry;
    }

    private <T> CompletableFuture<T> attempt(String operation, HttpRequest request, Answer<T> answer) {
        HttpRequest timed = HttpRequest.newBuilder(request, (name, value) -> true)
                .timeout(settings.callTimeout())
                .build();
        String provider = settings.kind().id();
        return http.sendAsync(timed, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw ProviderCallException.transport(provider, operation, unwrap(failure));
                    }
                    if (!answer.accepts(response.statusCode())) {
                        Duration retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null),
                                clock.instant()).orElse(null);
                        throw ProviderCallException.status(provider, operation, response.statusCode(), retryAfter);
                    }
                    return answer.read(response);
                });
    }

    private boolean worthRetrying(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (!(cause instanceof ProviderCallException call) || !call.retryable()) {
            return false;
        }
        // A provider that asks for a longer pause than we are willing to wait is not called again now.
        Optional<Duration> retryAfter = call.retryAfter();
        return retryAfter.isEmpty() || retryAfter.get().compareTo(settings.backoffMax()) <= 0;
    }

    private static boolean providerUnwell(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof ProviderCallException call ? call.retryable() : cause instanceof IOException;
    }

    private static IntervalBiFunction<Object> backoff(ProviderSettings settings, Jitter jitter) {
        long baseMillis = settings.backoffBase().toMillis();
        long maxMillis = settings.backoffMax().toMillis();
        return (attempt, outcome) -> {
            Optional<Duration> retryAfter = retryAfterOf(outcome);
            if (retryAfter.isPresent()) {
                return retryAfter.get().toMillis();
            }
            int shift = Math.min(Math.max(attempt - 1, 0), 30);
            long ceiling = Math.min(maxMillis, baseMillis << shift);
            return jitter.draw(ceiling);
        };
    }

    private static Optional<Duration> retryAfterOf(Either<Throwable, Object> outcome) {
        if (outcome.isLeft() && unwrap(outcome.getLeft()) instanceof ProviderCallException call) {
            return call.retryAfter();
        }
        return Optional.empty();
    }

    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
