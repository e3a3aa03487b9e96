package dev.ngao.ingest.webhook;

import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;
import dev.ngao.ingest.idempotency.ClaimKey;
import dev.ngao.ingest.idempotency.ClaimOutcome;
import dev.ngao.ingest.idempotency.ClaimStore;
import dev.ngao.ingest.idempotency.ClaimTicket;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.kafka.AcknowledgedPublisher.Publication;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes one status-query result the way webhooks write theirs: under the transaction's lock (the claim
 * {@link ClaimKey#transactionLock} webhooks take), once the status view has read {@code providers.events} to its
 * end, judged against the view ({@link StatusTransitions}), and applied to the view only once Kafka acknowledged
 * the copy. Used by {@link StatusQueryIntake} on its thread; {@link #stop()} ends the waits of an attempt.
 */
public final class StatusQueryWriter {

    /** How long a transaction's lock holds if its holder dies, and how long one attempt waits for a busy one. */
    public record LockTiming(Duration lease, Duration busyWait) {
        public LockTiming {
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(busyWait, "busyWait");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(StatusQueryIntake.class);
    /** How often a wait for Kafka's decision looks whether the intake is closing. */
    private static final Duration DECISION_CHECK = Duration.ofMillis(200);

    private final AcknowledgedPublisher<String, ProviderEvent> publisher;
    private final ClaimStore claims;
    private final ProviderStatusView view;
    private final ProviderStatusSync sync;
    private final LockTiming lockTiming;
    private final Clock clock;
    private volatile boolean running = true;

    /**
     * @param publisher writes to {@code providers.events}
     * @param view      the provider status view results are judged against, and applied to once written
     * @param sync      waits until the view has read {@code providers.events} to its end
     */
    public StatusQueryWriter(AcknowledgedPublisher<String, ProviderEvent> publisher, ClaimStore claims,
                             ProviderStatusView view, ProviderStatusSync sync, LockTiming lockTiming, Clock clock) {
        this.publisher = publisher;
        this.claims = claims;
        this.view = view;
        this.sync = sync;
        this.lockTiming = lockTiming;
        this.clock = clock;
    }

    /** Ends the waits of an attempt under way (it throws) and refuses new ones; safe from any thread. */
    void stop() {
        running = false;
    }

    /** One try under the transaction's lock: the written event, or empty when it must be tried again. */
    Optional<ProviderEvent> attempt(ProviderEvent query) {
        String transactionId = query.getTransactionId();
        Optional<ClaimTicket> lock = lock(ClaimKey.transactionLock(transactionId), query.getEventId());
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try {
            await(sync.awaitEnd(), lockTiming.lease().toMillis() / 2);
            ProviderStatus previous = view.find(transactionId).orElse(null);
            StatusTransition transition = StatusTransitions.judge(previous, query.getStatus());
            ProviderEvent event = copy(query, previous, transition, clock.instant());
            if (!write(event)) {
                return Optional.empty();
            }
            view.apply(event);
            return Optional.of(event);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Status-query result of transaction {} not written yet: {}", transactionId,
                    e instanceof ExecutionException ? String.valueOf(e.getCause()) : "status view behind");
            return Optional.empty();
        } finally {
            release(lock.get());
        }
    }

    /** The lock, waiting up to lockTiming.busyWait() while another holds it; empty if not won in that time. */
    private Optional<ClaimTicket> lock(ClaimKey key, String eventId) {
        Instant deadline = clock.instant().plus(lockTiming.busyWait());
        while (running) {
            ClaimOutcome outcome;
            try {
                outcome = await(claims.claim(key, eventId, lockTiming.lease()), lockTiming.lease().toMillis());
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Cannot lock a transaction for a status-query result: {}", e.toString());
                return Optional.empty();
            }
            if (outcome instanceof ClaimOutcome.Won won) {
                return Optional.of(won.ticket());
            }
            if (outcome instanceof ClaimOutcome.Undecidable) {
                LOG.warn("Cannot lock a transaction for a status-query result: claim table full");
                return Optional.empty();
            }
            Duration remaining = Duration.between(clock.instant(), deadline);
            if (remaining.isNegative() || remaining.isZero()) {
                return Optional.empty();
            }
            try {
                await(claims.nextChange(key, remaining), remaining.toMillis() + 1_000);
            } catch (ExecutionException | TimeoutException e) {
                return Optional.empty();
            }
        }
        throw new StatusQueryIntake.Stopping();
    }

    /** Whether Kafka acknowledged the event; a write that timed out is followed until Kafka decides. */
    private boolean write(ProviderEvent event) throws ExecutionException {
        Publication publication = publisher.publish(event.getTransactionId(), event);
        try {
            awaitVertx(publication.acknowledged());
            return true;
        } catch (ExecutionException | TimeoutException e) {
            if (!publication.undecided()) {
                LOG.warn("Provider event {} of transaction {} not acknowledged: {}", event.getEventId(),
                        event.getTransactionId(), String.valueOf(e.getCause()));
                return false;
            }
        }
        // The write may still land: the lock stays held until Kafka's own delivery timeout decides.
        try {
            awaitVertx(publication.settled());
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Provider event {} of transaction {} not written: {}", event.getEventId(),
                    event.getTransactionId(), String.valueOf(e.getCause()));
            return false;
        }
    }

    /** The result as ingest writes it: judged, with the real previous status, received now. */
    static ProviderEvent copy(ProviderEvent query, ProviderStatus previous, StatusTransition transition,
                              Instant receivedAt) {
        return ProviderEvent.newBuilder(query)
                .setTransition(transition)
                .setPreviousStatus(previous)
                .setReceivedAt(receivedAt.truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    private void release(ClaimTicket lock) {
        claims.release(lock, "status-query").whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.warn("Cannot release the lock of a transaction ({}); it frees itself after {}", error.toString(),
                        lockTiming.lease());
            }
        });
    }

    private static <T> T await(CompletableFuture<T> future, long timeoutMs)
            throws ExecutionException, TimeoutException {
        try {
            return future.get(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatusQueryIntake.Stopping();
        }
    }

    /** Vert.x futures of the publisher; they complete on their own (acknowledged: after its timeout). */
    private <T> T awaitVertx(Future<T> future) throws ExecutionException, TimeoutException {
        CompletableFuture<T> completable = future.toCompletionStage().toCompletableFuture();
        while (running) {
            try {
                return completable.get(DECISION_CHECK.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // not decided yet: look at running again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StatusQueryIntake.Stopping();
            }
        }
        throw new StatusQueryIntake.Stopping();
    }
}
