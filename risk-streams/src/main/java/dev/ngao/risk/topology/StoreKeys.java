package dev.ngao.risk.topology;

import dev.ngao.rules.Dimension;

import java.time.LocalDate;

/**
 * The keys of risk-streams' stores, in one place so that the topology, the interactive queries and the
 * purges agree. Segments are joined by '|'; values are ids and keyed hashes that ingest-service writes
 * without '|'. Times are zero-padded epoch milliseconds so that keys sort by time.
 */
public final class StoreKeys {

    public static final char SEPARATOR = '|';
    private static final int TIME_DIGITS = 15;

    private StoreKeys() {
    }

    /** The key a stage runs under and reserves as: the account id, or {@code DIMENSION|value}. */
    public static String holderKey(Dimension dimension, String value) {
        return dimension == Dimension.ACCOUNT ? value : dimension.name() + SEPARATOR + value;
    }

    /** The dimension of a holder key: ACCOUNT unless the key starts with another dimension's name. */
    public static Dimension holderDimension(String holderKey) {
        int separator = holderKey.indexOf(SEPARATOR);
        if (separator > 0) {
            String head = holderKey.substring(0, separator);
            for (Dimension dimension : Dimension.values()) {
                if (dimension != Dimension.ACCOUNT && dimension.name().equals(head)) {
                    return dimension;
                }
            }
        }
        return Dimension.ACCOUNT;
    }

    /** The dimension value of a holder key. */
    public static String holderValue(String holderKey) {
        Dimension dimension = holderDimension(holderKey);
        return dimension == Dimension.ACCOUNT ? holderKey : holderKey.substring(dimension.name().length() + 1);
    }

    /** Reservations store: the account stage keys by transaction id, a dimension stage by holder and id. */
    public static String reservation(Dimension dimension, String value, String transactionId) {
        return dimension == Dimension.ACCOUNT ? transactionId
                : holderKey(dimension, value) + SEPARATOR + transactionId;
    }

    /** Velocity store prefix of one dimension value. */
    public static String velocityPrefix(Dimension dimension, String value) {
        return dimension.name() + SEPARATOR + value + SEPARATOR;
    }

    /** Velocity store: one observation, {@code DIMENSION|value|time|transactionId}. */
    public static String velocity(Dimension dimension, String value, long timeMs, String transactionId) {
        return velocityPrefix(dimension, value) + paddedTime(timeMs) + SEPARATOR + transactionId;
    }

    /** The time of a velocity key, or -1 when it is not one. */
    public static long velocityTime(String key) {
        int end = key.lastIndexOf(SEPARATOR);
        int start = end < 0 ? -1 : key.lastIndexOf(SEPARATOR, end - 1);
        if (start < 0) {
            return -1;
        }
        try {
            return Long.parseLong(key.substring(start + 1, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static String paddedTime(long timeMs) {
        String digits = Long.toString(Math.max(0, timeMs));
        return "0".repeat(Math.max(0, TIME_DIGITS - digits.length())) + digits;
    }

    /** Distinct store prefix: values of {@code counted} seen with one dimension value. */
    public static String distinctPrefix(Dimension dimension, String value, Dimension counted) {
        return dimension.name() + SEPARATOR + value + SEPARATOR + counted.name() + SEPARATOR;
    }

    /** Distinct store: {@code DIMENSION|value|COUNTED|countedValue} -> last seen (event time). */
    public static String distinct(Dimension dimension, String value, Dimension counted, String countedValue) {
        return distinctPrefix(dimension, value, counted) + countedValue;
    }

    /** History store: {@code accountId|CUR|yyyy-MM-dd} (UTC) -> minor units approved that day. */
    public static String history(String accountId, String currency, LocalDate utcDay) {
        return accountId + SEPARATOR + currency + SEPARATOR + utcDay;
    }

    /** Devices store: {@code accountId|deviceHash} -> last seen (event time). */
    public static String device(String accountId, String deviceHash) {
        return accountId + SEPARATOR + deviceHash;
    }

    /** The last segment of a key. */
    static String lastSegment(String key) {
        return key.substring(key.lastIndexOf(SEPARATOR) + 1);
    }
}
