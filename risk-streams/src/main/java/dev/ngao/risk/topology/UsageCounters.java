package dev.ngao.risk.topology;

import dev.ngao.rules.Interval;
import dev.ngao.rules.UsageKey;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The account's hard-limit counters: minor units reserved per {@link UsageKey}. Calendar counters live in a
 * window store under their period's start, so a period's counters leave with whole segments once the period
 * and the usage retention are over; all-time counters have no period to end and stay in a key-value store
 * (one per account, currency and zone at most).
 */
public final class UsageCounters {

    private final ReadOnlyWindowStore<String, Long> calendarReader;
    private final WindowStore<String, Long> calendar;
    private final ReadOnlyKeyValueStore<String, Long> allTimeReader;
    private final KeyValueStore<String, Long> allTime;

    UsageCounters(WindowStore<String, Long> calendar, KeyValueStore<String, Long> allTime) {
        this.calendarReader = calendar;
        this.calendar = calendar;
        this.allTimeReader = allTime;
        this.allTime = allTime;
    }

    /** Read-only counters, for interactive queries. */
    public UsageCounters(ReadOnlyWindowStore<String, Long> calendar, ReadOnlyKeyValueStore<String, Long> allTime) {
        this.calendarReader = calendar;
        this.calendar = null;
        this.allTimeReader = allTime;
        this.allTime = null;
    }

    /** The window start of a counter: its period's start in its zone, epoch ms; -1 for all time. */
    public static long periodStartMs(UsageKey key) {
        return key.interval() == Interval.ALL_TIME ? -1L
                : key.periodStart().atStartOfDay(key.zone()).toInstant().toEpochMilli();
    }

    public long reservedMinor(UsageKey key) {
        return reservedMinor(key.storeKey(), periodStartMs(key));
    }

    long reservedMinor(String storeKey, long periodStartMs) {
        Long reserved = periodStartMs < 0 ? allTimeReader.get(storeKey) : calendarReader.fetch(storeKey, periodStartMs);
        return reserved == null ? 0L : reserved;
    }

    /** Adds {@code deltaMinor} (negative to release) and returns the new usage; 0 removes the counter. */
    long add(String storeKey, long periodStartMs, long deltaMinor) {
        long after = Math.addExact(reservedMinor(storeKey, periodStartMs), deltaMinor);
        Long stored = after == 0 ? null : after;
        if (periodStartMs < 0) {
            if (stored == null) {
                allTime.delete(storeKey);
            } else {
                allTime.put(storeKey, stored);
            }
        } else {
            calendar.put(storeKey, stored, periodStartMs);
        }
        return after;
    }
}
