package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.Posting;
import dev.ngao.events.Side;
import dev.ngao.platform.invariant.Invariants;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What every entry must satisfy before it is written, checked always. A failure means a bug in
 * Ngao, not bad input (posting rules refuse bad input first), so it throws
 * {@link dev.ngao.platform.invariant.InvariantViolation} and the process stops.
 */
final class EntryInvariants {

    private static final int MIN_POSTINGS = 2;

    private EntryInvariants() {
    }

    /** At least two postings, every amount positive and in its account's currency, debits equal credits per currency. */
    static void requireBalanced(JournalEntry entry) {
        String entryId = entry.getEntryId();
        Invariants.check(entry.getPostings().size() >= MIN_POSTINGS, "entry " + entryId + " has fewer than two postings");
        Map<String, Long> debitsByCurrency = new HashMap<>();
        Map<String, Long> creditsByCurrency = new HashMap<>();
        for (Posting posting : entry.getPostings()) {
            String currency = posting.getAmount().getCurrency();
            long amountMinor = posting.getAmount().getAmountMinor();
            Invariants.check(amountMinor > 0, "entry " + entryId + " posts a non-positive amount");
            Invariants.check(currencyOf(posting.getAccount(), entryId).equals(currency),
                    "entry " + entryId + " posts " + currency + " to an account of another currency");
            Map<String, Long> totals = posting.getSide() == Side.DEBIT ? debitsByCurrency : creditsByCurrency;
            totals.merge(currency, amountMinor, (left, right) -> addWithoutOverflow(left, right, entryId));
        }
        Invariants.check(debitsByCurrency.equals(creditsByCurrency),
                "entry " + entryId + " is not balanced: debits " + debitsByCurrency + ", credits " + creditsByCurrency);
    }

    /** The entry continues the chain at {@code previous}: next sequence, its previous hash, and a hash that matches. */
    static void requireLinked(JournalEntry entry, ChainHead previous) {
        String entryId = entry.getEntryId();
        Invariants.check(entry.getSequence() == previous.sequence() + 1, "entry " + entryId + " has sequence "
                + entry.getSequence() + " but the ledger is at " + previous.sequence());
        Invariants.check(Objects.equals(entry.getPreviousHash(), previous.hash()),
                "entry " + entryId + " does not link to the hash of entry " + previous.sequence());
        Invariants.check(EntryHash.of(entry).equals(entry.getHash()), "entry " + entryId + " carries a wrong hash");
    }

    private static String currencyOf(String account, String entryId) {
        try {
            return AccountName.parse(account).currency();
        } catch (InvalidAccountNameException e) {
            Invariants.check(false, "entry " + entryId + " posts to a malformed account: " + e.getMessage());
            throw e;
        }
    }

    private static long addWithoutOverflow(long left, long right, String entryId) {
        try {
            return Math.addExact(left, right);
        } catch (ArithmeticException e) {
            Invariants.check(false, "entry " + entryId + " overflows a total");
            throw e;
        }
    }
}
