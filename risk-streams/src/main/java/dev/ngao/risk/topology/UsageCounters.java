package dev.ngao.risk.topology;

import dev.ngao.risk.internal.CalendarCounter;
import dev.ngao.risk.internal.SignalDay;
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
 * <p>Calendar counters live in the account's latest day record of the {@code account-signals} store
 * ({@link SignalDay#getUsage()}, key {@code ACCOUNT|id}, the first two segments of the counter's store key), beside
 * the account's attempts of that day. A decision that reserves on an account's daily and weekly or monthly counter
 * and records its attempt writes that one record: one changelog record and one changelog partition in the
 * transaction, where a store of their own took one more of each. Every write of a day record at least as late as
 * the one holding the counters carries them into it ({@link #carryInto}, called by the account's
 * {@link SignalBook} before it writes), so the latest record always holds them; a request that changes counters
 * without writing such a record (a release, a request dated earlier than the account's latest day) writes them
 * into the latest record at {@link #endRequest}. Each carry drops the counters whose period started more than the
 * retention before the record's day, so an idle account's counters leave with its records, by whole segments;
 * nothing sweeps the store. A request reads the counters once: the latest record in the store's live segments.
 *
 * <p>Counters written before this layout (one window record per counter in the {@code account-usage} store) are
 * read once per account, while its latest record does not say it carries counters
 * ({@link SignalDay#getUsageCarried()}), and carried into it by the next write; that store is never written again
 * and empties itself as its segments expire.
 *
 * <p>All-time counters (and a prepaid card's funds) have no period to end and stay in a key-value store, one
 * entry per owner, currency and zone at most.
 */
public final class UsageCounters {

    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final long NO_RECORD = Long.MIN_VALUE;

    private final ReadOnlyWindowStore<String, SignalDay> dayReader;
    private final WindowStore<String, SignalDay> days;
    private final ReadOnlyWindowStore<String, Long> legacy;
    private final ReadOnlyKeyValueStore<String, Long> allTimeReader;
    private final KeyValueStore<String, Long> allTime;
    private final long retentionMs;
    /** Told after this class wrote a day record itself, so the account's book forgets what it read. */
    private Runnable afterWrite = () -> { };

    /** The owner whose counters this request read, its counters by store key, and whether they changed. */
    private String owner;
    private Map<String, CalendarCounter> counters;
    /** The day (window start) of the owner's latest record, where the counters are; {@value #NO_RECORD}: none. */
    private long homeDayMs;
    private boolean changed;

    UsageCounters(WindowStore<String, SignalDay> accountDays, ReadOnlyWindowStore<String, Long> legacy,
                  KeyValueStore<String, Long> allTime, Duration retention) {
        this.dayReader = accountDays;
        this.days = accountDays;
        this.legacy = legacy;
        this.allTimeReader = allTime;
        this.allTime = allTime;
        this.retentionMs = retention.toMillis();
    }

    private UsageCounters(ReadOnlyWindowStore<String, SignalDay> accountDays, ReadOnlyWindowStore<String, Long> legacy,
                          ReadOnlyKeyValueStore<String, Long> allTime, Duration retention) {
        this.dayReader = accountDays;
        this.days = null;
        this.legacy = legacy;
        this.allTimeReader = allTime;
        this.allTime = null;
        this.retentionMs = retention.toMillis();
    }

    /** Read-only counters, for interactive queries: {@code accountDays} is the {@code account-signals} store. */
    public static UsageCounters readOnly(ReadOnlyWindowStore<String, SignalDay> accountDays,
                                         ReadOnlyWindowStore<String, Long> legacy,
                                         ReadOnlyKeyValueStore<String, Long> allTime, Duration retention) {
        return new UsageCounters(accountDays, legacy, allTime, retention);
    }

    /** {@code afterWrite} runs after each day record this class writes itself (not those it is carried into). */
    void afterWrite(Runnable afterWrite) {
        this.afterWrite = afterWrite;
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

    /**
     * Writes the counters the request changed into the owner's latest record, unless a day record written since
     * carried them ({@link #carryInto}); nothing when it changed none.
     */
    void endRequest() {
        if (changed) {
            write();
        }
        owner = null;
        counters = null;
        changed = false;
    }

    /**
     * Called with each day record of the account's book before it is written: a record of the day holding the
     * counters, or of a later one, takes the owner's counters (read first if this request has not), and is then
     * where they are. A record of an earlier day is left as it is.
     */
    void carryInto(String key, SignalDay day) {
        if (days == null) {
            throw new IllegalStateException("read-only usage counters");
        }
        countersOf(key);
        if (day.getDayStartMs() < homeDayMs) {
            return;
        }
        placeInto(day);
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
        if (days == null) {
            throw new IllegalStateException("read-only usage counters");
        }
        if (after == 0) {
            counters.remove(storeKey);
        } else {
            counters.put(storeKey, new CalendarCounter(storeKey, periodStartMs, after));
        }
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
            // A request touching a second owner: the first one's counters are written before they are let go.
            write();
            changed = false;
        }
        Map<String, CalendarCounter> read = new LinkedHashMap<>();
        homeDayMs = NO_RECORD;
        SignalDay latest = null;
        try (var stored = WindowReads.backwardFetch(dayReader, of, 0L, Long.MAX_VALUE)) {
            if (stored.hasNext()) {
                var found = stored.next();
                homeDayMs = found.key;
                latest = found.value;
            }
        }
        if (latest != null && latest.getUsageCarried()) {
            for (CalendarCounter counter : latest.getUsage()) {
                read.put(counter.getUsageKey(), counter);
            }
        } else {
            read.putAll(legacyCounters(of));
            // Carried by the next write of the account's latest day, or at the end of the request.
            changed = days != null && !read.isEmpty();
        }
        owner = of;
        counters = read;
        return read;
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
                }
            }
        }
        return read;
    }

    /**
     * Writes the owner's counters into its latest day record (read again: the book may have written it since),
     * or, for an owner without one, into a record of the UTC day of the latest period start they hold.
     */
    private void write() {
        long dayMs = homeDayMs;
        if (dayMs == NO_RECORD) {
            for (CalendarCounter counter : counters.values()) {
                dayMs = Math.max(dayMs, dayStart(counter.getPeriodStartMs()));
            }
            if (dayMs == NO_RECORD) {
                return;
            }
        }
        SignalDay day = dayReader.fetch(owner, dayMs);
        if (day == null) {
            day = SignalBook.emptyDay(dayMs);
        }
        placeInto(day);
        days.put(owner, day, dayMs);
        afterWrite.run();
    }

    /** Puts the owner's live counters into {@code day}, which is then where they are. */
    private void placeInto(SignalDay day) {
        day.setUsage(live(day.getDayStartMs()));
        day.setUsageCarried(true);
        homeDayMs = day.getDayStartMs();
    }

    /**
     * The counters a record of the day {@code dayMs} keeps: those whose period started within the retention
     * before it (the window store would have dropped the others with the segments of their period's start).
     */
    private List<CalendarCounter> live(long dayMs) {
        List<CalendarCounter> live = new ArrayList<>(counters.size());
        for (CalendarCounter counter : counters.values()) {
            if (counter.getPeriodStartMs() > dayMs - retentionMs) {
                live.add(counter);
            }
        }
        return live;
    }

    /** The UTC day a time falls in: counters of zones ahead of UTC start the day before. */
    private static long dayStart(long timeMs) {
        return Math.floorDiv(timeMs, DAY_MS) * DAY_MS;
    }
}
