package dev.ngao.ingest.payment;

import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.idempotency.AcceptedClaim;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Gets every accepted payment onto {@code payments.requests}, whoever accepted it and whatever became of
 * them. A payment is accepted by one write, its claim on {@code ingest.idempotency}, which carries the
 * event sealed; the accepting instance then publishes the event without making the merchant wait for it. If
 * that instance dies first, or Kafka refuses the event, the event would be missing: so every instance
 * remembers the accepted claims it folds (its own and the others') until it sees their event on
 * {@code payments.requests}, and publishes any still missing after a grace period from the sealed copy.
 *
 * <p>Publishing twice is harmless by construction: the copy is the same event (same transaction id, same
 * account, so the same partition), and risk-streams drops a second record of a transaction. That is why no
 * instance needs to own the republishing of another's claim, and why a grace period is enough coordination.
 *
 * <p>Bounded: claims older than {@link #HORIZON} when folded are not tracked (at start, only the last minutes
 * of the log matter); at most {@code maxPending} events wait, and while that many do, {@link #saturated()}
 * tells the route to refuse new payments (503) rather than accept what it might not deliver. Thread-safe:
 * the claim follower, the request follower and the event loop call it.
 */
public final class PaymentRelay implements AutoCloseable {

    /** Accepted claims older than this when folded are assumed delivered: a start reads 72 hours of claims. */
    public static final Duration HORIZON = Duration.ofMinutes(15);
    /** How often the pending events are looked at. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);
    /** Events republished per sweep at most, so a backlog drains without flooding the producer. */
    static final int MAXIMUM_REPUBLISHED_PER_SWEEP = 1_000;
    /** Transaction ids remembered as published, for events read before their claim is folded. */
    private static final int RECENTLY_PUBLISHED_CAPACITY = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(PaymentRelay.class);

    private final PaymentRequestPublisher publisher;
    private final SealedPaymentRequests sealer;
    private final Predicate<String> publishedBeforeStart;
    private final Clock clock;
    private final Duration grace;
    private final int maxPending;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Boolean> recentlyPublished = new LinkedHashMap<>(1 << 10, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENTLY_PUBLISHED_CAPACITY;
        }
    };
    private Vertx vertx;
    private long timerId = -1;
    private long republished;

    /**
     * @param publishedBeforeStart whether an event read from {@code payments.requests} since this instance
     *                             started is known (the status view, whose request follower catches up first);
     *                             asked only of claims that were in the log at start
     * @param grace                how long after its acceptance (or a failed attempt) a missing event is
     *                             published again; well above the time a publication normally takes
     */
    public PaymentRelay(PaymentRequestPublisher publisher, SealedPaymentRequests sealer,
                        Predicate<String> publishedBeforeStart, Clock clock, Duration grace, int maxPending) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be positive");
        }
        this.publisher = publisher;
        this.sealer = sealer;
        this.publishedBeforeStart = publishedBeforeStart;
        this.clock = clock;
        this.grace = grace;
        this.maxPending = maxPending;
    }

    /** Sweeps every {@link #SWEEP_INTERVAL} on {@code vertx}'s event loop from now on. */
    public synchronized void start(Vertx vertx) {
        this.vertx = vertx;
        timerId = vertx.setPeriodic(SWEEP_INTERVAL.toMillis(), ignored -> sweep());
    }

    /**
     * The accepting instance's own publication, right after its claim won: sent now, and forgotten once
     * Kafka acknowledged it; if Kafka refuses it, the sweep sends it again.
     */
    public Future<Void> publish(PaymentRequest event) {
        String transactionId = event.getTransactionId();
        return publisher.publish(event)
                .onSuccess(position -> published(transactionId))
                .onFailure(error -> LOG.warn("Payment {} accepted but its event not written yet ({}); it will be "
                        + "published again in {} s", transactionId, error.toString(), grace.toSeconds()))
                .mapEmpty();
    }

    /** An accepting claim won its key (folded from the log): its event is expected on payments.requests. */
    public void accepted(AcceptedClaim claim) {
        String transactionId = claim.payload().subjectId();
        if (PayoutGate.isHeld(transactionId)) {
            return; // a payout waiting for approval: published by its approval, never from the claim
        }
        if (claim.claimedAt().isBefore(clock.instant().minus(HORIZON))) {
            return;
        }
        if (claim.presentAtStart() && publishedBeforeStart.test(transactionId)) {
            return;
        }
        synchronized (this) {
            if (recentlyPublished.containsKey(transactionId)) {
                return;
            }
            if (pending.size() >= maxPending) {
                // Tracked or not, the claim is in the log: the next start's relay sees it again.
                LOG.error("Relay full ({} events pending): payment {} is not tracked by this instance",
                        pending.size(), transactionId);
                return;
            }
            pending.put(transactionId, new Pending(claim.payload().sealedContent(), claim.claimedAt().plus(grace)));
        }
    }

    /** The event of {@code transactionId} is on payments.requests (read back, or acknowledged to this instance). */
    public synchronized void published(String transactionId) {
        pending.remove(transactionId);
        recentlyPublished.put(transactionId, Boolean.TRUE);
    }

    /** Whether as many events wait as the relay holds: new payments must wait until some are delivered. */
    public synchronized boolean saturated() {
        return pending.size() >= maxPending;
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    public synchronized long republishedCount() {
        return republished;
    }

    /** Publishes again every event past its grace; returns how many it sent. */
    public int sweep() {
        List<Map.Entry<String, Pending>> due = due(clock.instant());
        due.forEach(entry -> republish(entry.getKey(), entry.getValue()));
        return due.size();
    }

    private synchronized List<Map.Entry<String, Pending>> due(Instant now) {
        List<Map.Entry<String, Pending>> due = new ArrayList<>();
        for (Map.Entry<String, Pending> entry : pending.entrySet()) {
            if (due.size() == MAXIMUM_REPUBLISHED_PER_SWEEP) {
                break;
            }
            if (!entry.getValue().dueAt().isAfter(now)) {
                due.add(Map.entry(entry.getKey(), entry.getValue()));
                entry.setValue(new Pending(entry.getValue().sealed(), now.plus(grace)));
            }
        }
        republished += due.size();
        return due;
    }

    private void republish(String transactionId, Pending entry) {
        PaymentRequest event;
        try {
            event = sealer.open(transactionId, entry.sealed());
        } catch (RuntimeException e) {
            // Sealed under another master key, or damaged: nobody here can deliver it. Said loudly, by id only.
            LOG.error("Cannot open the accepted payment {} to publish it ({}); it needs an operator", transactionId,
                    e.getMessage());
            synchronized (this) {
                pending.remove(transactionId);
            }
            return;
        }
        LOG.warn("Publishing payment {} again: its event is not on payments.requests {} s after acceptance",
                transactionId, grace.toSeconds());
        publisher.publish(event)
                .onSuccess(position -> published(transactionId))
                .onFailure(error -> LOG.warn("Payment {} still not written ({}); trying again in {} s", transactionId,
                        error.toString(), grace.toSeconds()));
    }

    @Override
    public synchronized void close() {
        if (vertx != null && timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** A sealed event and when to publish it (again) if it is still missing then. */
    private record Pending(byte[] sealed, Instant dueAt) {
    }
}
