package dev.ngao.ingest.status;

import dev.ngao.events.RiskDecision;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * Lets a handler wait for risk-streams' decision on one transaction, up to a timeout, without blocking: the
 * decision comes from the {@link PaymentStatusView} (fed from {@code risk.decisions}), and the waiter
 * completes on the context that asked, so the handler continues on its own event loop.
 *
 * <p>The waiter is registered before the view is checked, and the view calls its listeners after it
 * recorded a decision, so a decision that arrives while the waiter registers is never missed. At most
 * {@code maxWaiting} transactions wait at once; beyond that {@link #await} fails at once.
 */
public final class DecisionAwaiter {

    private final Vertx vertx;
    private final PaymentStatusView view;
    private final int maxWaiting;
    private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();

    private record Waiter(Context context, Promise<Optional<PaymentStatus.Decision>> promise) {
    }

    public DecisionAwaiter(Vertx vertx, PaymentStatusView view, int maxWaiting) {
        if (maxWaiting < 1) {
            throw new IllegalArgumentException("maxWaiting must be positive");
        }
        this.vertx = vertx;
        this.view = view;
        this.maxWaiting = maxWaiting;
        view.onDecision(this::decided);
    }

    /**
     * The decision on {@code transactionId}, or empty once {@code timeoutMs} passed without one. Fails with
     * {@link RejectedExecutionException} when too many transactions wait already, and with
     * {@link IllegalStateException} if this transaction is awaited already.
     */
    public Future<Optional<PaymentStatus.Decision>> await(String transactionId, long timeoutMs) {
        if (waiters.size() >= maxWaiting) {
            return Future.failedFuture(new RejectedExecutionException(maxWaiting + " decisions awaited already"));
        }
        Waiter waiter = new Waiter(vertx.getOrCreateContext(), Promise.promise());
        if (waiters.putIfAbsent(transactionId, waiter) != null) {
            return Future.failedFuture(new IllegalStateException("decision awaited twice"));
        }
        long timer = vertx.setTimer(timeoutMs, id -> finish(transactionId, waiter, Optional.empty()));
        view.find(transactionId).map(PaymentStatus::decision)
                .ifPresent(decision -> finish(transactionId, waiter, Optional.of(decision)));
        return waiter.promise().future().onComplete(ignored -> vertx.cancelTimer(timer));
    }

    /** How many transactions wait now. */
    public int waiting() {
        return waiters.size();
    }

    private void decided(RiskDecision decision) {
        Waiter waiter = waiters.get(decision.getTransactionId());
        if (waiter != null) {
            finish(decision.getTransactionId(), waiter, Optional.of(PaymentStatus.decisionOf(decision)));
        }
    }

    private void finish(String transactionId, Waiter waiter, Optional<PaymentStatus.Decision> result) {
        waiters.remove(transactionId, waiter);
        waiter.context().runOnContext(ignored -> waiter.promise().tryComplete(result));
    }
}
