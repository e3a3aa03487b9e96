package dev.ngao.risk.topology;

import dev.ngao.risk.internal.SignalDay;
import dev.ngao.rules.Dimension;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The global signals store is written by the global thread and read by every stream thread at once. Its
 * segments (one a day) are opened and dropped by writes as time passes; reads racing that failed with "Store
 * signals.&lt;day&gt; is currently closed" in the embedded run and cost a stream thread.
 */
class GlobalSignalsSegmentsTest {

    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final long START_MS = 1_796_256_000_000L;
    private static final int DAYS = 300;
    private static final int WRITES_PER_DAY = 5;

    @TempDir
    Path stateDir;

    @Test
    void shouldReadTheGlobalSignalsWhileTheirWriterOpensAndDropsDailySegments() throws Exception {
        // Given the global signals store as the topology builds it (RocksDB, a segment a day, two days kept)
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "signals-segments");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>(properties,
                new TaskId(0, 0), stateDir.toFile());
        WindowStore<String, SignalDay> store = Stores.windowStoreBuilder(Stores.persistentWindowStore(
                                RiskTopology.SIGNALS_STORE, Duration.ofDays(2), Duration.ofDays(1), false),
                        Serdes.String(), InternalSerde.of(SignalDay.class))
                .withLoggingDisabled().withCachingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        SignalBook writer = SignalBook.globalWriter(store, Duration.ofDays(2));
        AtomicLong now = new AtomicLong(START_MS);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Throwable> failures = new CopyOnWriteArrayList<>();

        // When two readers query the last days of an IP while the writer moves a day forward every few writes
        List<Thread> readers = List.of(reader(store, now, writing, failures), reader(store, now, writing, failures));
        readers.forEach(Thread::start);
        try {
            for (int day = 0; day < DAYS && failures.isEmpty(); day++) {
                for (int write = 0; write < WRITES_PER_DAY; write++) {
                    long timeMs = START_MS + day * DAY_MS + write * 1_000L;
                    writer.observe(Dimension.IP, "203.0.113.7", timeMs, "KES", 1_000L, Map.of());
                    now.set(timeMs);
                }
            }
        } finally {
            writing.set(false);
            for (Thread reader : readers) {
                reader.join(10_000);
            }
            store.close();
        }

        // Then no read failed
        assertThat(failures).isEmpty();
    }

    private static Thread reader(WindowStore<String, SignalDay> store, AtomicLong now, AtomicBoolean writing,
                                 List<Throwable> failures) {
        SignalBook book = SignalBook.globalReader(store);
        return new Thread(() -> {
            try {
                while (writing.get()) {
                    book.beginRequest();
                    Instant end = Instant.ofEpochMilli(now.get());
                    // A point read per day of the last three, and a range read over four: both paths of the book.
                    book.sums(Dimension.IP, "203.0.113.7", Duration.ofDays(2), end);
                    book.sums(Dimension.IP, "203.0.113.7", Duration.ofDays(4), end);
                }
            } catch (Throwable failure) {
                failures.add(failure);
            }
        }, "signals-reader");
    }

    @Test
    void shouldGuardOnlyTheWritesThatMayOpenOrDropASegment() {
        // Given the writer of a store of daily segments kept two days
        SignalBook.SegmentChanges changes = new SignalBook.SegmentChanges(2 * DAY_MS, DAY_MS);

        // Then its first write is guarded (segments opened from disk are not known), a second one to that day not
        assertThat(changes.mayChange(START_MS)).isTrue();
        changes.written(START_MS);
        assertThat(changes.mayChange(START_MS)).isFalse();
        // A new day opens a segment and drops the oldest; the day before, never written since the start, may open
        assertThat(changes.mayChange(START_MS + DAY_MS)).isTrue();
        assertThat(changes.mayChange(START_MS - DAY_MS)).isTrue();
        changes.written(START_MS + DAY_MS);
        assertThat(changes.mayChange(START_MS + DAY_MS)).isFalse();
        assertThat(changes.mayChange(START_MS)).isFalse();
        // An expired day changes nothing: its segment is neither live nor opened
        assertThat(changes.mayChange(START_MS - 5 * DAY_MS)).isFalse();
    }
}
