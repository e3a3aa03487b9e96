package dev.ngao.ledger;

import dev.ngao.events.Posting;

import java.util.List;
import java.util.Objects;

/**
 * A journal entry as a posting rule proposes it, before the ledger gives it a sequence number, a
 * posting time and its place in the hash chain ({@link LedgerBatch#post}).
 *
 * @param entryId       deterministic from the source event, so a repeated source maps to the same id
 * @param transactionId the payment the entry belongs to
 * @param sourceEventId where the entry comes from, e.g. {@code risk.decisions-3@1042}
 * @param kind          which rule made it, e.g. {@code collection.approved}
 * @param postings      the debit and credit lines, in a fixed order (the hash covers the order)
 */
public record DraftEntry(String entryId, String transactionId, String sourceEventId, String kind,
                         List<Posting> postings) {

    public DraftEntry {
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(sourceEventId, "sourceEventId");
        Objects.requireNonNull(kind, "kind");
        postings = List.copyOf(postings);
    }
}
