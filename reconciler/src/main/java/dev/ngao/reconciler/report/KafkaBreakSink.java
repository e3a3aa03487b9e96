package dev.ngao.reconciler.report;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.reconciler.audit.ReconcilerAudit;
import dev.ngao.reconciler.audit.KafkaAuditSink;
import dev.ngao.schemas.topics.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Sends breaks to {@code recon.breaks}, keyed by transaction id, and each break's audit record
 * ({@link ReconcilerAudit#breakRaised}; {@link ReconcilerAudit#breakCleared} for a break written again as
 * {@code cleared}) to {@code audit.reconciler}, and waits for every acknowledgement of both:
 * a batch counts as sent (and its breaks are remembered as emitted) only once the breaks and their audit records
 * all are. A batch sent again after a failure repeats both under the same break and audit ids. Each acknowledged
 * break raised is counted in {@value #BREAKS} by kind, provider and source (a report run, or the chaser's
 * manual-review flags); a cleared one is no finding and is not counted. A re-run of a day sends its breaks again
 * (same break ids) and counts them again: the counter is the rate of findings, the topic (compacted by break id)
 * the set.
 */
public final class KafkaBreakSink implements BreakSink {

    public static final String BREAKS = "ngao.reconciler.breaks";

    private final Producer<String, ReconciliationBreak> producer;
    private final KafkaAuditSink audit;
    private final MeterRegistry registry;
    private final String source;

    /** A sink that counts nothing. */
    public KafkaBreakSink(Producer<String, ReconciliationBreak> producer, KafkaAuditSink audit) {
        this(producer, audit, null, null);
    }

    /**
     * @param audit    where each break's audit record goes
     * @param registry where the sent breaks are counted
     * @param source   the {@code source} tag: what finds the breaks this sink sends ({@code report}, {@code chase})
     */
    public KafkaBreakSink(Producer<String, ReconciliationBreak> producer, KafkaAuditSink audit, MeterRegistry registry,
                          String source) {
        this.producer = producer;
        this.audit = audit;
        this.registry = registry;
        this.source = source;
    }

    @Override
    public void publish(List<ReconciliationBreak> breaks) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(breaks.size() * 2);
        for (ReconciliationBreak reconciliationBreak : breaks) {
            sends.add(producer.send(new ProducerRecord<>(Topics.RECON_BREAKS.name(),
                    reconciliationBreak.getTransactionId(), reconciliationBreak)));
        }
        sends.addAll(audit.send(breaks.stream().map(KafkaBreakSink::auditRecord).toList()));
        producer.flush();
        KafkaAuditSink.awaitAll(sends, "break or its audit record");
        if (registry != null) {
            breaks.stream().filter(reconciliationBreak -> !reconciliationBreak.getCleared()).forEach(this::count);
        }
    }

    private static AuditRecord auditRecord(ReconciliationBreak reconciliationBreak) {
        return reconciliationBreak.getCleared() ? ReconcilerAudit.breakCleared(reconciliationBreak)
                : ReconcilerAudit.breakRaised(reconciliationBreak);
    }

    private void count(ReconciliationBreak found) {
        Counter.builder(BREAKS)
                .description("Reconciliation breaks sent to the breaks topic, by kind, provider and what found them")
                .tag("kind", found.getKind().name())
                .tag("provider", found.getProvider() == null ? "none" : found.getProvider())
                .tag("source", source)
                .register(registry)
                .increment();
    }
}
