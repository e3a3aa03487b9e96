package dev.ngao.reconciler;

import dev.ngao.platform.ManagedService;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.kafka.StreamsRunner;
import dev.ngao.reconciler.matching.MatchingPolicy;
import dev.ngao.reconciler.matching.ReconcilerTopology;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the matching topology: creates the topics it reads and writes, starts Kafka Streams and returns
 * once it is RUNNING. Failure handling is the platform's {@link StreamsRunner}.
 */
public final class ReconcilerService implements ManagedService {

    public static final String NAME = "reconciler";

    private static final Logger LOG = LoggerFactory.getLogger(ReconcilerService.class);

    private final ReconcilerConfig config;
    private final KafkaContext kafka;
    private final StreamsRunner runner = new StreamsRunner(NAME);

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
        kafka.ensureTopics(List.of(Topics.RISK_DECISIONS, Topics.LEDGER_ENTRIES, Topics.RECON_BREAKS),
                config.applicationId() + "-admin");
        MatchingPolicy policy = new MatchingPolicy(config.gracePeriod(), config.punctuateInterval(),
                config.closedRetention());
        LOG.info("Starting {} (application id {}, grace period {})", NAME, config.applicationId(),
                config.gracePeriod());
        runner.start(() -> ReconcilerTopology.build(policy, kafka.serdes(Topics.RISK_DECISIONS),
                        kafka.serdes(Topics.LEDGER_ENTRIES), kafka.serdes(Topics.RECON_BREAKS)),
                KafkaClients.streams(kafka.settings(), config.applicationId(), config.stateDirectory()),
                config.startTimeout());
    }

    /** The current Kafka Streams state; CREATED before start. */
    public KafkaStreams.State state() {
        return runner.state();
    }

    /** Completes when Kafka Streams stops, with ERROR if a failure stopped it. */
    public CompletableFuture<KafkaStreams.State> terminated() {
        return runner.terminated();
    }

    @Override
    public CompletableFuture<Throwable> failure() {
        return runner.failure();
    }

    @Override
    public void close() {
        runner.close();
    }
}
