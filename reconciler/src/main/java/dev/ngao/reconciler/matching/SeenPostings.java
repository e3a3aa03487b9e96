package dev.ngao.reconciler.matching;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.Money;
import dev.ngao.events.Posting;
import dev.ngao.events.Side;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the ledger posted for one transaction's approval: the debits per currency summed over distinct
 * entries (de-duplicated by entry id), the ids seen, when the first entry was posted and when the
 * reconciler first saw one (wall clock; the grace period counts from there).
 */
record SeenPostings(SortedMap<String, Long> debitsMinorByCurrency, SortedSet<String> entryIds,
                    long firstPostedAtMs, long seenAtMs) {

    /** Bounds the state of one transaction; the ledger makes one approval entry per transaction. */
    static final int MAX_ENTRY_IDS = 16;

    SeenPostings {
        debitsMinorByCurrency = Collections.unmodifiableSortedMap(new TreeMap<>(debitsMinorByCurrency));
        entryIds = Collections.unmodifiableSortedSet(new TreeSet<>(entryIds));
    }

    static SeenPostings of(JournalEntry entry, long seenAtMs) {
        return new SeenPostings(debitsOf(entry), new TreeSet<>(List.of(entry.getEntryId())),
                entry.getPostedAt().toEpochMilli(), seenAtMs);
    }

    /** Adds a distinct entry's debits; the first sighting keeps the times. */
    SeenPostings plus(JournalEntry entry) {
        TreeMap<String, Long> debits = new TreeMap<>(debitsMinorByCurrency);
        debitsOf(entry).forEach((currency, amountMinor) -> debits.merge(currency, amountMinor, Math::addExact));
        TreeSet<String> ids = new TreeSet<>(entryIds);
        ids.add(entry.getEntryId());
        return new SeenPostings(debits, ids, Math.min(firstPostedAtMs, entry.getPostedAt().toEpochMilli()), seenAtMs);
    }

    boolean contains(String entryId) {
        return entryIds.contains(entryId);
    }

    boolean full() {
        return entryIds.size() >= MAX_ENTRY_IDS;
    }

    /** True when the debits are exactly {@code expected}: one currency, the same amount. */
    boolean agreeWith(Money expected) {
        Long debitedMinor = debitsMinorByCurrency.get(expected.getCurrency());
        return debitsMinorByCurrency.size() == 1 && debitedMinor != null && debitedMinor == expected.getAmountMinor();
    }

    /**
     * The posted side of a break against {@code expectedCurrency} (null when none is expected): the debits
     * in that currency if any, else those of the first currency posted, else zero.
     */
    Money actual(String expectedCurrency) {
        if (expectedCurrency != null && debitsMinorByCurrency.containsKey(expectedCurrency)) {
            return money(debitsMinorByCurrency.get(expectedCurrency), expectedCurrency);
        }
        if (!debitsMinorByCurrency.isEmpty()) {
            String first = debitsMinorByCurrency.firstKey();
            return money(debitsMinorByCurrency.get(first), first);
        }
        return expectedCurrency == null ? null : money(0L, expectedCurrency);
    }

    /** Amounts and ids for a break's detail; ids and money only, never account holders. */
    String describe() {
        String debits = debitsMinorByCurrency.isEmpty() ? "no debits"
                : debitsMinorByCurrency.entrySet().stream()
                        .map(debit -> Breaks.text(debit.getValue(), debit.getKey()))
                        .collect(Collectors.joining(" + ", "debits of ", ""));
        return debits + " in entry " + String.join(", ", entryIds);
    }

    private static SortedMap<String, Long> debitsOf(JournalEntry entry) {
        TreeMap<String, Long> debits = new TreeMap<>();
        for (Posting posting : entry.getPostings()) {
            if (posting.getSide() == Side.DEBIT) {
                debits.merge(posting.getAmount().getCurrency(), posting.getAmount().getAmountMinor(), Math::addExact);
            }
        }
        return debits;
    }

    private static Money money(long amountMinor, String currency) {
        return Money.newBuilder().setAmountMinor(amountMinor).setCurrency(currency).build();
    }
}
