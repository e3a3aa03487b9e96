package dev.ngao.reconciler;

import dev.ngao.platform.rocksdb.BoundedMemoryRocksDbConfig;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.kafka.StreamsRunner;
import dev.ngao.platform.observability.ServiceMetrics;
import dev.ngao.reconciler.matching.MatchingPolicy;
import dev.ngao.reconciler.matching.ReconcilerTopology;
import dev.ngao.reconciler.submit.SubmissionTopology;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The reconciler's two Kafka Streams applications: matching (decisions against ledger entries, always) and
 * submission (on request), each with its own application id and state directory so they rebalance and restore
 * independently; their metrics bound, their failures passed on.
 */
final class ReconcilerStreams {

    private final ReconcilerConfig config;
    private final KafkaContext kafka;
    private final ServiceMetrics metrics;
    private final CompletableFuture<Throwable> failure;
    private final StreamsRunner matcher = new StreamsRunner(ReconcilerService.NAME);
    private final StreamsRunner submitter = new StreamsRunner(ReconcilerService.NAME + "-submit");

    ReconcilerStreams(ReconcilerConfig config, KafkaContext kafka, ServiceMetrics metrics,
                      CompletableFuture<Throwable> failure) {
        this.config = config;
        this.kafka = kafka;
        this.metrics = metrics;
        this.failure = failure;
    }

    void startMatching() throws InterruptedException {
        MatchingPolicy policy = new MatchingPolicy(config.gracePeriod(), config.punctuateInterval(),
                config.closedRetention());
        matcher.start(() -> ReconcilerTopology.build(policy, kafka.serdes(Topics.RISK_DECISIONS),
                        kafka.serdes(Topics.LEDGER_ENTRIES), kafka.serdes(Topics.RECON_BREAKS),
                        kafka.serdes(Topics.AUDIT_RECONCILER)),
                matcherStreamsConfig(), config.startTimeout());
        matcher.streams().ifPresent(metrics::bind);
        matcher.failure().thenAccept(failure::complete);
    }

    /** The matching application's Kafka Streams settings: its stores' memory bounded with the submission's. */
    Map<String, Object> matcherStreamsConfig() {
        Map<String, Object> properties = KafkaClients.streams(kafka.settings(), config.applicationId(),
                config.stateDirectory());
        properties.putAll(boundedRocksDb());
        return properties;
    }

    /**
     * Both applications' stores share one RocksDB pool, named after the matching application: one block cache and
     * write buffer manager of {@link ReconcilerConfig#rocksDbMemoryBytes()} for the process's reconciler.
     */
    private Map<String, Object> boundedRocksDb() {
        return BoundedMemoryRocksDbConfig.properties(config.applicationId(), config.rocksDbMemoryBytes());
    }

    /**
     * The submission topology, a Kafka Streams application of its own ({@code <application id>-submit}, state
     * under {@code <state dir>/submit}).
     *
     * @return the application, for the caller to close in its order
     */
    StreamsRunner startSubmission() throws InterruptedException {
        submitter.start(() -> SubmissionTopology.build(config.submissionPolicy(),
                        kafka.serdes(Topics.PAYMENT_REQUESTS), kafka.serdes(Topics.RISK_DECISIONS),
                        kafka.serdes(Topics.LEDGER_ENTRIES), kafka.serdes(Topics.PROVIDER_SUBMISSION_RESULTS),
                        kafka.serdes(Topics.PROVIDER_SUBMISSIONS), kafka.serdes(Topics.PROVIDER_STATUS_QUERIES),
                        RandomGenerator.getDefault()),
                submitterStreamsConfig(), config.startTimeout());
        submitter.streams().ifPresent(metrics::bind);
        submitter.failure().thenAccept(failure::complete);
        return submitter;
    }

    /**
     * The submission application's Kafka Streams settings: its internal topics (the repartition of requests holds
     * their MSISDNs in clear) are kept no longer than {@code payments.requests}; Kafka Streams sets these only when
     * it creates a topic. Its stores' memory is bounded with the matching application's.
     */
    Map<String, Object> submitterStreamsConfig() {
        Map<String, Object> properties = KafkaClients.streams(kafka.settings(), config.applicationId() + "-submit",
                config.stateDirectory().resolve("submit"));
        properties.put(StreamsConfig.topicPrefix(TopicConfig.RETENTION_MS_CONFIG),
                Long.toString(Topics.PAYMENT_REQUESTS.retention().toMillis()));
        properties.putAll(boundedRocksDb());
        return properties;
    }

    /** Whether neither application has stopped ({@link ReconcilerHealth#serving}). */
    boolean serving() {
        return ReconcilerHealth.serving(matcher, submitter);
    }

    /** The matching application's state; CREATED before start. */
    KafkaStreams.State state() {
        return matcher.state();
    }

    /** Completes when the matching application stops, with ERROR if a failure stopped it. */
    CompletableFuture<KafkaStreams.State> terminated() {
        return matcher.terminated();
    }

    /** Closes the matching application (the submission one is closed by the caller, in its order). */
    void closeMatching() {
        matcher.close();
    }
}
