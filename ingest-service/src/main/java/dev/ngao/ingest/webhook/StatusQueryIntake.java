package dev.ngao.ingest.webhook;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;
import dev.ngao.ingest.audit.RequestAudit;
import dev.ngao.ingest.idempotency.ClaimKey;
import dev.ngao.ingest.idempotency.ClaimOutcome;
import dev.ngao.ingest.idempotency.ClaimStore;
import dev.ngao.ingest.idempotency.ClaimTicket;
import dev.ngao.ingest.idempotency.IdempotencyKeys;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.kafka.AcknowledgedPublisher.Publication;
import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.platform.kafka.ConsumerLoop.Commit;
import dev.ngao.platform.kafka.ConsumerLoop.Undecodable;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns the reconciler's status-query results ({@code providers.status-queries}) into provider events on
 * {@code providers.events}, under the rules webhooks follow, so risk and the ledger see what a query learnt.
 * On a thread of its own (never the event loop), in a consumer group, one record at a time (platform's
 * {@link ConsumerLoop}, each record committed once handled):
 * <ol>
 *   <li>a record that cannot be an answer (no value, unreadable, no transaction or event id, a provider
 *       no webhook endpoint serves, status UNKNOWN) is logged by partition and offset and skipped;</li>
 *   <li>otherwise it takes the transaction's lock (the claim {@link ClaimKey#transactionLock} webhooks take,
 *       waiting while a webhook of the same transaction holds it), waits until the status view has read
 *       {@code providers.events} to its end, and judges the status against the view
 *       ({@link StatusTransitions});</li>
 *   <li>writes a copy with the judged transition, the real previous status and {@code receivedAt} = now
 *       (UTC, ms); only once Kafka acknowledged does it apply the copy to the view, release the lock, audit
 *       it, and commit the record's offset (a commit the rebalanced group refuses leaves the rest of the poll
 *       to whoever owns the partition now). A write that fails is tried again (after a back-off, judged again
 *       under a new lock) until it is acknowledged or the intake closes: a result is never dropped.</li>
 * </ol>
 * Input is at-least-once: a record may come again (a crash between the write and the commit, or the
 * reconciler asking again). It is then judged again and, the view already holding its status, written as
 * {@link StatusTransition#DUPLICATE_STATUS}: marked, so downstream sees it but only APPLIED moves a state.
 * (Like webhooks, this relies on the view holding the transaction: past {@code ingest.webhooks.state.max.entries}
 * transactions an evicted one is judged as new.)
 */
public final class StatusQueryIntake implements AutoCloseable {

    /** The audit actor: the reconciler wrote the record, relaying the provider's answer. */
    public static final String ACTOR = "reconciler";
    public static final String ACTION = "status-query.accepted";

    private static final Logger LOG = LoggerFactory.getLogger(StatusQueryIntake.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final long JOIN_TIMEOUT_MS = 10_000;
    private static final long MAXIMUM_BACKOFF_MS = 5_000;

    private final Consumer<String, ProviderEvent> consumer;
    private final AcknowledgedPublisher<String, ProviderEvent> publisher;
    private final ClaimStore claims;
    private final ProviderStatusView view;
    private final ProviderStatusSync sync;
    private final Set<String> providers;
    private final java.util.function.Consumer<AuditRecord> audit;
    private final WebhookAudit outcomes;
    private final Clock clock;
    private final Duration lockLease;
    private final Duration lockWait;
    private final long retryBackoffMs;
    private final ConsumerLoop loop;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param consumer       subscribed here; owned (closed) by this object
     * @param providers      the provider ids whose results are taken (the webhook endpoints' providers)
     * @param audit          where each written result's audit record goes ({@code audit.ingest})
     * @param lockLease      how long a per-transaction lock holds if its holder dies
     * @param lockWait       how long one attempt waits for a busy transaction before backing off
     * @param retryBackoffMs the first pause after a failed attempt (doubling, up to 5 s)
     */
    /** Guards {@link #consumerClosing}: the intake's thread is interrupted only before it closes its consumer. */
    private final Object interruptLock = new Object();
    private boolean consumerClosing;

    public StatusQueryIntake(Consumer<String, ProviderEvent> consumer,
                             AcknowledgedPublisher<String, ProviderEvent> publisher, ClaimStore claims,
                             ProviderStatusView view, ProviderStatusSync sync, Set<String> providers,
                             java.util.function.Consumer<AuditRecord> audit, WebhookAudit outcomes, Clock clock,
                             Duration lockLease, Duration lockWait, long retryBackoffMs, String threadName) {
        if (retryBackoffMs < 1) {
            throw new IllegalArgumentException("retryBackoffMs must be positive");
        }
        this.consumer = consumer;
        this.publisher = publisher;
        this.claims = claims;
        this.view = view;
        this.sync = sync;
        this.providers = Set.copyOf(providers);
        this.audit = audit;
        this.outcomes = outcomes;
        this.clock = clock;
        this.lockLease = lockLease;
        this.lockWait = lockWait;
        this.retryBackoffMs = retryBackoffMs;
        // An unreadable record is skipped and committed past: it cannot be an answer.
        this.loop = ConsumerLoop.builder(threadName)
                .pollTimeout(POLL_TIMEOUT)
                .beforeFirstPoll(() -> consumer.subscribe(List.of(Topics.PROVIDER_STATUS_QUERIES.name())))
                .source(consumer, ConsumerLoop.eachRecord(this::handle), Commit.EACH_RECORD, Undecodable.SKIP)
                .build();
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** The usual wiring: a read_committed consumer in group {@code groupId}, started at once. */
    public static StatusQueryIntake start(KafkaContext kafka, AcknowledgedPublisher<String, ProviderEvent> publisher,
                                          ClaimStore claims, ProviderStatusView view, ProviderStatusSync sync,
                                          Set<String> providers, java.util.function.Consumer<AuditRecord> audit,
                                          Clock clock, Duration lockLease, Duration lockWait, String groupId) {
        StatusQueryIntake intake = new StatusQueryIntake(
                kafka.consumer(Topics.PROVIDER_STATUS_QUERIES, groupId, groupId), publisher, claims, view, sync,
                providers, audit, WebhookAudit.LOGGING, clock, lockLease, lockWait, 200, groupId);
        intake.start();
        return intake;
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            loop.run();
        } catch (WakeupException | InterruptException | Stopping e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("Status-query intake stopped: {}", e.toString());
        } finally {
            // close() may have interrupted a wait; the consumer must still close, and close() must not interrupt
            // it while it does (Kafka would log the interrupted close as an error with its stack).
            synchronized (interruptLock) {
                consumerClosing = true;
                Thread.interrupted();
            }
            consumer.close();
        }
    }

    /** Returns once the record is written (acknowledged) or found not to be a result; throws when closing. */
    void handle(ConsumerRecord<String, ProviderEvent> record) {
        Optional<String> invalid = invalidReason(record.value());
        if (invalid.isPresent()) {
            LOG.warn("Status-query record at {}-{}@{} skipped: {}", record.topic(), record.partition(),
                    record.offset(), invalid.get());
            return;
        }
        ProviderEvent query = record.value();
        for (int attempt = 1; running; attempt++) {
            Optional<ProviderEvent> written = attempt(query);
            if (written.isPresent()) {
                written(written.get());
                return;
            }
            pause(Math.min(MAXIMUM_BACKOFF_MS, retryBackoffMs << Math.min(attempt - 1, 10)));
        }
        throw new Stopping();
    }

    private Optional<String> invalidReason(ProviderEvent query) {
        if (query == null) {
            return Optional.of("no value");
        }
        if (query.getTransactionId() == null || query.getTransactionId().isBlank()
                || !IdempotencyKeys.isValid(query.getTransactionId())) {
            return Optional.of("no valid transaction id");
        }
        if (query.getEventId() == null || query.getEventId().isBlank()) {
            return Optional.of("no event id");
        }
        if (!providers.contains(query.getProvider())) {
            return Optional.of("unknown provider");
        }
        if (query.getStatus() == null || query.getStatus() == ProviderStatus.UNKNOWN) {
            // An answer that says nothing must not become a transaction's first status.
            return Optional.of("status unknown");
        }
        return Optional.empty();
    }

    /** One try under the transaction's lock: the written event, or empty when it must be tried again. */
    private Optional<ProviderEvent> attempt(ProviderEvent query) {
        String transactionId = query.getTransactionId();
        Optional<ClaimTicket> lock = lock(ClaimKey.transactionLock(transactionId), query.getEventId());
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try {
            await(sync.awaitEnd(), lockLease.toMillis() / 2);
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

    /** The lock, waiting up to lockWait while another holds it; empty if not won in that time. */
    private Optional<ClaimTicket> lock(ClaimKey key, String eventId) {
        Instant deadline = clock.instant().plus(lockWait);
        while (running) {
            ClaimOutcome outcome;
            try {
                outcome = await(claims.claim(key, eventId, lockLease), lockLease.toMillis());
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
        throw new Stopping();
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

    private void written(ProviderEvent event) {
        outcomes.record(event.getProvider(), ACTION, event.getTransition().name(), event.getEventId(), ACTOR);
        audit.accept(AuditRecord.newBuilder()
                .setAuditId(UUID.randomUUID().toString())
                .setOccurredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setComponent(RequestAudit.COMPONENT)
                .setActor(ACTOR)
                .setAction(ACTION)
                .setSubjectType(RequestAudit.SUBJECT_TRANSACTION)
                .setSubjectId(event.getTransactionId())
                .setOutcome(AuditOutcome.SUCCESS)
                .setDetails(Map.of(
                        "provider", event.getProvider(),
                        "eventId", event.getEventId(),
                        WebhookRoutes.PROVIDER_EVENT_DETAIL, event.getProviderEventId(),
                        WebhookRoutes.TRANSITION_DETAIL, event.getTransition().name(),
                        "status", event.getStatus().name()))
                .build());
        if (event.getTransition() == StatusTransition.CONFLICT) {
            LOG.warn("Status-query result {} of transaction {}: {} after {}, recorded as a conflict for review",
                    event.getEventId(), event.getTransactionId(), event.getStatus(), event.getPreviousStatus());
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
                        lockLease);
            }
        });
    }

    private static <T> T await(CompletableFuture<T> future, long timeoutMs)
            throws ExecutionException, TimeoutException {
        try {
            return future.get(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopping();
        }
    }

    /** Vert.x futures of the publisher; they complete on their own (acknowledged: after its timeout). */
    private <T> T awaitVertx(Future<T> future) throws ExecutionException, TimeoutException {
        CompletableFuture<T> completable = future.toCompletionStage().toCompletableFuture();
        while (running) {
            try {
                return completable.get(POLL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // not decided yet: look at running again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopping();
            }
        }
        throw new Stopping();
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopping();
        }
    }

    /** Stops the thread; a record it was working on is not committed and comes again at the next start. */
    @Override
    public void close() {
        running = false;
        loop.stop();
        synchronized (interruptLock) {
            if (!consumerClosing) {
                thread.interrupt();
            }
        }
        try {
            thread.join(JOIN_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Status-query intake did not stop within {} ms", JOIN_TIMEOUT_MS);
        }
    }

    /** Thrown on the intake's thread when it is asked to stop mid-record. */
    private static final class Stopping extends KafkaException {
        Stopping() {
            super("closing");
        }
    }
}
