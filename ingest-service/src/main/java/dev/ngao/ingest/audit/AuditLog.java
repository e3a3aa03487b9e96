package dev.ngao.ingest.audit;

import dev.ngao.events.AuditRecord;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Writes audit records to {@code audit.ingest} without ever holding up an answer: {@link #write} only
 * offers the record to a bounded queue, and one writer thread of its own hands records to the producer
 * (whose {@code send} may block on metadata or a full buffer, which must not happen on the event loop or
 * starve the worker pool that payments use). A record that cannot be written (queue full, Kafka refused)
 * is logged by its ids only and reported to {@code failures} with a cause, for the metric.
 */
public final class AuditLog implements AutoCloseable {

    public static final String CAUSE_QUEUE_FULL = "queue-full";
    public static final String CAUSE_KAFKA = "kafka";
    public static final String CAUSE_CLOSED = "closed";

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final long POLL_INTERVAL_MS = 100;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Producer<String, AuditRecord> producer;
    private final BlockingQueue<AuditRecord> queue;
    private final Consumer<String> failures;
    private final Thread writer;
    private volatile boolean closing;

    /**
     * @param capacity records waiting for the writer at most; beyond it new records are dropped and counted
     * @param failures told the cause of each record that was not written
     */
    public AuditLog(Producer<String, AuditRecord> producer, int capacity, Consumer<String> failures) {
        this.producer = producer;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.failures = failures;
        this.writer = new Thread(this::writeQueued, "ngao-audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues {@code record}; never blocks. */
    public void write(AuditRecord record) {
        if (closing) {
            failed(record, CAUSE_CLOSED, null);
        } else if (!queue.offer(record)) {
            failed(record, CAUSE_QUEUE_FULL, null);
        }
    }

    /** Records waiting for the writer thread. */
    public int queued() {
        return queue.size();
    }

    private void writeQueued() {
        while (!closing || !queue.isEmpty()) {
            try {
                AuditRecord record = queue.poll(POLL_INTERVAL_MS, TimeUnit.MILLISECONDS);
                if (record != null) {
                    send(record);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Keyed by the subject, so every record of one transaction lands on one partition, in order. */
    private void send(AuditRecord record) {
        try {
            producer.send(new ProducerRecord<>(Topics.AUDIT_INGEST.name(), record.getSubjectId(), record),
                    (metadata, error) -> {
                        if (error != null) {
                            failed(record, CAUSE_KAFKA, error);
                        }
                    });
        } catch (RuntimeException e) {
            failed(record, CAUSE_KAFKA, e);
        }
    }

    private void failed(AuditRecord record, String cause, Throwable error) {
        LOG.warn("Audit record {} of request {} not written ({}{})", record.getAuditId(),
                record.getDetails().get(RequestAudit.REQUEST_ID_DETAIL), cause,
                error == null ? "" : ": " + error.getClass().getSimpleName());
        failures.accept(cause);
    }

    /** Writes what is queued (for a bounded time), then closes the producer. Idempotent. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            writer.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        AuditRecord left;
        while ((left = queue.poll()) != null) {
            failed(left, CAUSE_CLOSED, null);
        }
        producer.close(CLOSE_TIMEOUT);
    }
}
