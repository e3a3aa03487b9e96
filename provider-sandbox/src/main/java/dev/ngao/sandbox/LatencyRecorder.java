package dev.ngao.sandbox;

import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end decision latency of demo traffic: from the moment a payment is sent over HTTP to the
 * moment its decision is read from the decisions topic. A decision can be read before the HTTP answer
 * arrives (they race), so whichever side comes second records the figure. Both maps are bounded.
 */
public final class LatencyRecorder {

    private static final int MAX_PENDING = 100_000;
    private static final long HIGHEST_TRACKABLE_MICROS = 600_000_000L;

    private final ConcurrentHashMap<String, Long> sentNanosByTransaction = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> decidedNanosByTransaction = new ConcurrentHashMap<>();
    private final Recorder recorder = new Recorder(HIGHEST_TRACKABLE_MICROS, 3);
    private final Histogram total = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
    private final AtomicLong dropped = new AtomicLong();

    /** The ingest service accepted {@code transactionId}, sent at {@code sentNanos}. */
    public void accepted(String transactionId, long sentNanos) {
        Long decidedNanos = decidedNanosByTransaction.remove(transactionId);
        if (decidedNanos != null) {
            record(decidedNanos - sentNanos);
        } else if (sentNanosByTransaction.size() < MAX_PENDING) {
            sentNanosByTransaction.put(transactionId, sentNanos);
        } else {
            dropped.incrementAndGet();
        }
    }

    /** A decision for {@code transactionId} was read at {@code decidedNanos}. */
    public void decided(String transactionId, long decidedNanos) {
        Long sentNanos = sentNanosByTransaction.remove(transactionId);
        if (sentNanos != null) {
            record(decidedNanos - sentNanos);
        } else if (decidedNanosByTransaction.size() < MAX_PENDING) {
            // Either not ours, or read before the HTTP answer: kept briefly, bounded.
            decidedNanosByTransaction.put(transactionId, decidedNanos);
        }
    }

    private void record(long latencyNanos) {
        recorder.recordValue(Math.min(Math.max(latencyNanos / 1_000, 0), HIGHEST_TRACKABLE_MICROS));
    }

    /**
     * Latency percentiles, in milliseconds, of the decisions closed since the previous call; the same
     * figures are added to the run's total.
     */
    public synchronized Snapshot interval() {
        Histogram interval = recorder.getIntervalHistogram();
        total.add(interval);
        return Snapshot.of(interval);
    }

    /** Latency percentiles since the start, in milliseconds. */
    public synchronized Snapshot total() {
        total.add(recorder.getIntervalHistogram());
        return Snapshot.of(total);
    }

    public record Snapshot(long count, double p50Millis, double p99Millis, double maxMillis) {

        static Snapshot of(Histogram histogram) {
            return new Snapshot(histogram.getTotalCount(),
                    histogram.getValueAtPercentile(50) / 1_000.0,
                    histogram.getValueAtPercentile(99) / 1_000.0,
                    histogram.getMaxValue() / 1_000.0);
        }
    }
}
