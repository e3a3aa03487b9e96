package dev.ngao.ingest.idempotency;

import dev.ngao.events.IdempotencyRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A claim log in memory for unit tests: one total order, every attached instance applies every record at
 * once. {@link #sibling()} is another instance on the same log, as two ingest instances share a cluster.
 */
public final class InMemoryClaimLog implements ClaimLog {

    private static final class Shared {
        private final List<String> keys = new ArrayList<>();
        private final List<IdempotencyRecord> records = new ArrayList<>();
        private final List<BiConsumer<String, IdempotencyRecord>> appliers = new ArrayList<>();
        private boolean failing;
    }

    private final Shared shared;
    private BiConsumer<String, IdempotencyRecord> applier;

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
    public void start(BiConsumer<String, IdempotencyRecord> applier) {
        synchronized (shared) {
            this.applier = applier;
            for (int index = 0; index < shared.records.size(); index++) {
                applier.accept(shared.keys.get(index), shared.records.get(index));
            }
            shared.appliers.add(applier);
        }
    }

    @Override
    public CompletableFuture<Void> append(String recordKey, IdempotencyRecord record) {
        synchronized (shared) {
            if (shared.failing) {
                return CompletableFuture.failedFuture(new IllegalStateException("log unavailable"));
            }
            shared.keys.add(recordKey);
            shared.records.add(record);
            shared.appliers.forEach(each -> each.accept(recordKey, record));
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Makes every append fail, as Kafka being unreachable would. */
    public void failAppends(boolean failing) {
        synchronized (shared) {
            shared.failing = failing;
        }
    }

    public List<IdempotencyRecord> records() {
        synchronized (shared) {
            return List.copyOf(shared.records);
        }
    }

    @Override
    public void close() {
        synchronized (shared) {
            shared.appliers.remove(applier);
        }
    }
}
