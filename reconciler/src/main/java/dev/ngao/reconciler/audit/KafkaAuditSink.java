package dev.ngao.reconciler.audit;

import dev.ngao.events.AuditRecord;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Sends audit records to {@code audit.reconciler}, keyed by their subject id (a transaction, a report run), and
 * waits for every acknowledgement. The producer is idempotent, not transactional: a record is written at least
 * once, and a repeat carries the same {@code auditId}.
 */
public final class KafkaAuditSink implements AuditSink {

    private final Producer<String, AuditRecord> producer;

    public KafkaAuditSink(Producer<String, AuditRecord> producer) {
        this.producer = producer;
    }

    @Override
    public void publish(List<AuditRecord> records) {
        awaitAll(send(records), "audit record");
    }

    /** Sends without waiting, so a caller can wait for these beside other records of the same batch. */
    public List<Future<RecordMetadata>> send(List<AuditRecord> records) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
        for (AuditRecord record : records) {
            sends.add(producer.send(new ProducerRecord<>(Topics.AUDIT_RECONCILER.name(), record.getSubjectId(),
                    record)));
        }
        producer.flush();
        return sends;
    }

    /** Waits for every send; the first that failed fails the whole, naming {@code what} was not acknowledged. */
    public static void awaitAll(List<Future<RecordMetadata>> sends, String what) {
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending a " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a " + what + " was not acknowledged: " + e.getCause().getMessage(), e);
        }
    }
}
