package dev.ngao.risk.topology;

/**
 * The key segments of risk-streams' stores, in one place so that the topology and the interactive queries
 * agree. Segments are joined by '|'; values are ids and keyed hashes that ingest-service writes without '|'.
 */
public final class StoreKeys {

    public static final char SEPARATOR = '|';
    private static final int DIGITS = 15;

    private StoreKeys() {
    }

    /** A number zero-padded to sort as text: sequences of waiting requests. */
    public static String paddedTime(long value) {
        String digits = Long.toString(Math.max(0, value));
        return "0".repeat(Math.max(0, DIGITS - digits.length())) + digits;
    }
}
