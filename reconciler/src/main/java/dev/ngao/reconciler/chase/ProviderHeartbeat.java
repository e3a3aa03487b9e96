package dev.ngao.reconciler.chase;

import dev.ngao.events.ProviderHealth;
import dev.ngao.events.ProviderHealthEvent;
import dev.ngao.providers.ProviderAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Probes every provider adapter and writes a {@link ProviderHealthEvent} when a provider's health changes:
 * DOWN after {@code failuresBeforeDown} failed probes in a row, UP at the first probe that answers. The first
 * observation after start is a change from UNKNOWN and is written; a steady state writes nothing more.
 * One thread calls {@link #probeOnce()}.
 */
public final class ProviderHeartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderHeartbeat.class);

    private final Map<String, ProviderAdapter> adapters;
    private final Consumer<ProviderHealthEvent> sink;
    private final Clock clock;
    private final Duration probeTimeout;
    private final int failuresBeforeDown;
    private final Map<String, ProviderHealth> health = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();

    /**
     * @param adapters by provider id
     * @param sink     where changes go ({@code providers.health}); returns once acknowledged
     */
    public ProviderHeartbeat(Map<String, ProviderAdapter> adapters, Consumer<ProviderHealthEvent> sink, Clock clock,
                             Duration probeTimeout, int failuresBeforeDown) {
        if (failuresBeforeDown < 1) {
            throw new IllegalArgumentException("failuresBeforeDown must be positive");
        }
        this.adapters = new TreeMap<>(adapters);
        this.sink = sink;
        this.clock = clock;
        this.probeTimeout = probeTimeout;
        this.failuresBeforeDown = failuresBeforeDown;
    }

    /** Probes each provider once, writing the changes. */
    public void probeOnce() {
        adapters.forEach(this::probe);
    }

    /** The health last observed, UNKNOWN before the first probe. */
    public ProviderHealth healthOf(String provider) {
        return health.getOrDefault(provider, ProviderHealth.UNKNOWN);
    }

    private void probe(String provider, ProviderAdapter adapter) {
        String failure = failureOf(adapter);
        ProviderHealth previous = healthOf(provider);
        int failed = failure == null ? 0 : failures.getOrDefault(provider, 0) + 1;
        failures.put(provider, failed);
        ProviderHealth now = failure == null ? ProviderHealth.UP
                : failed >= failuresBeforeDown ? ProviderHealth.DOWN : previous;
        if (now == previous) {
            return;
        }
        ProviderHealthEvent change = ProviderHealthEvent.newBuilder()
                .setProvider(provider)
                .setStatus(now)
                .setPreviousStatus(previous)
                .setConsecutiveFailures(failed)
                .setDetail(failure == null ? "probe answered" : failure)
                .setObservedAt(clock.instant())
                .build();
        try {
            sink.accept(change);
            health.put(provider, now);
            if (now == ProviderHealth.DOWN) {
                LOG.warn("Provider {} is DOWN after {} failed probes: {}", provider, failed, failure);
            } else {
                LOG.info("Provider {} is {} (was {})", provider, now, previous);
            }
        } catch (RuntimeException e) {
            // Not recorded as the new health, so the next probe tries to write the change again.
            LOG.error("Cannot write the health change of {} to {}: {}", provider, now, e.getMessage());
        }
    }

    /** Why the probe failed, free of secrets, or null when it answered healthy. */
    private String failureOf(ProviderAdapter adapter) {
        try {
            Boolean up = adapter.probe().toCompletableFuture().get(probeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return Boolean.TRUE.equals(up) ? null : "probe answered unhealthy";
        } catch (TimeoutException e) {
            return "timeout after " + probeTimeout.toMillis() + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            return "probe failed: " + (e.getCause() == null ? "unknown" : e.getCause().getClass().getSimpleName());
        } catch (RuntimeException e) {
            return "probe failed: " + e.getClass().getSimpleName();
        }
    }
}
