package dev.ngao.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/** A half-open UTC interval [from, to) of posting times. */
public record TimeRange(Instant from, Instant to) {

    /** Every instant an entry can carry. */
    public static final TimeRange ALL = new TimeRange(Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2));

    public TimeRange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    /** The UTC day {@code day}, midnight to midnight. */
    public static TimeRange utcDay(LocalDate day) {
        return new TimeRange(day.atStartOfDay(ZoneOffset.UTC).toInstant(),
                day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(from) && instant.isBefore(to);
    }
}
