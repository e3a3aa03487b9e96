package dev.ngao.ledger;

import java.util.Arrays;
import java.util.List;

/**
 * The ledger's column families, their keys and values (also in README.md, "Storage layout"). The names are on
 * disk: an existing ledger opens only under the same ones.
 */
enum LedgerFamily {
    /** entryId -> JournalEntry, Avro single-object encoding (carries the schema fingerprint). */
    ENTRIES("entries"),
    /** sequence (8 bytes big-endian) -> entryId: the chain in order, for publishing and verifying. */
    ENTRY_SEQUENCE("entry-sequence"),
    /** transactionId, 0x00, sequence -> entryId. */
    TRANSACTION_ENTRIES("transaction-entries"),
    /** account, 0x00, sequence -> entryId: an account's history in order. */
    ACCOUNT_ENTRIES("account-entries"),
    /** account -> debitsMinor (8), creditsMinor (8), currency (UTF-8). */
    BALANCES("balances"),
    /** topic, 0x00, partition (4) -> next offset to consume (8). */
    OFFSETS("offsets"),
    /**
     * last-sequence, last-hash, published-sequence, last-refusal, published-refusal, undecided-backfill (where
     * {@link UndecidedBackfill} stands).
     */
    METADATA("metadata"),
    /** transactionId -> Lifecycle (JSON): stage, decision facts, statuses waiting for the decision. */
    LIFECYCLES("lifecycles"),
    /**
     * since epoch ms (8), transactionId -> nothing: payments whose provider statuses waited for a decision,
     * by when the first one came, so the sweep reads the oldest first and only those.
     */
    UNDECIDED_SINCE("undecided-since"),
    /** refusal number (8) -> AuditRecord, Avro single-object encoding: refused spending entries. */
    REFUSALS("refusals"),
    /** postedAt epoch ms (8), sequence (8) -> entryId: entries by UTC time, for day exports. */
    TIME_ENTRIES("time-entries"),
    /**
     * entryId -> W3C traceparent (UTF-8) of the ledger's posting within the trace of the event that caused
     * the entry; kept beside the entry (not in it: the hash chain covers money, not observability) so that
     * a republished entry carries the same header.
     */
    ENTRY_TRACES("entry-traces");

    private final String familyName;

    LedgerFamily(String familyName) {
        this.familyName = familyName;
    }

    String familyName() {
        return familyName;
    }

    static List<String> names() {
        return Arrays.stream(values()).map(LedgerFamily::familyName).toList();
    }
}
