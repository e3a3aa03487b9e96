package dev.ngao.risk.topology;

import dev.ngao.risk.internal.AccountUsage;
import dev.ngao.risk.internal.CalendarCounter;
import dev.ngao.rules.Interval;
import dev.ngao.rules.UsageKey;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The account's hard-limit counters: minor units reserved per {@link UsageKey}.
 *
 * <p>Calendar counters: one {@link AccountUsage} record per owner ({@code DIMENSION|value}, the first two
 * segments of the counter's store key) holds every live counter of it, so a decision that reserves on an
 * account's daily and its weekly or monthly counter writes one changelog record, not one per counter (a
 * partition fewer in each transaction, too). The record lives in a window store under the UTC day of the
 * latest period start it holds (never earlier than where it was read): the counters' own time, as when each
 * counter was a window record under its period's start, so the store's time and expiry are what they were.
 * Each write carries the counters forward into that day and drops those whose period started more than the
 * retention before it, so an account idle for longer than the retention leaves with whole segments and nothing
 * ever sweeps the store. A request reads the record once (the latest in the store's live segments, a few at
 * most) and writes it once, at {@link #endRequest}.
 *
 * <p>Records written before this layout (one window record per counter in the {@code account-usage} store) are
 * read once per owner, the first time it has no record of the new kind, and carried into it; that store is
 * never written again and empties itself as its segments expire.
 *
 * <p>All-time counters (and a prepaid card's funds) have no period to end and stay in a key-value store, one
 * entry per owner, currency and zone at most.
 */
public final class UsageCounters {

    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    private final ReadOnlyWindowStore<String, AccountUsage> recordReader;
    private final WindowStore<String, AccountUsage> records;
    private final ReadOnlyWindowStore<String, Long> legacy;
    private final ReadOnlyKeyValueStore<String, Long> allTimeReader;
    private final KeyValueStore<String, Long> allTime;
    private final long retentionMs;

    /** The owner whose record this request read, its counters by store key, and whether it changed. */
    private String owner;
    private Map<String, CalendarCounter> counters;
    /**
     * The window start of the record read, or the latest period start of a counter held or touched since, if
     * later; the record is written there.
     */
    private long windowMs;
    private boolean changed;

    UsageCounters(WindowStore<String, AccountUsage> records, ReadOnlyWindowStore<String, Long> legacy,
                  KeyValueStore<String, Long> allTime, Duration retention) {
        this.recordReader = records;
        this.records = records;
        this.legacy = legacy;
        this.allTimeReader = allTime;
        this.allTime = allTime;
        this.retentionMs = retention.toMillis();
    }

    private UsageCounters(ReadOnlyWindowStore<String, AccountUsage> records, ReadOnlyWindowStore<String, Long> legacy,
                          ReadOnlyKeyValueStore<String, Long> allTime, Duration retention) {
        this.recordReader = records;
        this.records = null;
        this.legacy = legacy;
        this.allTimeReader = allTime;
        this.allTime = null;
        this.retentionMs = retention.toMillis();
    }

    /** Read-only counters, for interactive queries. */
    public static UsageCounters readOnly(ReadOnlyWindowStore<String, AccountUsage> records,
                                         ReadOnlyWindowStore<String, Long> legacy,
                                         ReadOnlyKeyValueStore<String, Long> allTime, Duration retention) {
        return new UsageCounters(records, legacy, allTime, retention);
    }

    /** The window start of a counter: its period's start in its zone, epoch ms; -1 for all time. */
    public static long periodStartMs(UsageKey key) {
        return key.interval() == Interval.ALL_TIME ? -1L
                : key.periodStart().atStartOfDay(key.zone()).toInstant().toEpochMilli();
    }

    /** The owner of a counter: {@code DIMENSION|value}, the key of its record. */
    static String ownerOf(String storeKey) {
        int first = storeKey.indexOf(StoreKeys.SEPARATOR);
        int second = first < 0 ? -1 : storeKey.indexOf(StoreKeys.SEPARATOR, first + 1);
        if (second < 0) {
            throw new IllegalArgumentException("not a usage counter's store key: " + storeKey);
        }
        return storeKey.substring(0, second);
    }

    /** Starts a request: nothing read before is trusted. */
    void beginRequest() {
        this.owner = null;
        this.counters = null;
        this.changed = false;
    }

    /** Writes the record the request changed, once; nothing when it changed none. */
    void endRequest() {
        if (changed) {
            write();
        }
        owner = null;
        counters = null;
        changed = false;
    }

    public long reservedMinor(UsageKey key) {
        return reservedMinor(key.storeKey(), periodStartMs(key));
    }

    long reservedMinor(String storeKey, long periodStartMs) {
        if (periodStartMs < 0) {
            Long reserved = allTimeReader.get(storeKey);
            return reserved == null ? 0L : reserved;
        }
        CalendarCounter counter = countersOf(ownerOf(storeKey)).get(storeKey);
        return counter == null ? 0L : counter.getReservedMinor();
    }

    /**
     * Adds {@code deltaMinor} (negative to release) and returns the new usage; 0 removes the counter. A calendar
     * counter is written with its owner's record at {@link #endRequest}.
     */
    long add(String storeKey, long periodStartMs, long deltaMinor) {
        long after = Math.addExact(reservedMinor(storeKey, periodStartMs), deltaMinor);
        if (periodStartMs < 0) {
            if (after == 0) {
                allTime.delete(storeKey);
            } else {
                allTime.put(storeKey, after);
            }
            return after;
        }
        if (records == null) {
            throw new IllegalStateException("read-only usage counters");
        }
        if (after == 0) {
            counters.remove(storeKey);
        } else {
            counters.put(storeKey, new CalendarCounter(storeKey, periodStartMs, after));
        }
        windowMs = Math.max(windowMs, dayStart(periodStartMs));
        changed = true;
        return after;
    }

    /** The owner's live calendar counters, by store key in the order they were first reserved. */
    public List<CalendarCounter> calendarCounters(String owner) {
        return List.copyOf(countersOf(owner).values());
    }

    private Map<String, CalendarCounter> countersOf(String of) {
        if (of.equals(owner)) {
            return counters;
        }
        if (changed) {
            // A request touching a second owner: the first one's record is written before it is let go.
            write();
            changed = false;
        }
        windowMs = Long.MIN_VALUE;
        AccountUsage record = latest(of);
        Map<String, CalendarCounter> read = new LinkedHashMap<>();
        if (record != null) {
            for (CalendarCounter counter : record.getCounters()) {
                read.put(counter.getUsageKey(), counter);
            }
        } else {
            read.putAll(legacyCounters(of));
            // Carried into a record of the new kind at once, so that the old store is never read again for it.
            changed = records != null && !read.isEmpty();
        }
        owner = of;
        counters = read;
        return read;
    }

    /**
     * The owner's latest record, with its window start: read backwards over the whole store, which holds only
     * the segments within the retention (three at most).
     */
    private AccountUsage latest(String of) {
        try (var stored = WindowReads.backwardFetch(recordReader, of, 0L, Long.MAX_VALUE)) {
            if (!stored.hasNext()) {
                return null;
            }
            var latest = stored.next();
            windowMs = latest.key;
            return latest.value;
        }
    }

    private Map<String, CalendarCounter> legacyCounters(String of) {
        Map<String, CalendarCounter> read = new LinkedHashMap<>();
        if (legacy == null) {
            return read;
        }
        String prefix = of + StoreKeys.SEPARATOR;
        try (KeyValueIterator<Windowed<String>, Long> stored = WindowReads.fetch(legacy, prefix, prefix + '\uffff',
                0L, Long.MAX_VALUE)) {
            while (stored.hasNext()) {
                KeyValue<Windowed<String>, Long> entry = stored.next();
                String storeKey = entry.key.key();
                if (storeKey.startsWith(prefix) && entry.value != null && entry.value != 0) {
                    read.put(storeKey, new CalendarCounter(storeKey, entry.key.window().start(), entry.value));
                    windowMs = Math.max(windowMs, dayStart(entry.key.window().start()));
                }
            }
        }
        return read;
    }

    /**
     * Writes the owner's record under {@link #windowMs}, without the counters whose period started more than
     * the retention before it (the window store would have dropped them). An empty record is written, not
     * deleted: it says the owner's counters moved to this layout, so the old store is not read for it again.
     */
    private void write() {
        if (windowMs == Long.MIN_VALUE) {
            return;
        }
        List<CalendarCounter> live = new ArrayList<>(counters.size());
        for (CalendarCounter counter : counters.values()) {
            if (counter.getPeriodStartMs() > windowMs - retentionMs) {
                live.add(counter);
            }
        }
        records.put(owner, new AccountUsage(live), windowMs);
    }

    /** The UTC day a time falls in: counters of zones ahead of UTC start the day before. */
    private static long dayStart(long timeMs) {
        return Math.floorDiv(timeMs, DAY_MS) * DAY_MS;
    }
}
