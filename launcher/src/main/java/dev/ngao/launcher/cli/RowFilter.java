package dev.ngao.launcher.cli;

import java.util.Locale;
import java.util.function.Predicate;

/**
 * Which rows an analyst asked for: by transaction (the value's {@code transactionId}, an audit record's
 * {@code subjectId}, or the record key, as on topics keyed by transaction), by merchant ({@code merchantId})
 * and by outcome (a decision's or audit record's {@code outcome}, a provider event's {@code status}),
 * case-insensitive. Absent criteria match everything.
 */
record RowFilter(String transactionId, String merchantId, String outcome) implements Predicate<TopicRow> {

    static final RowFilter ALL = new RowFilter(null, null, null);

    static RowFilter forTransaction(String transactionId) {
        return new RowFilter(transactionId, null, null);
    }

    @Override
    public boolean test(TopicRow row) {
        return matchesTransaction(row)
                && (merchantId == null || merchantId.equals(row.field("merchantId")))
                && (outcome == null || outcome.equalsIgnoreCase(firstPresent(row.field("outcome"),
                row.field("status"))));
    }

    private boolean matchesTransaction(TopicRow row) {
        if (transactionId == null) {
            return true;
        }
        return transactionId.equals(row.field("transactionId"))
                || transactionId.equals(row.field("subjectId"))
                || transactionId.equals(row.field("originalTransactionId"))
                || (row.field("transactionId") == null && transactionId.equals(row.key()));
    }

    private static String firstPresent(String first, String second) {
        return first != null ? first : second == null ? null : second.toUpperCase(Locale.ROOT);
    }
}
