package dev.ngao.ingest.approval;

import dev.ngao.events.ApprovalRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * {@code ingest.approvals} in memory, for tests: appends are applied to the view in the order they arrive, as
 * the single partition orders them, and complete a little later on another thread, as a Kafka write and its
 * read-back do, so concurrent decisions overlap. {@link #history()} is the log, for a restart to fold again.
 */
public final class InMemoryApprovalLog implements ApprovalLog {

    private static final Executor LATER = CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);

    private final ApprovalView view;
    private final List<ApprovalRequest> log = new ArrayList<>();
    private volatile boolean failing;

    public InMemoryApprovalLog(ApprovalView view) {
        this.view = view;
    }

    @Override
    public CompletableFuture<Void> append(ApprovalRequest record) {
        if (failing) {
            return CompletableFuture.failedFuture(new IllegalStateException("Kafka unavailable (test)"));
        }
        synchronized (log) {
            log.add(record);
            view.apply(record);
        }
        return CompletableFuture.runAsync(() -> { }, LATER);
    }

    /** While true, every append fails as an unacknowledged write does. */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    public List<ApprovalRequest> history() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** A new view folded from this log from its beginning: what an instance reads when it starts. */
    public ApprovalView replay(int maxEntries) {
        ApprovalView replayed = new ApprovalView(maxEntries);
        history().forEach(replayed::apply);
        return replayed;
    }
}
