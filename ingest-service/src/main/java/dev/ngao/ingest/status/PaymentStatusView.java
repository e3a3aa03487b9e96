package dev.ngao.ingest.status;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Transaction id to current status, in memory and bounded. It is a cache, not a record: Kafka is the
 * record, and {@link PaymentStatusFeed} rebuilds the view from the beginning of the request and decision
 * topics at every start. Beyond {@code maxEntries} the oldest transactions (by first sighting) are
 * evicted and their status answers 404 until a later issue backs the view with a store.
 *
 * <p>Requests and decisions may arrive in either order (they are on different topics, read by different
 * threads, and the HTTP handler records its own request too), so updates merge: a decision always wins
 * over pending, and a request never undoes a decision.
 *
 * <p>Thread-safe; every method holds the lock only for a map operation, so event-loop callers do not wait.
 */
public final class PaymentStatusView {

    private final int maxEntries;
    private final Map<String, PaymentStatus> byTransactionId;

    public PaymentStatusView(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        // Insertion order: a later update of the same transaction keeps its place, so "oldest" means first seen.
        this.byTransactionId = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PaymentStatus> eldest) {
                return size() > PaymentStatusView.this.maxEntries;
            }
        };
    }

    public synchronized void recordRequest(PaymentRequest request) {
        byTransactionId.merge(request.getTransactionId(), PaymentStatus.pending(request),
                (known, pending) -> known.withRequest(request));
    }

    public synchronized void recordDecision(RiskDecision decision) {
        byTransactionId.merge(decision.getTransactionId(), PaymentStatus.decided(decision),
                (known, decided) -> known.withDecision(decision));
    }

    public synchronized Optional<PaymentStatus> find(String transactionId) {
        return Optional.ofNullable(byTransactionId.get(transactionId));
    }

    public synchronized int size() {
        return byTransactionId.size();
    }

    public int maxEntries() {
        return maxEntries;
    }
}
