package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;

import java.util.List;
import java.util.OptionalLong;

/**
 * One page of entries in sequence order. {@code nextAfter} is the cursor of the next page (pass it as
 * {@code after}), empty when the listing is complete.
 */
public record EntryPage(List<JournalEntry> entries, OptionalLong nextAfter) {

    /** Largest page a query may ask for. */
    public static final int MAX_LIMIT = 500;
    /** Index rows one page may read before it returns, so a narrow time range cannot scan a whole history. */
    public static final int MAX_SCANNED = 10_000;

    public EntryPage {
        entries = List.copyOf(entries);
    }
}
