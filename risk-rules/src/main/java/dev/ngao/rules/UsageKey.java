package dev.ngao.rules;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * One counter of reserved money: what approvals of one dimension value consumed in one currency during
 * one period of an interval in a zone. Counters are shared by every limit rule that names the same
 * period: two rules with a daily UTC limit on an account read and reserve the same counter.
 *
 * <p>{@link #storeKey()} is the key of the usage store, {@code DIMENSION|value|CUR|INTERVAL|zone|start}.
 */
public record UsageKey(Dimension dimension, String value, String currency, Interval interval, ZoneId zone,
                       LocalDate periodStart) {

    public UsageKey {
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(periodStart, "periodStart");
    }

    public String storeKey() {
        return dimension + "|" + value + "|" + currency + "|" + interval + "|" + zone.getId() + "|" + periodStart;
    }
}
