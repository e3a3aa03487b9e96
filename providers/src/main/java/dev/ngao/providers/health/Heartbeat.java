package dev.ngao.providers.health;

import dev.ngao.events.ProviderHealth;
import dev.ngao.providers.ProviderAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Probes each provider on a schedule and reports when its health changes, not on every probe: the first
 * answer sets UP (UNKNOWN -> UP), {@code failuresBeforeDown} failed probes in a row turn it DOWN, and the
 * next successful probe brings it back UP. One failed probe is not an outage: the threshold keeps a single
 * lost packet from paging anyone. Probes go around the adapters' circuit breakers, so a provider is seen
 * coming back even while its circuit is still open.
 */
public final class Heartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final List<ProviderAdapter> adapters;
    private final int failuresBeforeDown;
    private final Consumer<HealthTransition> listener;
    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    public Heartbeat(List<ProviderAdapter> adapters, int failuresBeforeDown, Consumer<HealthTransition> listener,
                     Clock clock) {
        if (failuresBeforeDown < 1) {
            throw new IllegalArgumentException("failuresBeforeDown must be at least 1");
        }
        this.adapters = List.copyOf(adapters);
        this.failuresBeforeDown = failuresBeforeDown;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = clock;
        for (ProviderAdapter adapter : this.adapters) {
            states.put(adapter.kind().id(), new State());
        }
    }

    /** Probes every {@code interval} on a thread of its own, first at once. */
    public synchronized void start(Duration interval) {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "provider-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                probeAll().join();
            } catch (RuntimeException e) {
                // A listener that throws must not stop the schedule.
                LOG.error("Heartbeat round failed", e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round: probes every provider at once; completes when each has answered or failed. */
    public CompletableFuture<Void> probeAll() {
        List<CompletableFuture<Void>> probes = new ArrayList<>();
        for (ProviderAdapter adapter : adapters) {
            probes.add(probe(adapter));
        }
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new));
    }

    /** The health last seen of {@code provider} (its id). */
    public ProviderHealth health(String provider) {
        State state = states.get(provider);
        return state == null ? ProviderHealth.UNKNOWN : state.health;
    }

    private CompletableFuture<Void> probe(ProviderAdapter adapter) {
        CompletableFuture<Boolean> answer;
        try {
            answer = adapter.probe().toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((up, failure) -> {
            if (failure == null && Boolean.TRUE.equals(up)) {
                observe(adapter.kind().id(), true, "probe answered");
            } else {
                observe(adapter.kind().id(), false, failure == null ? "probe answered not healthy" : describe(failure));
            }
            return null;
        });
    }

    private void observe(String provider, boolean up, String detail) {
        State state = states.get(provider);
        HealthTransition transition;
        synchronized (state) {
            ProviderHealth previous = state.health;
            if (up) {
                state.consecutiveFailures = 0;
                state.health = ProviderHealth.UP;
            } else {
                state.consecutiveFailures++;
                if (state.consecutiveFailures >= failuresBeforeDown) {
                    state.health = ProviderHealth.DOWN;
                }
            }
            if (state.health == previous) {
                return;
            }
            transition = new HealthTransition(provider, previous, state.health, state.consecutiveFailures, detail,
                    clock.instant());
        }
        LOG.info("Provider {} is {} (was {}): {}", provider, transition.current(), transition.previous(), detail);
        listener.accept(transition);
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private static final class State {
        private ProviderHealth health = ProviderHealth.UNKNOWN;
        private int consecutiveFailures;
    }
}
