package dev.ngao.ingest.auth;

import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.http.Problems;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Rate limits per key and route (Bucket4j token buckets that refill smoothly over the period). The first
 * rule that matches a request's method and path applies; a request no rule matches is not limited. Runs
 * after authentication, so only real keys have buckets (their number is bounded by keys times rules) and
 * nobody can spend another key's budget. The buckets live in this instance's memory: with several ingest
 * instances behind a balancer each grants the full budget, so divide the limits by the instance count
 * where that matters.
 */
public final class RateLimiter implements Handler<RoutingContext> {

    private final List<RateLimitRule> rules;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(List<RateLimitRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Seconds to wait before the request would pass, or empty when it may pass now (and has spent a token). */
    public Optional<Long> tryAcquire(String keyId, String method, String path) {
        for (int index = 0; index < rules.size(); index++) {
            RateLimitRule rule = rules.get(index);
            if (rule.matches(method, path)) {
                Bucket bucket = buckets.computeIfAbsent(keyId + "\0" + index, ignored -> bucketFor(rule));
                ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
                if (probe.isConsumed()) {
                    return Optional.empty();
                }
                long waitSeconds = (probe.getNanosToWaitForRefill() + TimeUnit.SECONDS.toNanos(1) - 1)
                        / TimeUnit.SECONDS.toNanos(1);
                return Optional.of(Math.max(1, waitSeconds));
            }
        }
        return Optional.empty();
    }

    private static Bucket bucketFor(RateLimitRule rule) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(rule.permits()).refillGreedy(rule.permits(), rule.period()))
                .build();
    }

    @Override
    public void handle(RoutingContext context) {
        Caller caller = Caller.of(context);
        // The normalized path, as the router matches it: /v1/%63ards or /v1/x/../cards must not escape /v1/cards.
        Optional<Long> retryAfterSeconds = tryAcquire(caller.keyId(), context.request().method().name(),
                context.normalizedPath());
        if (retryAfterSeconds.isEmpty()) {
            context.next();
            return;
        }
        context.response().putHeader("Retry-After", Long.toString(retryAfterSeconds.get()));
        Problems.send(context, 429, "rate-limited", "Too Many Requests",
                "This key sent too many requests to this route; retry after " + retryAfterSeconds.get() + " s.");
    }
}
