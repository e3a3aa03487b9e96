package dev.ngao.platform.kafka;

import dev.ngao.platform.invariant.InvariantViolation;
import dev.ngao.platform.invariant.Invariants;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Starts and stops one Kafka Streams application the way every Ngao service does: start returns once
 * the client is RUNNING (or fails within the timeout); a broken invariant stops the process; a failed stream
 * thread is replaced ({@link ThreadReplacements}): the broker away longer than the clients' timeouts, a
 * transaction that timed out or was fenced, a store closed under the thread are the machine's or the
 * cluster's, not the records', and under exactly-once the new thread takes the records of the aborted
 * transaction again. Failures that come back faster than the bound allows shut the client down (its tasks
 * would fail the same way on any thread), and the service's health says so. A clean stop leaves the consumer
 * group so a restart rebalances at once instead of waiting out the old member's session timeout.
 */
public final class StreamsRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final ThreadReplacements replacements;
    private final CompletableFuture<KafkaStreams.State> running = new CompletableFuture<>();
    private final CompletableFuture<KafkaStreams.State> terminated = new CompletableFuture<>();
    private KafkaStreams streams;
    private Map<String, Object> properties = Map.of();
    private boolean closed;

    public StreamsRunner(String name) {
        this(name, new ThreadReplacements(ThreadReplacements.MAXIMUM, ThreadReplacements.WINDOW,
                java.time.Clock.systemUTC()));
    }

    StreamsRunner(String name, ThreadReplacements replacements) {
        this.name = name;
        this.replacements = replacements;
    }

    /**
     * Builds the topology, starts the client and waits until it is RUNNING.
     *
     * @throws IllegalStateException when started twice, or when RUNNING is not reached within {@code startTimeout}
     */
    public void start(Supplier<Topology> topology, Map<String, Object> properties, Duration startTimeout)
            throws InterruptedException {
        startStreams(topology, properties);
        // Waited for outside the lock, so that close() from another thread is never held up by a start.
        awaitRunning(startTimeout);
    }

    private synchronized void startStreams(Supplier<Topology> topology, Map<String, Object> properties) {
        if (streams != null || closed) {
            throw new IllegalStateException(name + " can be started once");
        }
        this.properties = Map.copyOf(properties);
        GlobalStateGuard.wipeIfLeftUnclean(properties);
        streams = new KafkaStreams(topology.get(), new StreamsConfig(properties));
        streams.setStateListener(this::onStateChange);
        streams.setUncaughtExceptionHandler(this::onStreamThreadFailure);
        streams.start();
    }

    /** The client once started, for interactive queries (metadata and stores); empty before start. */
    public synchronized Optional<KafkaStreams> streams() {
        return Optional.ofNullable(streams);
    }

    /** The current Kafka Streams state; CREATED before start. */
    public synchronized KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    /** Completes when Kafka Streams stops, with ERROR if a failure stopped it. */
    public CompletableFuture<KafkaStreams.State> terminated() {
        return terminated;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (streams == null) {
            terminated.complete(KafkaStreams.State.NOT_RUNNING);
        } else if (!streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
            LOG.warn("{} did not stop within {}", name, CLOSE_TIMEOUT);
        } else {
            GlobalStateGuard.markCleanStop(properties);
        }
        LOG.info("{} closed", name);
    }

    private void onStateChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        LOG.info("{} state {} -> {}", name, oldState, newState);
        switch (newState) {
            case RUNNING -> running.complete(newState);
            case ERROR, NOT_RUNNING, PENDING_ERROR -> {
                running.completeExceptionally(new IllegalStateException(name + " stopped in state " + newState));
                if (newState != KafkaStreams.State.PENDING_ERROR) {
                    terminated.complete(newState);
                }
            }
            default -> {
                // CREATED, REBALANCING and PENDING_SHUTDOWN are transitions; nothing to signal.
            }
        }
    }

    private void awaitRunning(Duration timeout) throws InterruptedException {
        try {
            running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("{} running", name);
        } catch (TimeoutException e) {
            KafkaStreams.State state = state();
            close();
            throw new IllegalStateException(name + " did not reach RUNNING within " + timeout + " (state " + state + ")", e);
        } catch (ExecutionException e) {
            close();
            throw new IllegalStateException(name + " failed to start: " + e.getCause().getMessage(), e.getCause());
        }
    }

    StreamThreadExceptionResponse onStreamThreadFailure(Throwable failure) {
        InvariantViolation violation = causeOf(failure, InvariantViolation.class);
        if (violation != null) {
            Invariants.halt(violation);
        }
        if (replacements.allowAnother()) {
            // Under exactly-once the open transaction aborts and a new thread takes its records again.
            LOG.warn("A {} stream thread failed; replacing it ({} of at most {} in {})", name,
                    replacements.recent(), ThreadReplacements.MAXIMUM, ThreadReplacements.WINDOW, failure);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error("A {} stream thread failed, after {} replacements in {}; shutting the client down", name,
                ThreadReplacements.MAXIMUM, ThreadReplacements.WINDOW, failure);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** Whether the failure is a state store that was not open when read: retrying on a new thread succeeds. */
    public static boolean transientStoreFailure(Throwable failure) {
        return causeOf(failure, org.apache.kafka.streams.errors.InvalidStateStoreException.class) != null;
    }

    /** The first throwable of {@code type} in {@code failure}'s cause chain, itself included; null if none. */
    public static <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    /** Completes with the cause if Kafka Streams stopped after a failure (state ERROR). */
    public CompletableFuture<Throwable> failure() {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        terminated.thenAccept(state -> {
            if (state == KafkaStreams.State.ERROR) {
                failure.complete(new IllegalStateException(name + " stopped after a stream thread failed"));
            }
        });
        return failure;
    }
}
