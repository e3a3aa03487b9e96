package dev.ngao.ledger;

import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The paging and time-range query parameters of the listing routes: {@code from} and {@code to} are
 * ISO-8601 UTC instants (e.g. {@code 2025-01-15T00:00:00Z}), half-open [from, to); {@code after} is
 * the cursor of the previous page ({@code nextAfter}); {@code limit} is 1 to {@link EntryPage#MAX_LIMIT},
 * 100 by default.
 */
record PageRequest(TimeRange range, long after, int limit) {

    static final int DEFAULT_LIMIT = 100;

    static PageRequest from(RoutingContext context) {
        Instant from = instant(context.queryParams().get("from"), TimeRange.ALL.from(), "from");
        Instant to = instant(context.queryParams().get("to"), TimeRange.ALL.to(), "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        long after = number(context.queryParams().get("after"), 0, Long.MAX_VALUE, 0, "after");
        int limit = (int) number(context.queryParams().get("limit"), 1, EntryPage.MAX_LIMIT, DEFAULT_LIMIT, "limit");
        return new PageRequest(new TimeRange(from, to), after, limit);
    }

    private static Instant instant(String text, Instant absent, String name) {
        if (text == null) {
            return absent;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 UTC instant such as 2025-01-15T00:00:00Z");
        }
    }

    private static long number(String text, long min, long max, long absent, String name) {
        if (text == null) {
            return absent;
        }
        try {
            long value = Long.parseLong(text);
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max);
        }
    }
}
