package dev.ngao.risk.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The daily window is the UTC calendar day of the request's {@code requestedAt}: event time, so a
 * replay of the input reaches the same day, and the window resets at 00:00 UTC for every account.
 */
public final class UtcDays {

    private UtcDays() {
    }

    public static LocalDate dayOf(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
