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
 * Copies recorded refusals to {@code audit.ledger} (the audit trail) and to {@code ledger.refusals} (keyed by
 * transaction id, which risk-streams turns into the payment's final DECLINE), as an outbox like
 * {@link EntryPublisher}: the store holds each refusal first and remembers the last one both topics
 * acknowledged. At least once; consumers de-duplicate by {@code auditId} (the refused entry's id). Runs on the
 * poll thread only.
 */
final class RefusalPublisher {

    static final int MAX_PER_ROUND = 500;

    private static final Logger LOG = LoggerFactory.getLogger(RefusalPublisher.class);

    private final Producer<String, AuditRecord> audit;
    private final Producer<String, AuditRecord> refusals;
    private final LedgerStore store;

    RefusalPublisher(Producer<String, AuditRecord> audit, Producer<String, AuditRecord> refusals, LedgerStore store) {
        this.audit = audit;
        this.refusals = refusals;
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
            var auditSends = pending.stream().map(refusal -> audit.send(new ProducerRecord<>(
                    Topics.AUDIT_LEDGER.name(), refusal.value().getSubjectId(), refusal.value()))).toList();
            var refusalSends = pending.stream().map(refusal -> refusals.send(new ProducerRecord<>(
                    Topics.LEDGER_REFUSALS.name(), refusal.value().getSubjectId(), refusal.value()))).toList();
            audit.flush();
            refusals.flush();
            for (int index = 0; index < pending.size(); index++) {
                auditSends.get(index).get();
                refusalSends.get(index).get();
                acknowledged = pending.get(index).number();
            }
        } catch (KafkaException | ExecutionException e) {
            LOG.warn("Refusals not all acknowledged by {} and {}, will retry: {}", Topics.AUDIT_LEDGER.name(),
                    Topics.LEDGER_REFUSALS.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (acknowledged > published) {
            store.markRefusalsPublished(acknowledged);
        }
    }
}
