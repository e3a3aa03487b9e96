package dev.ngao.ingest.status;

import dev.ngao.events.CardAuthorizationAnswer;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Transaction id to current status, in memory and bounded. It is a cache, not a record: Kafka is the
 * record, and {@link PaymentStatusFeed} rebuilds the view from the beginning of the request, decision,
 * authorization-answer and review topics at every start. Beyond {@code maxEntries} the oldest transactions
 * (by first sighting) are evicted and their status answers 404 until a later issue backs the view with a
 * store.
 *
 * <p>Events may arrive in any order (they are on different topics, read by different threads, and the HTTP
 * handlers record their own events too), so updates merge: a decision always wins over pending, a request
 * never undoes a decision, and answers and resolutions are kept aside and applied when the status is read.
 *
 * <p>Refunds are counted per original transaction, by refund id, so a refund recorded by its handler and
 * read back from Kafka counts once.
 *
 * <p>Thread-safe; every method holds the lock only for map operations, so event-loop callers do not wait.
 * Decision listeners are called outside the lock.
 */
public final class PaymentStatusView {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentStatusView.class);

    private final int maxEntries;
    private final Map<String, PaymentStatus> byTransactionId;
    private final Map<String, PaymentStatus.Answer> answers;
    private final Map<String, PaymentStatus.Resolution> resolutions;
    /** Original transaction id to refund id to refunded minor units. */
    private final Map<String, Map<String, Long>> refunds;
    private final List<Consumer<RiskDecision>> decisionListeners = new CopyOnWriteArrayList<>();

    public PaymentStatusView(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        this.byTransactionId = bounded(maxEntries);
        this.answers = bounded(maxEntries);
        this.resolutions = bounded(maxEntries);
        this.refunds = bounded(maxEntries);
    }

    /** Insertion order: a later update of the same transaction keeps its place, so "oldest" means first seen. */
    private static <V> Map<String, V> bounded(int maxEntries) {
        return new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    public synchronized void recordRequest(PaymentRequest request) {
        byTransactionId.merge(request.getTransactionId(), PaymentStatus.pending(request),
                (known, pending) -> known.withRequest(request));
        if (request.getType() == PaymentType.REFUND && request.getOriginalTransactionId() != null) {
            refunds.computeIfAbsent(request.getOriginalTransactionId(), original -> new HashMap<>())
                    .put(request.getTransactionId(), request.getAmount().getAmountMinor());
        }
    }

    public void recordDecision(RiskDecision decision) {
        synchronized (this) {
            byTransactionId.merge(decision.getTransactionId(), PaymentStatus.decided(decision),
                    (known, decided) -> known.withDecision(decision));
        }
        for (Consumer<RiskDecision> listener : decisionListeners) {
            try {
                listener.accept(decision);
            } catch (RuntimeException e) {
                LOG.error("Decision listener failed on transaction {}", decision.getTransactionId(), e);
            }
        }
    }

    public synchronized void recordAnswer(CardAuthorizationAnswer answer) {
        answers.put(answer.getTransactionId(), new PaymentStatus.Answer(answer.getOutcome(), answer.getDecidedBy(),
                answer.getReason(), answer.getAnsweredAt()));
    }

    public synchronized void recordResolution(ReviewResolution resolution) {
        resolutions.put(resolution.getTransactionId(),
                new PaymentStatus.Resolution(resolution.getOutcome(), resolution.getResolvedAt(),
                        resolution.getSource()));
    }

    /** Called with every decision recorded from now on, after the view has it. */
    public void onDecision(Consumer<RiskDecision> listener) {
        decisionListeners.add(listener);
    }

    public synchronized Optional<PaymentStatus> find(String transactionId) {
        PaymentStatus status = byTransactionId.get(transactionId);
        if (status == null) {
            return Optional.empty();
        }
        PaymentStatus.Answer answer = answers.get(transactionId);
        PaymentStatus.Resolution resolution = resolutions.get(transactionId);
        if (answer != null) {
            status = status.withAnswer(answer);
        }
        if (resolution != null) {
            status = status.withResolution(resolution);
        }
        return Optional.of(status);
    }

    /**
     * Counts {@code amountMinor} of refund {@code refundId} against {@code originalTransactionId} if, with the
     * refunds already counted, it stays within {@code originalAmountMinor}; false, counting nothing, otherwise.
     * Check and count are one step, so two concurrent refunds cannot both pass on the same remainder.
     */
    public synchronized boolean reserveRefund(String originalTransactionId, String refundId, long amountMinor,
                                              long originalAmountMinor) {
        Map<String, Long> counted = refunds.computeIfAbsent(originalTransactionId, original -> new HashMap<>());
        long refundedMinor = counted.values().stream().mapToLong(Long::longValue).sum();
        if (amountMinor > originalAmountMinor - refundedMinor) {
            return false;
        }
        counted.put(refundId, amountMinor);
        return true;
    }

    /** Uncounts a refund that Kafka did not acknowledge; if it lands after all, reading it back counts it again. */
    public synchronized void releaseRefund(String originalTransactionId, String refundId) {
        Map<String, Long> counted = refunds.get(originalTransactionId);
        if (counted != null) {
            counted.remove(refundId);
        }
    }

    public synchronized long refundedMinor(String originalTransactionId) {
        return refunds.getOrDefault(originalTransactionId, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized int size() {
        return byTransactionId.size();
    }

    public int maxEntries() {
        return maxEntries;
    }
}
