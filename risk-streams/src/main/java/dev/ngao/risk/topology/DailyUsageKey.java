package dev.ngao.risk.topology;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Keys of the {@value RiskTopology#DAILY_USAGE_STORE} store: {@code accountId|CUR|yyyy-MM-dd}, the day
 * in UTC. The day is the last segment, read from the end, so an account id containing '|' stays safe.
 */
public final class DailyUsageKey {

    private static final char SEPARATOR = '|';

    private DailyUsageKey() {
    }

    public static String of(String accountId, String currency, LocalDate utcDay) {
        return accountId + SEPARATOR + currency + SEPARATOR + utcDay;
    }

    /** The UTC day a key counts, or empty if the key is not one this class wrote. */
    public static Optional<LocalDate> dayOf(String key) {
        int separator = key.lastIndexOf(SEPARATOR);
        if (separator < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(key.substring(separator + 1)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
