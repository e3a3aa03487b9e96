package dev.ngao.ingest.idempotency;

import dev.ngao.events.IdempotencyRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A claim log in memory for unit tests: one total order, every attached instance applies every record at
 * once. {@link #sibling()} is another instance on the same log, as two ingest instances share a cluster.
 * {@link #holdAppends} keeps appends back, as Kafka not acknowledging yet, until the test lands or fails
 * them in order; {@link #delayAppends} lands each one a while after it is made, in order, as Kafka's round
 * trip does.
 */
public final class InMemoryClaimLog implements ClaimLog {

    private record Entry(String key, IdempotencyRecord record, ClaimPayload payload) {
    }

    private record Held(Entry entry, CompletableFuture<Void> applied) {
    }

    private static final class Shared {
        private final List<Entry> entries = new ArrayList<>();
        private final List<Applier> appliers = new ArrayList<>();
        private final List<Held> held = new ArrayList<>();
        private boolean failing;
        private boolean holding;
        private Duration delay = Duration.ZERO;
        private ScheduledExecutorService lander;
    }

    private final Shared shared;
    private Applier applier;

    public InMemoryClaimLog() {
        this(new Shared());
    }

    private InMemoryClaimLog(Shared shared) {
        this.shared = shared;
    }

    /** Another instance's view of the same log. */
    public InMemoryClaimLog sibling() {
        return new InMemoryClaimLog(shared);
    }

    @Override
    public void start(Applier applier) {
        synchronized (shared) {
            this.applier = applier;
            for (Entry entry : shared.entries) {
                applier.apply(entry.key(), entry.record(), entry.payload(), true);
            }
            shared.appliers.add(applier);
        }
    }

    @Override
    public CompletableFuture<Void> append(String recordKey, IdempotencyRecord record, ClaimPayload payload) {
        Entry entry = new Entry(recordKey, record, payload);
        synchronized (shared) {
            if (shared.failing) {
                return CompletableFuture.failedFuture(new IllegalStateException("log unavailable"));
            }
            if (shared.holding) {
                Held held = new Held(entry, new CompletableFuture<>());
                shared.held.add(held);
                return held.applied();
            }
            if (!shared.delay.isZero()) {
                CompletableFuture<Void> applied = new CompletableFuture<>();
                // One thread lands them: in the order they were made.
                shared.lander.schedule(() -> {
                    synchronized (shared) {
                        land(entry);
                    }
                    applied.complete(null);
                }, shared.delay.toMillis(), TimeUnit.MILLISECONDS);
                return applied;
            }
            land(entry);
        }
        return CompletableFuture.completedFuture(null);
    }

    private void land(Entry entry) {
        shared.entries.add(entry);
        shared.appliers.forEach(each -> each.apply(entry.key(), entry.record(), entry.payload(), false));
    }

    /** Makes every append fail, as Kafka being unreachable would. */
    public void failAppends(boolean failing) {
        synchronized (shared) {
            shared.failing = failing;
        }
    }

    /** Keeps appends back (true) until {@link #landHeld} or {@link #failHeld}; false lands new ones at once. */
    public void holdAppends(boolean holding) {
        synchronized (shared) {
            shared.holding = holding;
        }
    }

    /** Lands every append {@code delay} after it is made (zero: at once), as Kafka's round trip would. */
    public void delayAppends(Duration delay) {
        synchronized (shared) {
            shared.delay = delay;
            if (shared.lander == null && !delay.isZero()) {
                shared.lander = Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "in-memory-claim-log");
                    thread.setDaemon(true);
                    return thread;
                });
            }
        }
    }

    /** How many appends are held back. */
    public int heldCount() {
        synchronized (shared) {
            return shared.held.size();
        }
    }

    /** Lands the held appends in the order they were made, as Kafka acknowledging them would. */
    public void landHeld() {
        List<Held> landed;
        synchronized (shared) {
            landed = List.copyOf(shared.held);
            shared.held.clear();
            landed.forEach(held -> land(held.entry()));
        }
        landed.forEach(held -> held.applied().complete(null));
    }

    /** Fails the held appends: Kafka refused them, nothing was written. */
    public void failHeld() {
        List<Held> failed;
        synchronized (shared) {
            failed = List.copyOf(shared.held);
            shared.held.clear();
        }
        failed.forEach(held -> held.applied().completeExceptionally(new IllegalStateException("not written")));
    }

    public List<IdempotencyRecord> records() {
        synchronized (shared) {
            return shared.entries.stream().map(Entry::record).toList();
        }
    }

    /** The payloads accepting claims carried, in log order. */
    public List<ClaimPayload> payloads() {
        synchronized (shared) {
            return shared.entries.stream().map(Entry::payload).filter(payload -> payload != null).toList();
        }
    }

    @Override
    public void close() {
        synchronized (shared) {
            shared.appliers.remove(applier);
        }
    }
}
