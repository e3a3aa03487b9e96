package dev.ngao.risk;

import dev.ngao.platform.ManagedService;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.kafka.StreamsRunner;
import dev.ngao.risk.topology.RiskTopology;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the risk topology: creates its topics, starts Kafka Streams and returns once it is RUNNING.
 * Failure handling (a failed stream thread shuts the client down, a broken invariant stops the process)
 * is the platform's {@link StreamsRunner}.
 */
public final class RiskStreamsService implements ManagedService {

    public static final String NAME = "risk-streams";

    private static final Logger LOG = LoggerFactory.getLogger(RiskStreamsService.class);

    private final RiskConfig config;
    private final KafkaContext kafka;
    private final StreamsRunner runner = new StreamsRunner(NAME);

    public RiskStreamsService(RiskConfig config, KafkaContext kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start() throws InterruptedException {
        kafka.ensureTopics(List.of(Topics.PAYMENT_REQUESTS, Topics.RISK_DECISIONS), config.applicationId() + "-admin");
        LOG.info("Starting {} (application id {}, rule set {})", NAME, config.applicationId(),
                config.limitPolicy().ruleSetVersion());
        runner.start(() -> RiskTopology.build(config.limitPolicy(),
                        kafka.serdes(Topics.PAYMENT_REQUESTS), kafka.serdes(Topics.RISK_DECISIONS),
                        config.replayRetention(), config.usageRetention(), config.purgeInterval()),
                streamsProperties(), config.startTimeout());
    }

    private Map<String, Object> streamsProperties() {
        Map<String, Object> properties = new HashMap<>(
                KafkaClients.streams(kafka.settings(), config.applicationId(), config.stateDirectory()));
        // The behaviour Kafka 5.0 makes the default, chosen now so that an upgrade changes nothing.
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return properties;
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
