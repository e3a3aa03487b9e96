package dev.ngao.risk.topology;

import dev.ngao.risk.internal.CurrencySum;
import dev.ngao.risk.internal.DistinctValues;
import dev.ngao.risk.internal.SeenValue;
import dev.ngao.risk.internal.SignalBucket;
import dev.ngao.risk.internal.SignalDay;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.WindowTotals;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Velocity and distinct counts of dimension values, kept as time buckets in a segmented window store: one
 * {@link SignalDay} record per value and UTC day (window start = the day), holding attempts in 10-second
 * buckets (the last 10 minutes), minute buckets (the last 2 hours), hour buckets and the day's total, each
 * with its count and sum per currency, and per other dimension the distinct values seen that day.
 *
 * <p>Why buckets: a window is answered from at most a few dozen buckets of at most a few day records,
 * whatever the traffic of the value, instead of one store entry per attempt. Why a window store: whole
 * segments of days past the retention are dropped by RocksDB segment expiry, so nothing ever sweeps the
 * store. The price is granularity: a window of W is counted in whole buckets that overlap
 * {@code (end - W, end]}, so it may reach back up to one bucket more than W (10 s for windows up to 10
 * minutes, a minute up to 2 hours, an hour up to 2 days, a day beyond): never fewer attempts than the
 * window holds. Distinct values keep their last-seen time, so distinct counts are exact in time; each day
 * keeps at most {@link #MAXIMUM_DISTINCT} values per counted dimension (the most recent), so a count is
 * exact up to that bound and saturates there (distinct-count rules accept a maximum below it).
 */
public final class SignalBook {

    /** Distinct values kept per counted dimension and day; distinct-count rules' maxima stay below it. */
    static final int MAXIMUM_DISTINCT = 64;

    static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final long HOUR_MS = Duration.ofHours(1).toMillis();
    private static final long MINUTE_MS = Duration.ofMinutes(1).toMillis();
    private static final long TEN_SECONDS_MS = Duration.ofSeconds(10).toMillis();
    /** The 10-second buckets serve windows up to 10 minutes and are kept that long. */
    private static final long TEN_SECOND_SPAN_MS = Duration.ofMinutes(10).toMillis();
    /** Minute buckets serve windows up to 2 hours and are kept that long. */
    private static final long MINUTE_SPAN_MS = Duration.ofHours(2).toMillis();
    /** Hour buckets serve windows up to 2 days; longer windows add whole days. */
    private static final long HOUR_SPAN_MS = Duration.ofDays(2).toMillis();
    /** Windows spanning at most this many days besides their last are read day by day. */
    private static final int POINT_READ_DAYS = 2;

    /**
     * Guards the global signals store's segments. Kafka Streams' segmented stores keep their segments in an
     * unsynchronized {@code TreeMap}, safe for the one thread that owns a task's store but not for a global store,
     * which the global thread writes while every stream thread (and the usage API) reads it: a write that opens a
     * day's segment, or drops the oldest as time passes, raced reads, which then failed with "Store
     * signals.&lt;day&gt; is currently closed" and cost the stream thread (replaced, its tasks moved). Such writes
     * take the write lock ({@link SegmentChanges} tells them apart: about one a day), reads the read lock; every
     * other write goes without, as RocksDB itself is safe for concurrent reads and writes. One per process,
     * shared by the Kafka Streams instances of the process (one in a deployment).
     */
    static final ReadWriteLock GLOBAL_SEGMENTS = new ReentrantReadWriteLock();

    private final ReadOnlyWindowStore<String, SignalDay> reader;
    private final WindowStore<String, SignalDay> writer;
    /** {@link #GLOBAL_SEGMENTS} for the global store; null for a task's own, read and written by one thread. */
    private final ReadWriteLock segments;
    /** The global store's writer: which of its writes may open or drop a segment; null for other books. */
    private final SegmentChanges changes;
    /**
     * The day records read for the request being decided, by key and day range: several rules of one
     * dimension (a DNI's phone numbers and accounts over 30 days) read the same days once. Cleared per request
     * and on every write.
     */
    private final Map<String, List<SignalDay>> read = new java.util.HashMap<>();

    /** Sees each day record before it is written: the account's usage counters ride along (see UsageCounters). */
    private final BiConsumer<String, SignalDay> beforeWrite;

    private SignalBook(ReadOnlyWindowStore<String, SignalDay> reader, WindowStore<String, SignalDay> writer,
                       BiConsumer<String, SignalDay> beforeWrite, ReadWriteLock segments,
                       SegmentChanges changes) {
        this.reader = reader;
        this.writer = writer;
        this.beforeWrite = beforeWrite;
        this.segments = segments;
        this.changes = changes;
    }

    /**
     * The book the global store's processor writes: its writes that may open or drop a segment are guarded
     * against concurrent reads.
     *
     * @param retention the store's retention (its segments are a day each)
     */
    static SignalBook globalWriter(WindowStore<String, SignalDay> store, Duration retention) {
        return new SignalBook(store, store, (key, day) -> { }, GLOBAL_SEGMENTS,
                new SegmentChanges(retention.toMillis(), DAY_MS));
    }

    /**
     * The account signals of a decision task: {@code usage} carries the account's counters into each day record
     * written, so a decision's attempt and counters are one record.
     */
    static SignalBook accounts(WindowStore<String, SignalDay> store, UsageCounters usage) {
        SignalBook book = new SignalBook(store, store, usage::carryInto, null, null);
        usage.afterWrite(book::beginRequest);
        return book;
    }

    /** A book read only, of a task's account signals (the usage API's queries). */
    public static SignalBook readOnly(ReadOnlyWindowStore<String, SignalDay> store) {
        return new SignalBook(store, null, (key, day) -> { }, null, null);
    }

    /** The global signals read only, as a decision task or the usage API sees them: reads guarded. */
    public static SignalBook globalReader(ReadOnlyWindowStore<String, SignalDay> store) {
        return new SignalBook(store, null, (key, day) -> { }, GLOBAL_SEGMENTS, null);
    }

    private SignalDay day(String key, long dayStartMs) {
        SignalDay day = guarded(() -> reader.fetch(key, dayStartMs));
        return day != null ? day : emptyDay(dayStartMs);
    }

    /** Runs a read of the store under the read lock of its segments, when it has one. */
    private <T> T guarded(Supplier<T> read) {
        if (segments == null) {
            return read.get();
        }
        Lock lock = segments.readLock();
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    /** A day record with nothing counted yet. */
    static SignalDay emptyDay(long dayStartMs) {
        return SignalDay.newBuilder().setDayStartMs(dayStartMs).setSeconds(new ArrayList<>())
                .setMinutes(new ArrayList<>()).setHours(new ArrayList<>()).setTotal(bucket(dayStartMs))
                .setApproved(new ArrayList<>()).setDistinct(new ArrayList<>()).build();
    }

    private void write(String key, SignalDay day, long dayStartMs) {
        beforeWrite.accept(key, day);
        if (changes == null || !changes.mayChange(dayStartMs)) {
            writer.put(key, day, dayStartMs);
        } else {
            Lock lock = segments.writeLock();
            lock.lock();
            try {
                writer.put(key, day, dayStartMs);
            } finally {
                lock.unlock();
            }
        }
        if (changes != null) {
            changes.written(dayStartMs);
        }
        read.clear();
    }

    /**
     * Which writes of a segmented store (one writer thread) may change its segments, following Kafka Streams'
     * rules ({@code AbstractSegments.getOrCreateSegmentIfLive}): a write at {@code t} raises the store's stream
     * time to at least {@code t}, drops every segment below the one of {@code streamTime - retention}, and opens
     * {@code t}'s segment if it is live and not open yet. Segments this writer has not written since it started
     * (opened from disk) count as not open, so their first write is guarded too: conservative, never unguarded
     * when a change is possible.
     */
    static final class SegmentChanges {

        private final long retentionMs;
        private final long segmentMs;
        /** The segments this writer has written and not seen dropped; bounded by the live segments. */
        private final java.util.TreeSet<Long> open = new java.util.TreeSet<>();
        private long streamTimeMs = Long.MIN_VALUE;

        SegmentChanges(long retentionMs, long segmentMs) {
            this.retentionMs = retentionMs;
            this.segmentMs = segmentMs;
        }

        /** Whether a write at {@code timeMs} may open or drop a segment. */
        boolean mayChange(long timeMs) {
            if (streamTimeMs == Long.MIN_VALUE) {
                return true;
            }
            long minLiveBefore = segmentId(streamTimeMs - retentionMs);
            long minLiveAfter = segmentId(Math.max(streamTimeMs, timeMs) - retentionMs);
            long segment = segmentId(timeMs);
            return minLiveAfter != minLiveBefore || (segment >= minLiveAfter && !open.contains(segment));
        }

        /** After a write at {@code timeMs}: the store's stream time and open segments as the store now has them. */
        void written(long timeMs) {
            streamTimeMs = Math.max(streamTimeMs, timeMs);
            long minLive = segmentId(streamTimeMs - retentionMs);
            long segment = segmentId(timeMs);
            if (segment >= minLive) {
                open.add(segment);
            }
            open.headSet(minLive).clear();
        }

        private long segmentId(long timeMs) {
            return Math.max(0, timeMs) / segmentMs;
        }
    }

    /** Adds {@code deltaMinor} (negative to take back what never was an approval) to a day's approved spend. */
    void addApproved(Dimension dimension, String value, long timeMs, String currency, long deltaMinor) {
        String key = key(dimension, value);
        long dayStartMs = dayStart(timeMs);
        SignalDay day = day(key, dayStartMs);
        addApproved(day, currency, deltaMinor);
        write(key, day, dayStartMs);
    }

    private static void addApproved(SignalDay day, String currency, long deltaMinor) {
        List<CurrencySum> approved = new ArrayList<>(day.getApproved());
        for (CurrencySum sum : approved) {
            if (sum.getCurrency().equals(currency)) {
                sum.setAmountMinor(Math.max(0L, Math.addExact(sum.getAmountMinor(), deltaMinor)));
                day.setApproved(approved);
                return;
            }
        }
        if (deltaMinor > 0) {
            approved.add(new CurrencySum(currency, deltaMinor));
        }
        day.setApproved(approved);
    }

    /** The day's approved spend in {@code currency} of each day in {@code (end - window, end]}, by day start. */
    Map<Long, Long> approvedByDay(Dimension dimension, String value, String currency, Duration window, Instant end) {
        Map<Long, Long> byDay = new java.util.HashMap<>();
        long endMs = end.toEpochMilli();
        for (SignalDay day : days(dimension, value, endMs - window.toMillis(), endMs + DAY_MS)) {
            for (CurrencySum sum : day.getApproved()) {
                if (sum.getCurrency().equals(currency) && sum.getAmountMinor() > 0) {
                    byDay.put(day.getDayStartMs(), sum.getAmountMinor());
                }
            }
        }
        return byDay;
    }

    /** Forgets what the previous request read: the store may have moved since. */
    void beginRequest() {
        read.clear();
    }

    static String key(Dimension dimension, String value) {
        return dimension.name() + StoreKeys.SEPARATOR + value;
    }

    static long dayStart(long timeMs) {
        return Math.floorDiv(timeMs, DAY_MS) * DAY_MS;
    }

    /**
     * Counts one attempt of {@code dimension}'s {@code value} at {@code timeMs} and the values of the other
     * dimensions it came with: one read and one write of the day's record.
     */
    void observe(Dimension dimension, String value, long timeMs, String currency, long amountMinor,
                 Map<Dimension, String> others) {
        observe(dimension, value, timeMs, currency, amountMinor, others, 0L);
    }

    /**
     * As {@link #observe(Dimension, String, long, String, long, Map)}, adding {@code approvedMinor} to the day's
     * approved spend in the same write (an account's approval).
     */
    void observe(Dimension dimension, String value, long timeMs, String currency, long amountMinor,
                 Map<Dimension, String> others, long approvedMinor) {
        String key = key(dimension, value);
        long dayStartMs = dayStart(timeMs);
        SignalDay day = day(key, dayStartMs);
        if (approvedMinor != 0) {
            addApproved(day, currency, approvedMinor);
        }
        day.setSeconds(add(prune(day.getSeconds(), timeMs - TEN_SECOND_SPAN_MS, TEN_SECONDS_MS),
                floor(timeMs, TEN_SECONDS_MS), currency, amountMinor));
        day.setMinutes(add(prune(day.getMinutes(), timeMs - MINUTE_SPAN_MS, MINUTE_MS), floor(timeMs, MINUTE_MS),
                currency, amountMinor));
        day.setHours(add(day.getHours(), floor(timeMs, HOUR_MS), currency, amountMinor));
        count(day.getTotal(), currency, amountMinor);
        for (Map.Entry<Dimension, String> other : others.entrySet()) {
            if (other.getKey() != dimension) {
                see(day, other.getKey(), other.getValue(), timeMs);
            }
        }
        write(key, day, dayStartMs);
    }

    /**
     * The value's day records from the day of {@code fromMs} to {@code endMs}, read once per request. Windows
     * of a few days (most rules) read each day's record with a point read, which RocksDB answers from its
     * bloom filter when the day has none; longer ones one range read over the store's segments.
     */
    private List<SignalDay> days(Dimension dimension, String value, long fromMs, long endMs) {
        String key = key(dimension, value);
        long fromDayMs = dayStart(fromMs);
        return read.computeIfAbsent(key + StoreKeys.SEPARATOR + fromDayMs + StoreKeys.SEPARATOR + endMs,
                ignored -> guarded(() -> readDays(key, fromDayMs, endMs)));
    }

    private List<SignalDay> readDays(String key, long fromDayMs, long endMs) {
        List<SignalDay> days = new ArrayList<>();
        long lastDayMs = dayStart(endMs);
        if (lastDayMs - fromDayMs <= POINT_READ_DAYS * DAY_MS) {
            for (long dayMs = fromDayMs; dayMs <= lastDayMs; dayMs += DAY_MS) {
                SignalDay day = reader.fetch(key, dayMs);
                if (day != null) {
                    days.add(day);
                }
            }
            return days;
        }
        try (WindowStoreIterator<SignalDay> stored = WindowReads.fetch(reader, key, fromDayMs, endMs)) {
            stored.forEachRemaining(day -> days.add(day.value));
        }
        return days;
    }

    /** Attempts of the value in {@code (end - window, end]}, counted in whole buckets, summed in {@code currency}. */
    WindowTotals window(Dimension dimension, String value, Duration window, Instant end, String currency) {
        WindowSums sums = sums(dimension, value, window, end);
        return new WindowTotals(sums.count(), sums.sumsMinor().getOrDefault(currency, 0L));
    }

    /** Attempts in a window and their sums in every currency, for rules and the usage API. */
    public record WindowSums(long count, Map<String, Long> sumsMinor, Instant windowStart) {
    }

    public WindowSums sums(Dimension dimension, String value, Duration window, Instant end) {
        long endMs = end.toEpochMilli();
        long windowMs = window.toMillis();
        long width = width(windowMs);
        long fromMs = endMs - windowMs;
        long count = 0;
        long firstStartMs = endMs;
        Map<String, Long> sumsMinor = new java.util.TreeMap<>();
        for (SignalDay day : days(dimension, value, fromMs, endMs)) {
            for (SignalBucket bucket : buckets(day, width)) {
                if (bucket.getStartMs() + width > fromMs && bucket.getStartMs() <= endMs) {
                    count += bucket.getCount();
                    firstStartMs = Math.min(firstStartMs, bucket.getStartMs());
                    bucket.getSums().forEach(sum -> sumsMinor.merge(sum.getCurrency(), sum.getAmountMinor(),
                            Math::addExact));
                }
            }
        }
        return new WindowSums(count, sumsMinor, Instant.ofEpochMilli(Math.min(firstStartMs, floor(fromMs + 1, width))));
    }

    /** Distinct values of {@code counted} seen with the value in {@code (end - window, end]}. */
    int distinctCount(Dimension dimension, String value, Dimension counted, Duration window, Instant end) {
        return seen(dimension, value, counted, window, end).size();
    }

    boolean seenWith(Dimension dimension, String value, Dimension counted, String countedValue, Duration window,
                     Instant end) {
        return seen(dimension, value, counted, window, end).contains(countedValue);
    }

    private Set<String> seen(Dimension dimension, String value, Dimension counted, Duration window, Instant end) {
        long endMs = end.toEpochMilli();
        long fromMs = endMs - window.toMillis();
        Set<String> values = new HashSet<>();
        for (SignalDay day : days(dimension, value, fromMs, endMs)) {
            for (DistinctValues set : day.getDistinct()) {
                if (set.getCounted().equals(counted.name())) {
                    for (SeenValue seen : set.getValues()) {
                        if (seen.getLastSeenMs() > fromMs && seen.getLastSeenMs() <= endMs) {
                            values.add(seen.getValue());
                        }
                    }
                }
            }
        }
        return values;
    }

    /** The bucket width that answers a window: the finest whose span still covers it. */
    private static long width(long windowMs) {
        if (windowMs <= TEN_SECOND_SPAN_MS) {
            return TEN_SECONDS_MS;
        }
        if (windowMs <= MINUTE_SPAN_MS) {
            return MINUTE_MS;
        }
        return windowMs <= HOUR_SPAN_MS ? HOUR_MS : DAY_MS;
    }

    private static List<SignalBucket> buckets(SignalDay day, long width) {
        if (width == DAY_MS) {
            return List.of(day.getTotal());
        }
        if (width == HOUR_MS) {
            return day.getHours();
        }
        return width == MINUTE_MS ? day.getMinutes() : day.getSeconds();
    }

    /** The buckets still inside their span (a bucket of width W ending after the cutoff), room for one more. */
    private static List<SignalBucket> prune(List<SignalBucket> buckets, long cutoffMs, long widthMs) {
        List<SignalBucket> kept = new ArrayList<>(buckets.size() + 1);
        for (SignalBucket bucket : buckets) {
            if (bucket.getStartMs() + widthMs > cutoffMs) {
                kept.add(bucket);
            }
        }
        return kept;
    }

    private static List<SignalBucket> add(List<SignalBucket> buckets, long startMs, String currency, long amountMinor) {
        for (SignalBucket bucket : buckets) {
            if (bucket.getStartMs() == startMs) {
                count(bucket, currency, amountMinor);
                return buckets;
            }
        }
        List<SignalBucket> grown = buckets instanceof ArrayList ? buckets : new ArrayList<>(buckets);
        SignalBucket bucket = bucket(startMs);
        count(bucket, currency, amountMinor);
        grown.add(bucket);
        return grown;
    }

    private static SignalBucket bucket(long startMs) {
        return SignalBucket.newBuilder().setStartMs(startMs).setCount(0).setSums(new ArrayList<>()).build();
    }

    private static void count(SignalBucket bucket, String currency, long amountMinor) {
        bucket.setCount(bucket.getCount() + 1);
        for (CurrencySum sum : bucket.getSums()) {
            if (sum.getCurrency().equals(currency)) {
                sum.setAmountMinor(Math.addExact(sum.getAmountMinor(), amountMinor));
                return;
            }
        }
        List<CurrencySum> sums = new ArrayList<>(bucket.getSums());
        sums.add(new CurrencySum(currency, amountMinor));
        bucket.setSums(sums);
    }

    /** Records that {@code counted}'s value came with the day's value; at most MAXIMUM_DISTINCT, the most recent. */
    private static void see(SignalDay day, Dimension counted, String countedValue, long timeMs) {
        DistinctValues set = null;
        for (DistinctValues candidate : day.getDistinct()) {
            if (candidate.getCounted().equals(counted.name())) {
                set = candidate;
            }
        }
        if (set == null) {
            set = new DistinctValues(counted.name(), new ArrayList<>());
            List<DistinctValues> sets = new ArrayList<>(day.getDistinct());
            sets.add(set);
            day.setDistinct(sets);
        }
        List<SeenValue> values = new ArrayList<>(set.getValues());
        SeenValue oldest = null;
        for (SeenValue seen : values) {
            if (seen.getValue().equals(countedValue)) {
                seen.setLastSeenMs(Math.max(seen.getLastSeenMs(), timeMs));
                set.setValues(values);
                return;
            }
            if (oldest == null || seen.getLastSeenMs() < oldest.getLastSeenMs()) {
                oldest = seen;
            }
        }
        if (values.size() >= MAXIMUM_DISTINCT) {
            values.remove(oldest);
        }
        values.add(new SeenValue(countedValue, timeMs));
        set.setValues(values);
    }

    private static long floor(long timeMs, long widthMs) {
        return Math.floorDiv(timeMs, widthMs) * widthMs;
    }
}
