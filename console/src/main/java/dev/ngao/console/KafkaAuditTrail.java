package dev.ngao.console;

import dev.ngao.console.account.AuditTrail;
import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The console's audit trail on {@code audit.console}, keyed by the account's username, each record acknowledged by
 * Kafka before the event it tells of takes effect.
 */
final class KafkaAuditTrail implements AuditTrail {

    static final String COMPONENT = "console";
    static final String SUBJECT_TYPE = "console-account";

    private final Producer<String, AuditRecord> producer;
    private final Clock clock;
    private final Duration timeout;

    KafkaAuditTrail(Producer<String, AuditRecord> producer, Clock clock, Duration timeout) {
        this.producer = producer;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    public void record(String actor, String action, String subject, AuditOutcome outcome, Map<String, String> details) {
        AuditRecord record = AuditRecord.newBuilder()
                .setAuditId(UUID.randomUUID().toString())
                .setOccurredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setComponent(COMPONENT)
                .setActor(actor)
                .setAction(action)
                .setSubjectType(SUBJECT_TYPE)
                .setSubjectId(subject)
                .setOutcome(outcome)
                .setDetails(Map.copyOf(details))
                .build();
        try {
            producer.send(new ProducerRecord<>(Topics.AUDIT_CONSOLE.name(), subject, record))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while auditing " + action, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot audit " + action + " on " + Topics.AUDIT_CONSOLE.name() + ": " + e, e);
        }
    }
}
