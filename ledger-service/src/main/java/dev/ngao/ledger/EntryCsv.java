package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.Posting;

import java.time.LocalDate;

/**
 * The CSV export of a UTC day: one line per posting, entries in posting-time order, RFC 4180 quoting.
 * Columns: entryId, sequence, transactionId, kind, postedAt (ISO-8601 UTC), account, side, amountMinor,
 * currency, sourceEventId, hash.
 */
final class EntryCsv {

    static final String HEADER = "entryId,sequence,transactionId,kind,postedAt,account,side,amountMinor,currency,"
            + "sourceEventId,hash\r\n";

    private EntryCsv() {
    }

    static String ofDay(LedgerStore store, LocalDate day) {
        StringBuilder csv = new StringBuilder(HEADER);
        store.forEachEntryPosted(TimeRange.utcDay(day), entry -> append(csv, entry));
        return csv.toString();
    }

    static void append(StringBuilder csv, JournalEntry entry) {
        for (Posting posting : entry.getPostings()) {
            csv.append(field(entry.getEntryId())).append(',')
                    .append(entry.getSequence()).append(',')
                    .append(field(entry.getTransactionId())).append(',')
                    .append(field(entry.getKind())).append(',')
                    .append(entry.getPostedAt()).append(',')
                    .append(field(posting.getAccount())).append(',')
                    .append(posting.getSide()).append(',')
                    .append(posting.getAmount().getAmountMinor()).append(',')
                    .append(posting.getAmount().getCurrency()).append(',')
                    .append(field(entry.getSourceEventId())).append(',')
                    .append(entry.getHash()).append("\r\n");
        }
    }

    /** Quotes a field holding a comma, quote or line break, doubling its quotes (RFC 4180). */
    private static String field(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
