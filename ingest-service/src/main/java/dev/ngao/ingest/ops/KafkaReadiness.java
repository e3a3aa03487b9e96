package dev.ngao.ingest.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether Kafka is reachable, as last seen by a probe that runs on a thread of its own every interval:
 * the readiness route only reads the cached answer, so it never blocks the event loop nor waits for a
 * cluster that does not answer. Not ready until the first probe succeeded; an answer older than
 * {@code 3 x interval} (a probe stuck longer than its own timeout) counts as not ready.
 */
public final class KafkaReadiness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaReadiness.class);
    private static final int STALE_AFTER_INTERVALS = 3;

    private final ClusterProbe probe;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private volatile Check last;

    private record Check(boolean reachable, Instant at) {
    }

    public KafkaReadiness(ClusterProbe probe, Duration interval, Clock clock) {
        this.probe = probe;
        this.interval = interval;
        this.clock = clock;
        this.last = new Check(false, clock.instant());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ngao-kafka-readiness");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Probes now and then every interval, in the background; returns at once. */
    public KafkaReadiness start() {
        scheduler.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The last answer of the probe, if it is fresh. Never blocks. */
    public boolean ready() {
        Check check = last;
        return check.reachable() && check.at().plus(interval.multipliedBy(STALE_AFTER_INTERVALS)).isAfter(clock.instant());
    }

    /** Runs the probe once, on the calling thread. */
    void check() {
        boolean reachable;
        try {
            reachable = probe.reachable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            reachable = false;
            if (last.reachable()) {
                LOG.warn("Kafka is not reachable: {}", e.toString());
            }
        }
        if (reachable != last.reachable()) {
            LOG.info("Kafka readiness is now {}", reachable ? "UP" : "DOWN");
        }
        last = new Check(reachable, clock.instant());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
