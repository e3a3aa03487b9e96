package dev.ngao.risk;

import dev.ngao.platform.ManagedService;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.kafka.StreamsRunner;
import dev.ngao.risk.topology.RiskExceptionHandlers;
import dev.ngao.risk.topology.RiskTopology;
import dev.ngao.risk.topology.TopologyOptions;
import dev.ngao.schemas.topics.Topic;
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

    /**
     * Every topic the topology reads or writes. The internal topics co-partitioned with them
     * (see RiskTopology) take payments.requests' partition count, which providers.events and risk.reviews
     * share.
     */
    static final List<Topic<?, ?>> TOPICS = List.of(Topics.PAYMENT_REQUESTS, Topics.PROVIDER_EVENTS,
            Topics.CARD_EVENTS, Topics.RISK_LISTS, Topics.RISK_RULESETS, Topics.RISK_REVIEWS, Topics.RISK_DECISIONS,
            Topics.RISK_DEAD_LETTERS);

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
        kafka.ensureTopics(TOPICS, config.applicationId() + "-admin");
        LOG.info("Starting {} (application id {}, built-in default rule set {})", NAME, config.applicationId(),
                config.ruleSetVersion());
        TopologyOptions options = config.topologyOptions(coPartitionedCount());
        runner.start(() -> RiskTopology.build(kafka::serdes, options), streamsProperties(), config.startTimeout());
    }

    /**
     * The partition count the internal topics take: the join stage reads providers.events and risk.reviews
     * beside the verdicts, and the account stage reads payments.requests beside its releases, so all must
     * have as many partitions or a key would reach two different tasks.
     */
    static int coPartitionedCount() {
        int partitions = Topics.PAYMENT_REQUESTS.partitions();
        if (Topics.PROVIDER_EVENTS.partitions() != partitions || Topics.RISK_REVIEWS.partitions() != partitions) {
            throw new IllegalStateException(Topics.PAYMENT_REQUESTS + ", " + Topics.PROVIDER_EVENTS + " and "
                    + Topics.RISK_REVIEWS + " must have as many partitions as each other: the risk topology "
                    + "co-partitions them with its internal topics");
        }
        return partitions;
    }

    private Map<String, Object> streamsProperties() {
        Map<String, Object> properties = new HashMap<>(
                KafkaClients.streams(kafka.settings(), config.applicationId(), config.stateDirectory()));
        // Bad input goes to risk.dead-letters and processing goes on; a broken invariant still stops.
        properties.putAll(RiskExceptionHandlers.streamsProperties());
        properties.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
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
