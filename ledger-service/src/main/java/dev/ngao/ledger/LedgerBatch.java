package dev.ngao.ledger;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.Posting;
import dev.ngao.platform.observability.Traceparent;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one poll changes, written by {@link LedgerStore#commit} in a single atomic write: entries,
 * the lifecycle of each payment they touch, refusals, and the consumed offsets of every topic read.
 * Entries get their sequence numbers and hashes here, continuing the chain from where the ledger
 * stood when the batch was started. Reads see the ledger plus what the batch already holds.
 */
public final class LedgerBatch {

    /** Far above one poll's worth of records (max.poll.records); a bug, not load, would reach it. */
    public static final int MAX_ENTRIES = 10_000;
    public static final String REFUSED_ACTION = "entry.refused";

    /** What {@link #post} did with a draft. */
    public enum Result {
        POSTED,
        /** An entry with that id is already in the ledger or the batch: a repeated source event. */
        DUPLICATE,
        /** A spending entry would have taken an account that may not go negative below zero. */
        REFUSED
    }

    private final ChainHead base;
    private final LedgerView ledger;
    private final List<JournalEntry> entries = new ArrayList<>();
    private final Set<String> entryIds = new HashSet<>();
    private final Map<String, AccountBalance> balances = new HashMap<>();
    private final Map<String, Lifecycle> lifecycles = new LinkedHashMap<>();
    /** Payments whose first status without a decision this batch keeps, and since when. */
    private final Map<String, Instant> undecidedSince = new LinkedHashMap<>();
    /** Keys of the undecided index the sweep removes, and the lifecycles it drops with them. */
    private final List<UndecidedSince> expired = new ArrayList<>();
    private final Set<String> droppedLifecycles = new LinkedHashSet<>();
    private final List<AuditRecord> refusals = new ArrayList<>();
    /** entryId -> the trace it was posted in (its source event's, one span down). */
    private final Map<String, Traceparent> traces = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();
    private UndecidedBackfill.Progress backfill;
    private ChainHead head;

    LedgerBatch(ChainHead base, LedgerView ledger) {
        this.base = base;
        this.head = base;
        this.ledger = ledger;
    }

    /**
     * Adds {@code draft} as the next entry of the chain, unless an entry with its id is already in the
     * ledger or in this batch: that is a repeated source event, and posting it again would count the
     * money twice. A draft posted so is never refused: it records money that already moved.
     */
    public Result post(DraftEntry draft, Instant postedAt) {
        return post(draft, postedAt, false);
    }

    /**
     * Like {@link #post(DraftEntry, Instant)}, but when {@code spending} the entry is refused if it would
     * take an account that may not go negative ({@link AccountName#mayGoNegative()}) below zero; the
     * refusal is recorded (an {@link AuditRecord} stored with the batch and published to audit.ledger).
     */
    public Result post(DraftEntry draft, Instant postedAt, boolean spending) {
        if (entryIds.contains(draft.entryId()) || ledger.containsEntry(draft.entryId())) {
            return Result.DUPLICATE;
        }
        if (entries.size() >= MAX_ENTRIES) {
            throw new IllegalStateException("a batch holds at most " + MAX_ENTRIES + " entries");
        }
        Map<String, AccountBalance> after = balancesAfter(draft);
        if (spending) {
            for (AccountBalance balance : after.values()) {
                AccountName account = AccountName.parse(balance.account());
                long balanceMinor = balance.balanceMinor(account.normalSide());
                if (!account.mayGoNegative() && balanceMinor < 0) {
                    refusals.add(refusal(draft, account, balanceMinor, postedAt));
                    return Result.REFUSED;
                }
            }
        }
        balances.putAll(after);
        JournalEntry entry = JournalEntry.newBuilder()
                .setEntryId(draft.entryId())
                .setSequence(head.sequence() + 1)
                .setTransactionId(draft.transactionId())
                .setSourceEventId(draft.sourceEventId())
                .setKind(draft.kind())
                .setPostings(draft.postings())
                // Avro keeps milliseconds; hashing the truncated instant keeps the hash valid after a round trip.
                .setPostedAt(Instant.ofEpochMilli(postedAt.toEpochMilli()))
                .setPreviousHash(head.hash())
                .setHash(null)
                .build();
        entry.setHash(EntryHash.of(entry));
        entries.add(entry);
        entryIds.add(entry.getEntryId());
        head = new ChainHead(entry.getSequence(), entry.getHash());
        return Result.POSTED;
    }

    /** The lifecycle of {@code transactionId} as this batch sees it: changed here, else as committed. */
    public Lifecycle lifecycle(String transactionId) {
        Lifecycle changed = lifecycles.get(transactionId);
        return changed != null ? changed : ledger.lifecycle(transactionId).orElse(Lifecycle.undecided(transactionId));
    }

    /** Records the new state of a payment, written with the batch. */
    public void putLifecycle(Lifecycle lifecycle) {
        lifecycles.put(lifecycle.transactionId(), lifecycle);
    }

    /**
     * Records {@code lifecycle} as waiting for its decision since {@code since}, in the lifecycle and in the
     * undecided index: indexed by time, so the sweep finds lifecycles whose decision never came without reading
     * the others. The first mark of a payment in a batch wins.
     */
    public void markUndecided(Lifecycle lifecycle, Instant since) {
        Instant first = undecidedSince.computeIfAbsent(lifecycle.transactionId(), transactionId -> since);
        putLifecycle(lifecycle.withUndecidedSince(first));
    }

    /** Records where {@link UndecidedBackfill} stands, written with the batch. */
    void recordBackfill(UndecidedBackfill.Progress progress) {
        backfill = progress;
    }

    /** Where the backfill stands once the batch is committed, if the batch moves it. */
    Optional<UndecidedBackfill.Progress> backfill() {
        return Optional.ofNullable(backfill);
    }

    /** Removes {@code mark} from the undecided index, and with {@code dropLifecycle} the payment's lifecycle. */
    void expire(UndecidedSince mark, boolean dropLifecycle) {
        expired.add(mark);
        if (dropLifecycle) {
            droppedLifecycles.add(mark.transactionId());
        }
    }

    public Map<String, Instant> undecidedSince() {
        return Collections.unmodifiableMap(undecidedSince);
    }

    List<UndecidedSince> expired() {
        return Collections.unmodifiableList(expired);
    }

    Set<String> droppedLifecycles() {
        return Collections.unmodifiableSet(droppedLifecycles);
    }

    /** Records that every record of {@code partition} before {@code nextOffset} is handled by this batch. */
    public void advanceOffset(TopicPartition partition, long nextOffset) {
        nextOffsets.merge(partition, nextOffset, Math::max);
    }

    /** The chain head the batch continues from. */
    public ChainHead base() {
        return base;
    }

    /** The chain head once the batch is committed. */
    public ChainHead head() {
        return head;
    }

    public List<JournalEntry> entries() {
        return Collections.unmodifiableList(entries);
    }

    public Map<String, Lifecycle> lifecycles() {
        return Collections.unmodifiableMap(lifecycles);
    }

    /**
     * Names {@code trace} as the trace of every entry posted in this batch since the first {@code fromIndex}
     * entries: the entries the event just applied posted.
     */
    public void traceEntriesFrom(int fromIndex, Traceparent trace) {
        for (int index = fromIndex; index < entries.size(); index++) {
            traces.put(entries.get(index).getEntryId(), trace);
        }
    }

    public Map<String, Traceparent> traces() {
        return Collections.unmodifiableMap(traces);
    }

    public List<AuditRecord> refusals() {
        return Collections.unmodifiableList(refusals);
    }

    public Map<TopicPartition, Long> nextOffsets() {
        return Collections.unmodifiableMap(nextOffsets);
    }

    public boolean isEmpty() {
        return entries.isEmpty() && nextOffsets.isEmpty() && lifecycles.isEmpty() && refusals.isEmpty()
                && undecidedSince.isEmpty() && expired.isEmpty() && backfill == null;
    }

    private Map<String, AccountBalance> balancesAfter(DraftEntry draft) {
        Map<String, AccountBalance> after = new LinkedHashMap<>();
        for (Posting posting : draft.postings()) {
            AccountBalance before = after.get(posting.getAccount());
            if (before == null) {
                before = currentBalance(posting.getAccount());
            }
            after.put(posting.getAccount(), before.plus(posting.getSide(), posting.getAmount().getAmountMinor()));
        }
        return after;
    }

    private AccountBalance currentBalance(String accountName) {
        AccountBalance inBatch = balances.get(accountName);
        if (inBatch != null) {
            return inBatch;
        }
        AccountName account = AccountName.parse(accountName);
        return ledger.balance(account).orElse(AccountBalance.empty(account));
    }

    /** The refusal as an audit record; its id is the refused entry's, so a replay refuses under the same id. */
    private static AuditRecord refusal(DraftEntry draft, AccountName account, long balanceAfterMinor, Instant at) {
        long amountMinor = draft.postings().get(0).getAmount().getAmountMinor();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("entryId", draft.entryId());
        details.put("kind", draft.kind());
        details.put("sourceEventId", draft.sourceEventId());
        details.put("account", account.toString());
        details.put("amountMinor", Long.toString(amountMinor));
        details.put("currency", account.currency());
        details.put("availableMinor", Long.toString(balanceAfterMinor + amountMinor));
        details.put("reason", "insufficient-funds");
        return AuditRecord.newBuilder()
                .setAuditId("ledger-refusal:" + draft.entryId())
                .setOccurredAt(Instant.ofEpochMilli(at.toEpochMilli()))
                .setComponent("ledger-service")
                .setActor("ledger-service")
                .setAction(REFUSED_ACTION)
                .setSubjectType("transaction")
                .setSubjectId(draft.transactionId())
                .setOutcome(AuditOutcome.REFUSED)
                .setDetails(new HashMap<>(details))
                .build();
    }
}
