package dev.ngao.ingest.webhook;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;
import dev.ngao.ingest.idempotency.ClaimKey;
import dev.ngao.ingest.idempotency.IdempotencyKeys;
import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.platform.kafka.ConsumerLoop.Commit;
import dev.ngao.platform.kafka.ConsumerLoop.Undecodable;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.kafka.KeyedBatch;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the reconciler's status-query results ({@code providers.status-queries}) into provider events on
 * {@code providers.events}, under the rules webhooks follow, so risk and the ledger see what a query learnt.
 * On threads of its own (never the event loop), in a consumer group (platform's {@link ConsumerLoop}): the
 * records of a poll are handled {@value #PARALLELISM} transactions at a time, one transaction's records in their
 * order ({@link KeyedBatch}), and the poll's offsets are committed once every record of it is handled. One
 * record at a time, each waiting on a lock, a read-back of the status view and an acknowledged write, the intake
 * managed about two records a second on a busy host, behind the first answer of every submission; the records of
 * different transactions share no state but the view, which webhooks already update concurrently. The workers'
 * read-backs of the view reach {@link dev.ngao.ingest.kafka.LogFollower#awaitEnd} at once; it answers them together,
 * without waking its consumer, with the end offsets of a reader of its own ({@link ProviderStatusFeed}): asked of
 * the view's consumer, they waited behind its fetch, which the broker holds for up to {@code fetch.max.wait.ms}
 * (500 ms) while no event comes, and that wait was most of each record's half second. StatusQueryIntakeIT's
 * backlog of 400 results: 9.1 s 16 at a time with that wait, 2.7 s without it; one at a time, 0.52 s a record
 * with it, 0.06 s without. For each record:
 * <ol>
 *   <li>a record that cannot be an answer (no value, unreadable, no transaction or event id, a provider
 *       no webhook endpoint serves, status UNKNOWN) is logged by partition and offset and skipped;</li>
 *   <li>otherwise it takes the transaction's lock (the claim {@link ClaimKey#transactionLock} webhooks take,
 *       waiting while a webhook of the same transaction holds it), waits until the status view has read
 *       {@code providers.events} to its end, and judges the status against the view
 *       ({@link StatusTransitions});</li>
 *   <li>writes a copy with the judged transition, the real previous status and {@code receivedAt} = now
 *       (UTC, ms); only once Kafka acknowledged does it apply the copy to the view, release the lock, audit
 *       it; the poll is committed once all its records are (a commit the rebalanced group refuses leaves the
 *       poll to whoever owns the partition now, who judges its records again). A write that fails is tried again (after a back-off, judged again
 *       under a new lock) until it is acknowledged or the intake closes: a result is never dropped.</li>
 * </ol>
 * The writing itself is {@link StatusQueryWriter}'s, the telling {@link StatusQueryAudit}'s.
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
    /** Transactions handled at once: each mostly waits on Kafka round trips, not on a core. */
    static final int PARALLELISM = 16;
    private static final long JOIN_TIMEOUT_MS = 10_000;
    private static final long MAXIMUM_BACKOFF_MS = 5_000;

    private final Consumer<String, ProviderEvent> consumer;
    private final StatusQueryWriter writer;
    private final Set<String> providers;
    private final StatusQueryAudit audit;
    private final long retryBackoffMs;
    private final ConsumerLoop loop;
    private final KeyedBatch workers;
    private final Thread thread;
    private volatile boolean running = true;
    /** Guards {@link #consumerClosing}: the intake's thread is interrupted only before it closes its consumer. */
    private final Object interruptLock = new Object();
    private boolean consumerClosing;

    /**
     * @param consumer       subscribed here; owned (closed) by this object
     * @param writer         writes each result under the webhooks' lock and rules
     * @param providers      the provider ids whose results are taken (the webhook endpoints' providers)
     * @param audit          where each written result is told ({@code audit.ingest})
     * @param retryBackoffMs the first pause after a failed attempt (doubling, up to 5 s)
     */
    public StatusQueryIntake(Consumer<String, ProviderEvent> consumer, StatusQueryWriter writer, Set<String> providers,
                             StatusQueryAudit audit, long retryBackoffMs, String threadName) {
        if (retryBackoffMs < 1) {
            throw new IllegalArgumentException("retryBackoffMs must be positive");
        }
        this.consumer = consumer;
        this.writer = writer;
        this.providers = Set.copyOf(providers);
        this.audit = audit;
        this.retryBackoffMs = retryBackoffMs;
        // An unreadable record is skipped and committed past: it cannot be an answer.
        this.loop = ConsumerLoop.builder(threadName)
                .pollTimeout(POLL_TIMEOUT)
                .beforeFirstPoll(() -> consumer.subscribe(List.of(Topics.PROVIDER_STATUS_QUERIES.name())))
                .source(consumer, this::handleBatch, Commit.AFTER_HANDLE, Undecodable.SKIP)
                .build();
        this.workers = new KeyedBatch(threadName, PARALLELISM);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** The usual wiring: a read_committed consumer in group {@code groupId}, started at once. */
    public static StatusQueryIntake start(KafkaContext kafka, StatusQueryWriter writer, Set<String> providers,
                                          java.util.function.Consumer<AuditRecord> audit, Clock clock,
                                          String groupId) {
        StatusQueryIntake intake = new StatusQueryIntake(
                kafka.consumer(Topics.PROVIDER_STATUS_QUERIES, groupId, groupId), writer, providers,
                new StatusQueryAudit(audit, WebhookAudit.LOGGING, clock), 200, groupId);
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

    /** A poll's records, different transactions at once; returns once every one is handled. */
    private void handleBatch(ConsumerRecords<String, ProviderEvent> records) {
        List<ConsumerRecord<String, ProviderEvent>> all = new ArrayList<>(records.count());
        records.forEach(all::add);
        try {
            workers.handle(all, StatusQueryIntake::transactionOf, this::handle);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopping();
        }
    }

    /** The transaction a record is about; records that cannot be an answer share one key and are only skipped. */
    static String transactionOf(ConsumerRecord<String, ProviderEvent> record) {
        ProviderEvent value = record.value();
        return value == null || value.getTransactionId() == null ? "" : value.getTransactionId();
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
            Optional<ProviderEvent> written = writer.attempt(query);
            if (written.isPresent()) {
                audit.written(written.get());
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
        writer.stop();
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
        // A record still being handled is not committed: it comes again at the next start.
        workers.close(JOIN_TIMEOUT_MS);
    }

    /** Thrown on the intake's thread when it is asked to stop mid-record. */
    static final class Stopping extends KafkaException {
        Stopping() {
            super("closing");
        }
    }
}
