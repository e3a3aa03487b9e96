package dev.ngao.ingest.status;

import dev.ngao.events.CardAuthorizationAnswer;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.ngao.ingest.state.IngestStateStores;
import dev.ngao.ingest.state.InsertionOrderedStore;
import dev.ngao.ingest.state.JsonValues;
import dev.ngao.platform.rocksdb.RocksCodec;
import dev.ngao.platform.rocksdb.RocksStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Transaction id to current status, bounded, kept off the Java heap in RocksDB ({@link IngestStateStores}). It is
 * a cache, not a record: Kafka is the record, and {@link PaymentStatusFeed} rebuilds the view from the beginning
 * of the request, decision, authorization-answer and review topics at every start (its store starts empty).
 * Beyond {@code maxEntries} the oldest transactions (by first sighting) are evicted and their status answers 404;
 * each of the four maps (statuses, answers, resolutions, refunds) has that bound and order of its own
 * ({@link InsertionOrderedStore}).
 *
 * <p>Events may arrive in any order (they are on different topics, read by different threads, and the HTTP
 * handlers record their own events too), so updates merge: a decision always wins over pending, a request
 * never undoes a decision, and answers and resolutions are kept aside and applied when the status is read.
 *
 * <p>Refunds are counted per original transaction, by refund id, so a refund recorded by its handler and
 * read back from Kafka counts once.
 *
 * <p>Thread-safe; every method holds the lock only for its point reads and writes (no scan), so event-loop
 * callers do not wait long. Decision listeners are called outside the lock.
 */
public final class PaymentStatusView {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentStatusView.class);
    private static final String STATUSES = "statuses";
    private static final String ANSWERS = "answers";
    private static final String RESOLUTIONS = "resolutions";
    private static final String REFUNDS = "refunds";
    private static final TypeReference<Map<String, Long>> REFUNDS_BY_ID = new TypeReference<>() {
    };

    private final int maxEntries;
    private final InsertionOrderedStore byTransactionId;
    private final InsertionOrderedStore answers;
    private final InsertionOrderedStore resolutions;
    /** Original transaction id to refund id to refunded minor units. */
    private final InsertionOrderedStore refunds;
    private final List<Consumer<RiskDecision>> decisionListeners = new CopyOnWriteArrayList<>();

    /** An empty view in a store of its own among {@code stores}, closed with them. */
    public PaymentStatusView(IngestStateStores stores, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        List<String> families = new ArrayList<>();
        for (String map : List.of(STATUSES, ANSWERS, RESOLUTIONS, REFUNDS)) {
            families.addAll(InsertionOrderedStore.families(map));
        }
        RocksStore rocks = stores.open("status-view", families, IllegalStateException::new);
        this.byTransactionId = InsertionOrderedStore.in(stores, rocks, STATUSES, maxEntries);
        this.answers = InsertionOrderedStore.in(stores, rocks, ANSWERS, maxEntries);
        this.resolutions = InsertionOrderedStore.in(stores, rocks, RESOLUTIONS, maxEntries);
        this.refunds = InsertionOrderedStore.in(stores, rocks, REFUNDS, maxEntries);
    }

    private static byte[] key(String transactionId) {
        return RocksCodec.utf8(transactionId);
    }

    private PaymentStatus status(String transactionId) {
        return JsonValues.read(byTransactionId.get(key(transactionId)), PaymentStatus.class);
    }

    private Map<String, Long> refundsOf(String originalTransactionId) {
        Map<String, Long> counted = JsonValues.read(refunds.get(key(originalTransactionId)), REFUNDS_BY_ID);
        return counted == null ? new HashMap<>() : counted;
    }

    public synchronized void recordRequest(PaymentRequest request) {
        PaymentStatus known = status(request.getTransactionId());
        byTransactionId.put(key(request.getTransactionId()),
                JsonValues.write(known == null ? PaymentStatus.pending(request) : known.withRequest(request)));
        if (request.getType() == PaymentType.REFUND && request.getOriginalTransactionId() != null) {
            Map<String, Long> counted = refundsOf(request.getOriginalTransactionId());
            counted.put(request.getTransactionId(), request.getAmount().getAmountMinor());
            refunds.put(key(request.getOriginalTransactionId()), JsonValues.write(counted));
        }
    }

    public void recordDecision(RiskDecision decision) {
        synchronized (this) {
            PaymentStatus known = status(decision.getTransactionId());
            byTransactionId.put(key(decision.getTransactionId()),
                    JsonValues.write(known == null ? PaymentStatus.decided(decision) : known.withDecision(decision)));
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
        answers.put(key(answer.getTransactionId()), JsonValues.write(new PaymentStatus.Answer(answer.getOutcome(),
                answer.getDecidedBy(), answer.getReason(), answer.getAnsweredAt())));
    }

    public synchronized void recordResolution(ReviewResolution resolution) {
        resolutions.put(key(resolution.getTransactionId()), JsonValues.write(new PaymentStatus.Resolution(
                resolution.getOutcome(), resolution.getResolvedAt(), resolution.getSource())));
    }

    /** Called with every decision recorded from now on, after the view has it. */
    public void onDecision(Consumer<RiskDecision> listener) {
        decisionListeners.add(listener);
    }

    public synchronized Optional<PaymentStatus> find(String transactionId) {
        PaymentStatus status = status(transactionId);
        if (status == null) {
            return Optional.empty();
        }
        PaymentStatus.Answer answer = JsonValues.read(answers.get(key(transactionId)), PaymentStatus.Answer.class);
        PaymentStatus.Resolution resolution = JsonValues.read(resolutions.get(key(transactionId)),
                PaymentStatus.Resolution.class);
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
        Map<String, Long> counted = refundsOf(originalTransactionId);
        long refundedMinor = counted.values().stream().mapToLong(Long::longValue).sum();
        if (amountMinor > originalAmountMinor - refundedMinor) {
            return false;
        }
        counted.put(refundId, amountMinor);
        refunds.put(key(originalTransactionId), JsonValues.write(counted));
        return true;
    }

    /** Uncounts a refund that Kafka did not acknowledge; if it lands after all, reading it back counts it again. */
    public synchronized void releaseRefund(String originalTransactionId, String refundId) {
        byte[] stored = refunds.get(key(originalTransactionId));
        if (stored != null) {
            Map<String, Long> counted = JsonValues.read(stored, REFUNDS_BY_ID);
            counted.remove(refundId);
            refunds.put(key(originalTransactionId), JsonValues.write(counted));
        }
    }

    public synchronized long refundedMinor(String originalTransactionId) {
        return refundsOf(originalTransactionId).values().stream().mapToLong(Long::longValue).sum();
    }

    public int size() {
        return (int) byTransactionId.size();
    }

    public int maxEntries() {
        return maxEntries;
    }
}
