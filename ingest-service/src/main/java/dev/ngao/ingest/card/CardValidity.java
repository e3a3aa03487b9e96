package dev.ngao.ingest.card;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * When an issued card expires. A card shows only its expiry month (MM/YY) and is good through the whole of
 * it, so it expires at the last millisecond of that month in UTC (Avro keeps milliseconds): issued on
 * 2026-01-31 with 36 months of validity, it shows 01/29 and expires at 2029-01-31T23:59:59.999Z. The month
 * is counted from the issue month, never from the day, so month ends and leap days need no special case.
 */
public final class CardValidity {

    public static final int MINIMUM_MONTHS = 1;
    public static final int MAXIMUM_MONTHS = 120;

    private final int months;

    public CardValidity(int months) {
        if (months < MINIMUM_MONTHS || months > MAXIMUM_MONTHS) {
            throw new IllegalArgumentException("card validity must be " + MINIMUM_MONTHS + " to " + MAXIMUM_MONTHS
                    + " months");
        }
        this.months = months;
    }

    public int months() {
        return months;
    }

    /** The expiry of a card issued at {@code issuedAt}. */
    public Instant expiresAt(Instant issuedAt) {
        YearMonth expiryMonth = YearMonth.from(issuedAt.atOffset(ZoneOffset.UTC)).plusMonths(months);
        return expiryMonth.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1);
    }
}
