package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of walking the hash chain: intact up to {@code lastSequence}, or broken at
 * {@code brokenAt} (the first entry that does not follow from the one before) with the reason.
 */
public record ChainVerification(boolean intact, long lastGoodSequence, long brokenAt, String problem) {

    static ChainVerification intact(long lastSequence) {
        return new ChainVerification(true, lastSequence, 0, null);
    }

    static ChainVerification broken(long lastGoodSequence, long brokenAt, String problem) {
        return new ChainVerification(false, lastGoodSequence, brokenAt, problem);
    }

    /** What is wrong with {@code entry} stored at {@code sequence} after {@code previous}, if anything. */
    static Optional<String> problem(JournalEntry entry, ChainHead previous, long sequence) {
        if (entry.getSequence() != sequence || sequence != previous.sequence() + 1) {
            return Optional.of("entry " + entry.getEntryId() + " is at sequence " + sequence + " after "
                    + previous.sequence());
        }
        if (!Objects.equals(entry.getPreviousHash(), previous.hash())) {
            return Optional.of("entry " + entry.getEntryId() + " does not name the hash of entry "
                    + previous.sequence());
        }
        if (!EntryHash.of(entry).equals(entry.getHash())) {
            return Optional.of("entry " + entry.getEntryId() + " does not match its hash: its content was changed");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return intact ? "ledger chain intact: " + lastGoodSequence + " entries"
                : "ledger chain broken at sequence " + brokenAt + " (last good " + lastGoodSequence + "): " + problem;
    }
}
