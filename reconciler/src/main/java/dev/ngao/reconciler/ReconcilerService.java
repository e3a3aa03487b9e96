package dev.ngao.reconciler;

import dev.ngao.platform.ManagedService;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.invariant.InvariantViolation;
import dev.ngao.platform.invariant.Invariants;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.reconciler.matching.MatchingPolicy;
import dev.ngao.reconciler.matching.ReconcilerTopology;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the matching topology: creates the topics it reads and writes, starts Kafka Streams and returns
 * once it is RUNNING. A stream thread that fails shuts the client down (its tasks must not move to a
 * thread that would fail the same way); a broken invariant stops the process.
 */
public final class ReconcilerService implements ManagedService {

    public static final String NAME = "reconciler";

    private static final Logger LOG = LoggerFactory.getLogger(ReconcilerService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ReconcilerConfig config;
    private final KafkaContext kafka;
    private final CompletableFuture<KafkaStreams.State> running = new CompletableFuture<>();
    private final CompletableFuture<KafkaStreams.State> terminated = new CompletableFuture<>();
    private KafkaStreams streams;
    private boolean closed;

    public ReconcilerService(ReconcilerConfig config, KafkaContext kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start() throws InterruptedException {
        startStreams();
        // Waited for outside the lock, so that close() from another thread is never held up by a start.
        awaitRunning(config.startTimeout());
    }

    private synchronized void startStreams() {
        if (streams != null || closed) {
            throw new IllegalStateException(NAME + " can be started once");
        }
        kafka.ensureTopics(List.of(Topics.RISK_DECISIONS, Topics.LEDGER_ENTRIES, Topics.RECON_BREAKS),
                config.applicationId() + "-admin");
        MatchingPolicy policy = new MatchingPolicy(config.gracePeriod(), config.punctuateInterval(),
                config.closedRetention());
        Topology topology = ReconcilerTopology.build(policy, kafka.serdes(Topics.RISK_DECISIONS),
                kafka.serdes(Topics.LEDGER_ENTRIES), kafka.serdes(Topics.RECON_BREAKS));
        streams = new KafkaStreams(topology, new StreamsConfig(
                KafkaClients.streams(kafka.settings(), config.applicationId(), config.stateDirectory())));
        streams.setStateListener(this::onStateChange);
        streams.setUncaughtExceptionHandler(ReconcilerService::onStreamThreadFailure);
        LOG.info("Starting {} (application id {}, grace period {})", NAME, config.applicationId(),
                config.gracePeriod());
        streams.start();
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
        if (streams != null && !streams.close(CLOSE_TIMEOUT)) {
            LOG.warn("{} did not stop within {}", NAME, CLOSE_TIMEOUT);
        }
        LOG.info("{} closed", NAME);
    }

    private void onStateChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        LOG.info("{} state {} -> {}", NAME, oldState, newState);
        switch (newState) {
            case RUNNING -> running.complete(newState);
            case ERROR, NOT_RUNNING, PENDING_ERROR -> {
                running.completeExceptionally(new IllegalStateException(NAME + " stopped in state " + newState));
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
            LOG.info("{} running", NAME);
        } catch (TimeoutException e) {
            KafkaStreams.State state = state();
            close();
            throw new IllegalStateException(NAME + " did not reach RUNNING within " + timeout + " (state " + state + ")", e);
        } catch (ExecutionException e) {
            close();
            throw new IllegalStateException(NAME + " failed to start: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static StreamThreadExceptionResponse onStreamThreadFailure(Throwable failure) {
        InvariantViolation violation = invariantViolationIn(failure);
        if (violation != null) {
            Invariants.halt(violation);
        }
        LOG.error("A {} stream thread failed; shutting the client down", NAME, failure);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private static InvariantViolation invariantViolationIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvariantViolation violation) {
                return violation;
            }
        }
        return null;
    }

    /** Process mode: configuration from NGAO_* variables; runs until stopped or until Kafka Streams fails. */
    public static void main(String[] args) throws Exception {
        ReconcilerConfig config = ReconcilerConfig.fromEnvironment(System.getenv());
        KafkaContext kafka = KafkaContext.connect(KafkaSettings.from(config));
        ReconcilerService service = new ReconcilerService(config, kafka);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            kafka.close();
        }, NAME + "-shutdown"));
        service.start();
        KafkaStreams.State finalState = service.terminated().join();
        if (finalState == KafkaStreams.State.ERROR) {
            LOG.error("{} stopped after a failure; exiting so a supervisor can restart it", NAME);
            System.exit(1);
        }
    }
}
