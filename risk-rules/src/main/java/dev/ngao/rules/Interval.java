package dev.ngao.rules;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/**
 * A calendar period of a hard limit, as Stripe Issuing's spending-control intervals: the day, the week
 * (starting on Monday), the month, or all time, in a named zone (UTC unless a rule names the merchant's).
 * A period is identified by the local date it starts on.
 */
public enum Interval {
    DAY,
    WEEK,
    MONTH,
    ALL_TIME;

    /** The first local day of the period of this interval that contains {@code instant} in {@code zone}. */
    public LocalDate periodStart(Instant instant, ZoneId zone) {
        LocalDate day = LocalDate.ofInstant(instant, zone);
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
            case ALL_TIME -> LocalDate.EPOCH;
        };
    }
}
