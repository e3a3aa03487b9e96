package dev.ngao.ledger;

import dev.ngao.events.AuditRecord;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Copies recorded refusals to {@code audit.ledger}, as an outbox like {@link EntryPublisher}: the store
 * holds each refusal first and remembers the last one Kafka acknowledged. At least once; consumers
 * de-duplicate by {@code auditId} (the refused entry's id). Runs on the poll thread only.
 */
final class RefusalPublisher {

    static final int MAX_PER_ROUND = 500;

    private static final Logger LOG = LoggerFactory.getLogger(RefusalPublisher.class);

    private final Producer<String, AuditRecord> producer;
    private final LedgerStore store;

    RefusalPublisher(Producer<String, AuditRecord> producer, LedgerStore store) {
        this.producer = producer;
        this.store = store;
    }

    void publishPending() {
        long published = store.publishedRefusal();
        if (published >= store.lastRefusal()) {
            return;
        }
        List<Numbered<AuditRecord>> pending = store.refusalsAfter(published, MAX_PER_ROUND);
        long acknowledged = published;
        try {
            var sends = pending.stream().map(refusal -> producer.send(new ProducerRecord<>(
                    Topics.AUDIT_LEDGER.name(), refusal.value().getSubjectId(), refusal.value()))).toList();
            producer.flush();
            for (int index = 0; index < sends.size(); index++) {
                sends.get(index).get();
                acknowledged = pending.get(index).number();
            }
        } catch (KafkaException | ExecutionException e) {
            LOG.warn("Refusals not all acknowledged by {}, will retry: {}", Topics.AUDIT_LEDGER.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (acknowledged > published) {
            store.markRefusalsPublished(acknowledged);
        }
    }
}
