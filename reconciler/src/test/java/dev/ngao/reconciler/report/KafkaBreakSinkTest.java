package dev.ngao.reconciler.report;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.BreakKind;
import dev.ngao.events.Money;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.reconciler.audit.KafkaAuditSink;
import dev.ngao.schemas.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaBreakSinkTest {

    private final MockProducer<String, ReconciliationBreak> breaks =
            new MockProducer<>(true, null, new StringSerializer(), (topic, value) -> new byte[0]);
    private final MockProducer<String, AuditRecord> audit =
            new MockProducer<>(true, null, new StringSerializer(), (topic, value) -> new byte[0]);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final KafkaBreakSink sink = new KafkaBreakSink(breaks, new KafkaAuditSink(audit), registry, "report");

    @Test
    void shouldSendEachBreakAndItsAuditRecordKeyedByTheTransaction() {
        // When two breaks of a run are published
        sink.publish(List.of(found("MISSING_IN_LEDGER:mobile-money-hub:2026-11-20:R7", "t7"),
                found("AMOUNT_MISMATCH:mobile-money-hub:2026-11-20:R2", "t2")));

        // Then each is on recon.breaks and its audit record on audit.reconciler, under the same key
        assertThat(breaks.history()).extracting(ProducerRecord::topic).containsOnly(Topics.RECON_BREAKS.name());
        assertThat(breaks.history()).extracting(ProducerRecord::key).containsExactly("t7", "t2");
        List<ProducerRecord<String, AuditRecord>> audited = audit.history();
        assertThat(audited).extracting(ProducerRecord::topic).containsOnly(Topics.AUDIT_RECONCILER.name());
        assertThat(audited).extracting(ProducerRecord::key).containsExactly("t7", "t2");
        AuditRecord first = audited.get(0).value();
        assertThat(first.getAuditId()).isEqualTo("break-raised:MISSING_IN_LEDGER:mobile-money-hub:2026-11-20:R7");
        assertThat(first.getAction()).isEqualTo("break.raised");
        assertThat(first.getSubjectId()).isEqualTo("t7");
        assertThat(first.getOccurredAt()).isEqualTo(Instant.parse("2026-11-21T02:00:00Z"));
        assertThat(first.getDetails()).containsEntry("provider", "mobile-money-hub")
                .containsEntry("runId", "recon:mobile-money-hub:2026-11-20")
                .containsEntry("settlementDay", "2026-11-20")
                .containsEntry("providerReference", "R7")
                .containsEntry("actualMinor", "700").containsEntry("actualCurrency", "KES")
                .doesNotContainKey("expectedMinor");
        assertThat(registry.get(KafkaBreakSink.BREAKS).counters()).hasSize(2);
    }

    @Test
    void shouldWriteTheClearedAuditRecordAndCountNothingWhenABreakIsWrittenAgainCleared() {
        // Given a break written again as cleared (the chaser's flagged payment no longer pending)
        ReconciliationBreak cleared = found("UNRESOLVED_PENDING:mobile-money-hub:t7", "t7");
        cleared.setCleared(true);
        cleared.setClearedAt(Instant.parse("2026-11-21T02:09:30Z"));

        // When it is published
        sink.publish(List.of(cleared));

        // Then it is on recon.breaks with a break.cleared audit record, and no new break is counted
        assertThat(breaks.history()).extracting(ProducerRecord::value).containsExactly(cleared);
        AuditRecord record = audit.history().get(0).value();
        assertThat(record.getAuditId()).isEqualTo("break-cleared:UNRESOLVED_PENDING:mobile-money-hub:t7");
        assertThat(record.getAction()).isEqualTo("break.cleared");
        assertThat(record.getOccurredAt()).isEqualTo(Instant.parse("2026-11-21T02:09:30Z"));
        assertThat(registry.find(KafkaBreakSink.BREAKS).counters()).isEmpty();
    }

    @Test
    void shouldFailAndCountNothingWhenAnAuditRecordIsNotAcknowledged() {
        // Given an audit topic that does not take the records
        audit.sendException = new TimeoutException("audit.reconciler unavailable");

        // When a break is published, then the whole publication fails (the run does not mark it emitted)
        assertThatThrownBy(() -> sink.publish(List.of(found("MISSING_IN_LEDGER:mobile-money-hub:2026-11-20:R7",
                "t7")))).isInstanceOf(RuntimeException.class);
        assertThat(registry.find(KafkaBreakSink.BREAKS).counters()).isEmpty();
    }

    private static ReconciliationBreak found(String breakId, String transactionId) {
        String reference = breakId.substring(breakId.lastIndexOf(':') + 1);
        return ReconciliationBreak.newBuilder()
                .setBreakId(breakId)
                .setKind(BreakKind.valueOf(breakId.substring(0, breakId.indexOf(':'))))
                .setTransactionId(transactionId)
                .setExpected(null)
                .setActual(new Money(700L, "KES"))
                .setDetail("the report lists " + reference + " and the ledger has no payment of it that day")
                .setDetectedAt(Instant.parse("2026-11-21T02:00:00Z"))
                .setProvider("mobile-money-hub")
                .setProviderReference(reference)
                .setSettlementDay("2026-11-20")
                .setRunId("recon:mobile-money-hub:2026-11-20")
                .build();
    }
}
