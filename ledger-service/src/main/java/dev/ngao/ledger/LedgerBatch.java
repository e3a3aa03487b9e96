package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The entries and consumed offsets of one poll, written together by {@link LedgerStore#commit} in a
 * single atomic write. Entries get their sequence numbers and hashes here, continuing the chain from
 * where the ledger stood when the batch was started.
 */
public final class LedgerBatch {

    /** Far above one poll's worth of records (max.poll.records); a bug, not load, would reach it. */
    public static final int MAX_ENTRIES = 10_000;

    private final ChainHead base;
    private final Predicate<String> alreadyPosted;
    private final List<JournalEntry> entries = new ArrayList<>();
    private final Set<String> entryIds = new HashSet<>();
    private final Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();
    private ChainHead head;

    LedgerBatch(ChainHead base, Predicate<String> alreadyPosted) {
        this.base = base;
        this.head = base;
        this.alreadyPosted = alreadyPosted;
    }

    /**
     * Adds {@code draft} as the next entry of the chain, unless an entry with its id is already in the
     * ledger or in this batch: that is a repeated source event, and posting it again would count the
     * money twice.
     *
     * @return true if the entry was added, false if it was a duplicate
     */
    public boolean post(DraftEntry draft, Instant postedAt) {
        if (entryIds.contains(draft.entryId()) || alreadyPosted.test(draft.entryId())) {
            return false;
        }
        if (entries.size() >= MAX_ENTRIES) {
            throw new IllegalStateException("a batch holds at most " + MAX_ENTRIES + " entries");
        }
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
        return true;
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

    public Map<TopicPartition, Long> nextOffsets() {
        return Collections.unmodifiableMap(nextOffsets);
    }

    public boolean isEmpty() {
        return entries.isEmpty() && nextOffsets.isEmpty();
    }
}
