package dev.ngao.sandbox;

import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the live line shows: decisions counted by outcome, the latency of demo payments closed as their
 * decisions are read, and the reconciler's breaks.
 */
public final class DecisionMonitor implements AutoCloseable {

    private final DecisionCounts counts = new DecisionCounts();
    private final AtomicLong breaks = new AtomicLong();
    private final TopicTail<?> decisions;
    private final TopicTail<?> reconciliationBreaks;

    public DecisionMonitor(KafkaContext kafka, LatencyRecorder latency) {
        this.decisions = new TopicTail<>(kafka, Topics.RISK_DECISIONS, record -> {
            long readNanos = System.nanoTime();
            counts.count(record.value().getOutcome());
            latency.decided(record.value().getTransactionId(), readNanos);
        });
        // A cleared break (its late counterpart came and matched) takes back the one it was counted as.
        this.reconciliationBreaks = new TopicTail<>(kafka, Topics.RECON_BREAKS,
                record -> breaks.addAndGet(record.value() != null && record.value().getCleared() ? -1 : 1));
    }

    public void start() {
        decisions.start();
        reconciliationBreaks.start();
    }

    public DecisionCounts counts() {
        return counts;
    }

    /** Breaks the reconciler reported since the start, less those it cleared since. */
    public long breaks() {
        return breaks.get();
    }

    @Override
    public void close() {
        decisions.close();
        reconciliationBreaks.close();
    }
}
