package dev.ngao.reconciler.matching;

import dev.ngao.events.BreakKind;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.Money;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.RiskDecision;
import dev.ngao.reconciler.audit.ReconcilerAudit;
import dev.ngao.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Matches each transaction's risk decision with the ledger entry of its approval. Both topics are keyed
 * by transaction id and co-partitioned, so both halves of a transaction reach this task, whichever comes
 * first; the first half waits in {@code open-items}. A transaction is settled when its second half
 * arrives (matched, or a break) or, by a wall-clock punctuator, when its grace period runs out; a settled
 * transaction leaves {@code open-items} and is remembered in {@code closed-items} for a while, so that a
 * late duplicate is ignored instead of opening a new item. Exactly-once v2 commits stores, breaks and
 * input offsets together, and break ids are deterministic, so a break is reported once; its audit record goes to
 * {@code audit.reconciler} in the same transaction, so there is one exactly when there is the break.
 *
 * <p>All times the grace period compares are the stream thread's wall clock
 * ({@link ProcessorContext#currentSystemTimeMs()}), never event time: the question is how long this
 * reconciler has waited, whatever the clocks upstream said.
 */
final class MatchingProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    /**
     * Only entries of these kind families are an approval's posting (a card authorization's is its hold);
     * other entries belong to later flows.
     */
    static final List<String> APPROVAL_KIND_SUFFIXES = List.of(".approved", ".held");
    /** Bounds the work of one punctuation; what is left waits for the next one. */
    static final int MAX_SETTLED_PER_PUNCTUATION = 10_000;
    /** Metric group {@code stream-reconciler-metrics}, tagged with the task id. */
    static final String METRICS_SCOPE = "reconciler";
    static final String MATCHED_OPERATION = "matched";
    static final String BREAKS_OPERATION = "breaks";
    static final String DUPLICATES_OPERATION = "duplicates-ignored";

    private static final Logger LOG = LoggerFactory.getLogger(MatchingProcessor.class);

    private final MatchingPolicy policy;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, OpenItem> openItems;
    private WindowStore<String, String> closedItems;
    private long startedAtMs;
    private Sensor matched;
    private Sensor breaks;
    private Sensor duplicates;

    MatchingProcessor(MatchingPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.openItems = context.getStateStore(ReconcilerTopology.OPEN_ITEMS_STORE);
        this.closedItems = context.getStateStore(ReconcilerTopology.CLOSED_ITEMS_STORE);
        this.startedAtMs = context.currentSystemTimeMs();
        String task = context.taskId().toString();
        this.matched = sensor(task, MATCHED_OPERATION);
        this.breaks = sensor(task, BREAKS_OPERATION);
        this.duplicates = sensor(task, DUPLICATES_OPERATION);
        context.schedule(policy.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::settleExpired);
    }

    private Sensor sensor(String task, String operation) {
        return context.metrics().addRateTotalSensor(METRICS_SCOPE, task, operation, Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord value = record.value();
        if (value instanceof RiskDecision decision) {
            onDecision(record.key(), decision, record.timestamp());
        } else if (value instanceof JournalEntry entry) {
            onEntry(record.key(), entry, record.timestamp());
        } else {
            LOG.warn("Skipped a record without a decision or entry value in task {}", context.taskId());
        }
    }

    private void onDecision(String key, RiskDecision decision, long timestampMs) {
        String transactionId = decision.getTransactionId();
        long nowMs = context.currentSystemTimeMs();
        if (!transactionId.equals(key)) {
            reportMisKeyed(transactionId, Topics.RISK_DECISIONS.name(), timestampMs, nowMs);
            return;
        }
        KeyValue<Long, String> settled = settled(transactionId, nowMs);
        if ((settled != null && clearedByLateRefusal(transactionId, decision, settled, timestampMs, nowMs))
                || wasSettled(settled, transactionId, "decision")) {
            return;
        }
        OpenItem item = openItemOf(transactionId);
        SeenDecision seen = SeenDecision.of(decision, nowMs);
        if (item.hasDecision() && (decision.getKind() == DecisionKind.LEDGER_REFUSAL || item.decision().inReview()
                && (decision.getKind() == DecisionKind.REVIEW_RESOLUTION
                || decision.getKind() == DecisionKind.CHALLENGE_RESULT
                || decision.getKind() == DecisionKind.AUTHORIZATION_ANSWER))) {
            // The analyst's resolution, the challenge's result (or, for a card authorization, what the network was
            // answered) is the transaction's final decision: it replaces the review or challenge. The ledger's refusal of an approval for want
            // of funds is its final DECLINE: nothing was posted, and nothing is owed.
            settle(transactionId, item.withDecision(seen), timestampMs, nowMs);
            return;
        }
        if (item.hasDecision() && decision.getKind() == DecisionKind.AUTHORIZATION_ANSWER) {
            // A card authorization risk approved late, answered DECLINE by the timeout default: the ledger posted
            // the hold for the approval (matched against it) and voids it for the answer. Expected, not a conflict.
            duplicates.record();
            LOG.debug("Card network answer {} of {} follows its approval", decision.getOutcome(), transactionId);
            return;
        }
        if (item.hasDecision()) {
            ignoreSecondDecision(transactionId, item.decision(), seen);
            return;
        }
        settle(transactionId, item.withDecision(seen), timestampMs, nowMs);
    }

    private void onEntry(String key, JournalEntry entry, long timestampMs) {
        String transactionId = entry.getTransactionId();
        if (APPROVAL_KIND_SUFFIXES.stream().noneMatch(entry.getKind()::endsWith)) {
            LOG.debug("Ignored entry {} of kind {}: only approval entries are matched", entry.getEntryId(),
                    entry.getKind());
            return;
        }
        long nowMs = context.currentSystemTimeMs();
        if (!transactionId.equals(key)) {
            reportMisKeyed(transactionId, Topics.LEDGER_ENTRIES.name(), timestampMs, nowMs);
            return;
        }
        // One read of closed-items serves both: the clearing of a break and the late duplicate.
        KeyValue<Long, String> settled = settled(transactionId, nowMs);
        if ((settled != null && clearedByLateEntry(transactionId, entry, settled, timestampMs, nowMs))
                || wasSettled(settled, transactionId, "entry " + entry.getEntryId())) {
            return;
        }
        OpenItem item = openItemOf(transactionId);
        if (!item.hasPostings()) {
            settle(transactionId, item.withPostings(SeenPostings.of(entry, nowMs)), timestampMs, nowMs);
        } else if (item.postings().contains(entry.getEntryId())) {
            // The ledger publishes at least once: the same entry again is the same money, not more.
            duplicates.record();
            LOG.debug("Ignored duplicate entry {}", entry.getEntryId());
        } else if (item.postings().full()) {
            LOG.warn("Ignored entry {}: transaction {} already has {} approval entries", entry.getEntryId(),
                    transactionId, SeenPostings.MAX_ENTRY_IDS);
        } else {
            settle(transactionId, item.withPostings(item.postings().plus(entry)), timestampMs, nowMs);
        }
    }

    private OpenItem openItemOf(String transactionId) {
        OpenItem item = openItems.get(transactionId);
        return item == null ? OpenItem.NOTHING : item;
    }

    /**
     * True when the transaction was settled within the closed retention: what arrives now is a late
     * duplicate (or a late half of a reported break) and must not open a new item that would break again.
     */
    private boolean wasSettled(KeyValue<Long, String> settled, String transactionId, String what) {
        if (settled == null) {
            return false;
        }
        String settledAs = ClosedItem.verdictOf(settled.value);
        duplicates.record();
        if (Verdict.MATCHED.name().equals(settledAs)) {
            LOG.debug("Ignored {} of transaction {}, already matched", what, transactionId);
        } else {
            LOG.info("Late {} of transaction {}, already reported as {}", what, transactionId, settledAs);
        }
        return true;
    }

    /** The transaction's closed item within the closed retention: when it was closed, and how. */
    private KeyValue<Long, String> settled(String transactionId, long nowMs) {
        long sinceMs = nowMs - policy.closedRetention().toMillis();
        try (WindowStoreIterator<String> settled = closedItems.fetch(transactionId, sinceMs, Long.MAX_VALUE)) {
            return settled.hasNext() ? settled.next() : null;
        }
    }

    /**
     * An approval entry that arrives after its transaction was reported {@code APPROVED_NOT_POSTED} (the ledger held
     * up past the grace period: a broker away, a restart) and posts exactly the approved amount clears the break:
     * the break is written again under its id, {@code cleared}, with its audit record, and the item is matched.
     * An entry of another amount leaves the break standing (someone must look), as does a break closed before
     * closed items remembered the approved amount.
     */
    private boolean clearedByLateEntry(String transactionId, JournalEntry entry, KeyValue<Long, String> settled,
                                       long timestampMs, long nowMs) {
        Optional<Money> approved = ClosedItem.approvedNotPosted(settled.value);
        if (approved.isEmpty()) {
            return false;
        }
        Money expected = approved.get();
        Money actual = SeenPostings.of(entry, nowMs).actual(expected.getCurrency());
        if (!expected.equals(actual)) {
            LOG.warn("Late entry {} of transaction {} posts {} where {} was approved: its break stands",
                    entry.getEntryId(), transactionId, actual, expected);
            return false;
        }
        closedItems.put(transactionId, Verdict.MATCHED.name(), settled.key);
        ReconciliationBreak cleared = Breaks.cleared(transactionId, expected, actual, entry.getEntryId(),
                Instant.ofEpochMilli(settled.key), Instant.ofEpochMilli(nowMs));
        matched.record();
        LOG.info("Break {} cleared: entry {} came after the grace period", cleared.getBreakId(), entry.getEntryId());
        emitCleared(cleared, timestampMs);
        return true;
    }

    /**
     * The ledger's refusal of an approval for want of funds ({@code LEDGER_REFUSAL}, risk's final DECLINE) that
     * arrives after the approval was reported {@code APPROVED_NOT_POSTED} (the ledger or risk held up past the grace
     * period) clears the break: nothing was posted because nothing is owed, as when the refusal comes in time. The
     * break is written again under its id, {@code cleared}, with its audit record, and the closed item is let go,
     * as a declined payment's is never remembered: an approval entry arriving after all is still reported.
     */
    private boolean clearedByLateRefusal(String transactionId, RiskDecision decision, KeyValue<Long, String> settled,
                                         long timestampMs, long nowMs) {
        if (decision.getKind() != DecisionKind.LEDGER_REFUSAL) {
            return false;
        }
        Optional<Money> approved = ClosedItem.approvedNotPosted(settled.value);
        if (approved.isEmpty()) {
            return false;
        }
        closedItems.put(transactionId, null, settled.key);
        ReconciliationBreak cleared = Breaks.clearedByRefusal(transactionId, approved.get(),
                Instant.ofEpochMilli(settled.key), Instant.ofEpochMilli(nowMs));
        LOG.info("Break {} cleared: the ledger's refusal came after the grace period", cleared.getBreakId());
        emitCleared(cleared, timestampMs);
        return true;
    }

    private void ignoreSecondDecision(String transactionId, SeenDecision first, SeenDecision second) {
        duplicates.record();
        if (first.sameAs(second)) {
            LOG.debug("Ignored duplicate decision of transaction {}", transactionId);
        } else {
            // risk-streams decides once per transaction; the first decision stands and the conflict is told.
            LOG.warn("Ignored a second, different decision ({}) of transaction {}; the first ({}) stands",
                    second.outcome(), transactionId, first.outcome());
        }
    }

    private void settle(String transactionId, OpenItem item, long timestampMs, long nowMs) {
        Verdict verdict = MatchingRules.onArrival(item);
        if (verdict == Verdict.OPEN) {
            openItems.put(transactionId, item);
        } else {
            close(transactionId, item, verdict, timestampMs, nowMs);
        }
    }

    private void settleExpired(long nowMs) {
        List<KeyValue<String, OpenItem>> due = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        long gracePeriodMs = policy.gracePeriod().toMillis();
        // Collected first and closed after the iterator is released, so no write happens under it.
        try (KeyValueIterator<String, OpenItem> items = openItems.all()) {
            while (items.hasNext() && due.size() < MAX_SETTLED_PER_PUNCTUATION) {
                KeyValue<String, OpenItem> item = items.next();
                Verdict verdict = MatchingRules.onExpiry(item.value, nowMs, gracePeriodMs, startedAtMs);
                if (verdict != Verdict.OPEN) {
                    due.add(item);
                    verdicts.add(verdict);
                }
            }
        }
        for (int index = 0; index < due.size(); index++) {
            close(due.get(index).key, due.get(index).value, verdicts.get(index), nowMs, nowMs);
        }
        if (!due.isEmpty()) {
            LOG.debug("Settled {} items past their grace period in task {}", due.size(), context.taskId());
        }
    }

    private void close(String transactionId, OpenItem item, Verdict verdict, long timestampMs, long nowMs) {
        openItems.delete(transactionId);
        if (verdict == Verdict.NOTHING_OWED) {
            // Not remembered: an entry arriving later for a declined payment must still be reported.
            return;
        }
        closedItems.put(transactionId, ClosedItem.of(verdict, item), nowMs);
        BreakKind kind = verdict.breakKind();
        if (kind == null) {
            matched.record();
            LOG.debug("Matched transaction {} with entry {}", transactionId, item.postings().entryIds());
            return;
        }
        ReconciliationBreak found = Breaks.of(verdict, transactionId, item, policy.gracePeriod(),
                Instant.ofEpochMilli(nowMs));
        emit(found, timestampMs);
    }

    private void reportMisKeyed(String transactionId, String topic, long timestampMs, long nowMs) {
        emit(Breaks.misKeyed(transactionId, topic, Instant.ofEpochMilli(nowMs)), timestampMs);
    }

    /** The break written again, cleared, with its {@code break.cleared} audit record, as {@link #emit} writes it. */
    private void emitCleared(ReconciliationBreak cleared, long timestampMs) {
        context.forward(new Record<String, SpecificRecord>(cleared.getTransactionId(), cleared, timestampMs),
                ReconcilerTopology.BREAKS_SINK);
        context.forward(new Record<String, SpecificRecord>(cleared.getTransactionId(),
                ReconcilerAudit.breakCleared(cleared), timestampMs), ReconcilerTopology.AUDIT_SINK);
    }

    private void emit(ReconciliationBreak found, long timestampMs) {
        breaks.record();
        LOG.info("Break {} found", found.getBreakId());
        context.forward(new Record<String, SpecificRecord>(found.getTransactionId(), found, timestampMs),
                ReconcilerTopology.BREAKS_SINK);
        context.forward(new Record<String, SpecificRecord>(found.getTransactionId(),
                ReconcilerAudit.breakRaised(found), timestampMs), ReconcilerTopology.AUDIT_SINK);
    }

    @Override
    public void close() {
        if (context != null) {
            context.metrics().removeSensor(matched);
            context.metrics().removeSensor(breaks);
            context.metrics().removeSensor(duplicates);
        }
    }
}
