package dev.ngao.risk;

import dev.ngao.platform.money.Amounts;
import dev.ngao.platform.money.InvalidAmountException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a limit list such as {@code KES:15000000,UGX:5000000}: entries {@code CUR:amountMinor}, an
 * ISO-4217 code and a positive amount in that currency's minor units. A bad entry is refused with a
 * message naming the configuration key, so a typo stops the service at start instead of leaving a
 * currency without its limit.
 */
public final class LimitEntries implements ConfigDef.Validator {

    /** A bound on the list; far above the number of currencies anyone pays in. */
    static final int MAX_ENTRIES = 200;

    @Override
    public void ensureValid(String name, Object value) {
        if (!(value instanceof List<?> entries)) {
            throw new ConfigException(name, value, "must be a list of CUR:amountMinor entries");
        }
        parse(name, entries.stream().map(String::valueOf).toList());
    }

    @Override
    public String toString() {
        return "non-empty list of CUR:amountMinor, e.g. KES:15000000,UGX:5000000";
    }

    /**
     * @return currency -> limit in minor units, in the order given
     * @throws ConfigException naming {@code key} and the offending entry
     */
    public static Map<String, Long> parse(String key, List<String> entries) {
        if (entries.isEmpty()) {
            throw new ConfigException(key, "", "must name at least one currency; with none every request is declined");
        }
        if (entries.size() > MAX_ENTRIES) {
            throw new ConfigException(key, entries.size() + " entries", "at most " + MAX_ENTRIES + " entries");
        }
        Map<String, Long> limits = new LinkedHashMap<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon < 0) {
                throw refused(key, trimmed, "expected CUR:amountMinor");
            }
            String currency = currency(key, trimmed, trimmed.substring(0, colon).trim());
            long limitMinor = positiveLong(key, trimmed, trimmed.substring(colon + 1).trim());
            if (limits.putIfAbsent(currency, limitMinor) != null) {
                throw refused(key, trimmed, "currency " + currency + " appears twice");
            }
        }
        return limits;
    }

    private static String currency(String key, String entry, String code) {
        try {
            return Amounts.currency(code).getCurrencyCode();
        } catch (InvalidAmountException e) {
            throw refused(key, entry, e.getMessage());
        }
    }

    private static long positiveLong(String key, String entry, String text) {
        long amountMinor;
        try {
            amountMinor = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw refused(key, entry, "the limit must be a whole number of minor units");
        }
        if (amountMinor <= 0) {
            throw refused(key, entry, "the limit must be positive");
        }
        return amountMinor;
    }

    private static ConfigException refused(String key, String entry, String reason) {
        return new ConfigException(key, entry, "bad limit entry: " + reason);
    }
}
