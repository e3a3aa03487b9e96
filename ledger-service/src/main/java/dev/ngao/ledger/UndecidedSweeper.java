package dev.ngao.ledger;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Expires lifecycles whose decision never came: provider statuses of a payment risk never decided (a provider
 * event for a transaction Ngao did not submit, or one whose request was lost upstream) would otherwise wait in
 * the ledger forever. A lifecycle still {@link Lifecycle.Stage#UNDECIDED} longer than {@code retention} after its
 * first status is dropped, with its index mark, and audited on {@code audit.ledger} (action
 * {@value #DROPPED_ACTION}, outcome SUCCESS); one decided meanwhile only loses its mark.
 *
 * <p>Bounded: a pass runs at most every {@code interval}, on the poll thread (the store's one writer), reads
 * only the oldest {@code maxPerPass} marks of the time-ordered index ({@link LedgerStore#undecidedBefore}),
 * never the lifecycles at large, and removes what it handled, so the next pass resumes where this one stopped.
 * The audit records are acknowledged by Kafka before the drop is committed: a crash in between drops and
 * audits again, under the same {@code auditId} ({@code ledger-expiry:<transactionId>:<since>}), which
 * consumers de-duplicate.
 */
final class UndecidedSweeper {

    public static final String DROPPED_ACTION = "lifecycle.dropped";

    private static final Logger LOG = LoggerFactory.getLogger(UndecidedSweeper.class);

    private final LedgerStore store;
    private final Producer<String, AuditRecord> audit;
    private final Clock clock;
    private final Duration retention;
    private final Duration interval;
    private final int maxPerPass;
    private final AtomicLong dropped = new AtomicLong();
    private Instant lastPass = Instant.MIN;

    UndecidedSweeper(LedgerStore store, Producer<String, AuditRecord> audit, Clock clock, Duration retention,
                     Duration interval, int maxPerPass) {
        if (retention.isNegative() || retention.isZero() || maxPerPass < 1) {
            throw new IllegalArgumentException("retention and maxPerPass must be positive");
        }
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.retention = retention;
        this.interval = interval;
        this.maxPerPass = maxPerPass;
    }

    /** Runs a pass if {@code interval} has passed since the last one; returns how many lifecycles it dropped. */
    int sweepIfDue() {
        Instant now = clock.instant();
        if (Duration.between(lastPass, now).compareTo(interval) < 0) {
            return 0;
        }
        lastPass = now;
        return sweep(now);
    }

    /** One pass: at most {@code maxPerPass} marks older than the retention; returns the lifecycles dropped. */
    int sweep(Instant now) {
        List<UndecidedSince> due = store.undecidedBefore(now.minus(retention), maxPerPass);
        if (due.isEmpty()) {
            return 0;
        }
        LedgerBatch batch = store.newBatch();
        List<AuditRecord> records = new ArrayList<>();
        for (UndecidedSince mark : due) {
            Optional<Lifecycle> lifecycle = store.lifecycle(mark.transactionId());
            boolean stale = lifecycle.isPresent() && lifecycle.get().stage() == Lifecycle.Stage.UNDECIDED;
            batch.expire(mark, stale);
            if (stale) {
                records.add(droppedRecord(mark, lifecycle.get(), now));
            }
        }
        if (!audited(records)) {
            return 0;
        }
        store.commit(batch);
        dropped.addAndGet(records.size());
        if (!records.isEmpty()) {
            LOG.warn("Dropped {} payment lifecycles whose decision did not come within {} (oldest since {})",
                    records.size(), retention, due.get(0).since());
        }
        return records.size();
    }

    /** Lifecycles dropped since start. */
    long dropped() {
        return dropped.get();
    }

    private boolean audited(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return true;
        }
        try {
            List<Future<RecordMetadata>> sends = records.stream().map(record -> audit.send(new ProducerRecord<>(
                    Topics.AUDIT_LEDGER.name(), record.getSubjectId(), record))).toList();
            audit.flush();
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
            return true;
        } catch (KafkaException | ExecutionException e) {
            LOG.warn("Expiries of undecided lifecycles not acknowledged by {}, will retry: {}",
                    Topics.AUDIT_LEDGER.name(), e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Ids and statuses only: a lifecycle without a decision holds no account or amount. */
    private AuditRecord droppedRecord(UndecidedSince mark, Lifecycle lifecycle, Instant now) {
        Map<String, String> details = new HashMap<>();
        details.put("undecidedSince", mark.since().toString());
        details.put("retention", retention.toString());
        details.put("waitingStatuses", String.join(",", lifecycle.waiting().stream()
                .map(status -> status.status().name()).toList()));
        details.put("waitingEventIds", String.join(",", lifecycle.waiting().stream()
                .map(Lifecycle.WaitingStatus::eventId).toList()));
        return AuditRecord.newBuilder()
                .setAuditId("ledger-expiry:" + mark.transactionId() + ":" + mark.since().toEpochMilli())
                .setOccurredAt(Instant.ofEpochMilli(now.toEpochMilli()))
                .setComponent("ledger-service")
                .setActor("ledger-service")
                .setAction(DROPPED_ACTION)
                .setSubjectType("transaction")
                .setSubjectId(mark.transactionId())
                .setOutcome(AuditOutcome.SUCCESS)
                .setDetails(details)
                .build();
    }
}
