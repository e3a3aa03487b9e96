package dev.ngao.risk;

import dev.ngao.platform.rocksdb.BoundedMemoryRocksDbConfig;
import dev.ngao.platform.ManagedService;
import dev.ngao.platform.Shutdown;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.auth.SignedRoutes;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.kafka.StreamsRunner;
import dev.ngao.platform.observability.ServiceMetrics;
import dev.ngao.risk.audit.ChangeAuditFollower;
import dev.ngao.risk.query.UsageHttpApi;
import dev.ngao.risk.topology.DecisionMetrics;
import dev.ngao.risk.topology.RiskExceptionHandlers;
import dev.ngao.risk.topology.RiskTopology;
import dev.ngao.risk.topology.RuleSetCatalog;
import dev.ngao.risk.topology.TopologyOptions;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the risk topology: creates its topics, binds the usage query API, starts Kafka Streams with that
 * address as its {@code application.server} (so a port of 0 works) and returns once it is RUNNING; then starts
 * the {@link ChangeAuditFollower}, which audits rule-set publications and list changes on audit.risk.
 * Failure handling (a failed stream thread shuts the client down, a broken invariant stops the process)
 * is the platform {@link StreamsRunner}'s.
 */
public final class RiskStreamsService implements ManagedService {

    public static final String NAME = "risk-streams";

    private static final Logger LOG = LoggerFactory.getLogger(RiskStreamsService.class);

    /**
     * Every topic the topology reads or writes. The internal topics co-partitioned with them
     * (see RiskTopology) take payments.requests' partition count, which providers.events and risk.reviews
     * share.
     */
    public static final List<Topic<?, ?>> TOPICS = List.of(Topics.PAYMENT_REQUESTS, Topics.PROVIDER_EVENTS,
            Topics.CARD_EVENTS, Topics.CARD_AUTHORIZATIONS, Topics.RISK_STOPS, Topics.RISK_LISTS, Topics.RISK_RULESETS,
            Topics.RISK_REVIEWS, Topics.RISK_DECISIONS, Topics.RISK_DEAD_LETTERS, Topics.RISK_SIGNALS,
            Topics.RISK_COMMANDS, Topics.RISK_BUDGET_REQUESTS, Topics.LEDGER_REFUSALS, Topics.AUDIT_RISK);

    private final RiskConfig config;
    private final KafkaContext kafka;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

    private final StreamsRunner runner = new StreamsRunner(NAME);
    /** Kafka Streams' failure, or the change audit follower's. */
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private ChangeAuditFollower changeAudit;
    private Vertx vertx;
    private HttpServer server;
    private SignedRoutes signedRoutes;

    /**
     * Kafka Streams' own metrics (commit latency, process rates, records lag) and the decision counters of
     * {@link DecisionMetrics}, which the topology's processors count on Micrometer's global registry: this
     * registry is a member of it while the service runs.
     */
    private final ServiceMetrics metrics = new ServiceMetrics(NAME);

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
        RuleSetCatalog catalog = new RuleSetCatalog(options.defaultRuleSet(), options.compiler());
        try {
            HostInfo self = startHttp(catalog, RiskTopology.usageRetention(options));
            Metrics.addRegistry(metrics.registry());
            runner.start(() -> RiskTopology.build(kafka::serdes, options, catalog), streamsProperties(self),
                    config.startTimeout());
            runner.streams().ifPresent(metrics::bind);
            runner.failure().thenAccept(failure::complete);
            startChangeAudit(options);
        } catch (RuntimeException | InterruptedException e) {
            closeChangeAudit();
            closeMetrics();
            closeHttp();
            throw e;
        }
    }

    /** Rule-set publications and list changes, judged with the topology's own compiler, on audit.risk. */
    private void startChangeAudit(TopologyOptions options) {
        changeAudit = ChangeAuditFollower.start(kafka, config.applicationId() + "-change-audit", options.compiler());
        metrics.bind(changeAudit.kafkaConsumer());
        changeAudit.failure().thenAccept(failure::complete);
    }

    /** Binds the query API first: application.server must name the port it actually got. */
    private HostInfo startHttp(RuleSetCatalog catalog, Duration usageRetention) throws InterruptedException {
        // The API keys are read to the end before the API listens, so no query meets a partial key set.
        try {
            signedRoutes = SignedRoutes.start(kafka, config.signedRequests(), NAME);
        } catch (TimeoutException e) {
            throw new IllegalStateException(NAME + " could not read the API keys: " + e.getMessage(), e);
        }
        vertx = Vertx.vertx();
        UsageHttpApi api = new UsageHttpApi(vertx, runner::streams, catalog, usageRetention, Clock.systemUTC(),
                signedRoutes);
        Router router = api.router();
        metrics.mount(router);
        try {
            server = vertx.createHttpServer().requestHandler(router)
                    .listen(config.httpPort(), config.httpHost())
                    .toCompletionStage().toCompletableFuture().get(HTTP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(NAME + " could not listen on " + config.httpHost() + ":"
                    + config.httpPort(), e);
        }
        HostInfo self = new HostInfo(config.httpAdvertisedHost(), server.actualPort());
        api.serveAs(self);
        LOG.info("{} usage API on {}:{}, advertised as {}:{}", NAME, config.httpHost(), server.actualPort(),
                self.host(), self.port());
        return self;
    }

    /** The port the usage query API is bound to (the configured one, or the one taken for 0); -1 before start. */
    public int httpPort() {
        return server == null ? -1 : server.actualPort();
    }

    /**
     * The number of decision tasks (payments.requests' partitions). The decision task reads risk.commands
     * beside payments.requests, and the lifecycle reads risk.decisions beside providers.events and
     * risk.reviews: each group must have one partition count, or a key would reach two different tasks.
     */
    static int coPartitionedCount() {
        int partitions = Topics.PAYMENT_REQUESTS.partitions();
        boolean decisionTasks = Topics.RISK_COMMANDS.partitions() == partitions;
        boolean lifecycle = Topics.PROVIDER_EVENTS.partitions() == Topics.RISK_DECISIONS.partitions()
                && Topics.RISK_REVIEWS.partitions() == Topics.RISK_DECISIONS.partitions();
        if (!decisionTasks || !lifecycle) {
            throw new IllegalStateException("the risk topology co-partitions " + Topics.PAYMENT_REQUESTS + " with "
                    + Topics.RISK_COMMANDS + ", and " + Topics.RISK_DECISIONS + " with " + Topics.PROVIDER_EVENTS
                    + " and " + Topics.RISK_REVIEWS + ": each group must have one partition count");
        }
        return partitions;
    }

    private Map<String, Object> streamsProperties(HostInfo self) {
        Map<String, Object> properties = new HashMap<>(
                KafkaClients.streams(kafka.settings(), config.applicationId(), config.stateDirectory()));
        // Bad input goes to risk.dead-letters and processing goes on; a broken invariant still stops.
        properties.putAll(RiskExceptionHandlers.streamsProperties());
        properties.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
        properties.putAll(engineProperties(config));
        // Where other instances forward interactive queries for the keys this instance owns.
        properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        return properties;
    }

    /**
     * The engine's settings, each explicit because decision latency and memory depend on it (see RiskConfig
     * for why each value): stream threads, the exactly-once commit interval, the record cache, the producer's
     * linger and bounded RocksDB memory. The global consumer fetches without waiting for a full batch, so the
     * cross-account signals it applies stay fresh.
     */
    static Map<String, Object> engineProperties(RiskConfig config) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
        properties.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, config.maxTaskIdleMs());
        properties.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.cacheMaxBytes());
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), config.producerLingerMs());
        properties.putAll(BoundedMemoryRocksDbConfig.properties(config.applicationId(), config.rocksDbMemoryBytes()));
        properties.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 10);
        properties.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 10);
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
        return failure;
    }

    @Override
    public void close() {
        closeChangeAudit();
        runner.close();
        closeMetrics();
        closeHttp();
    }

    private void closeChangeAudit() {
        if (changeAudit != null) {
            changeAudit.close();
            changeAudit = null;
        }
    }

    private void closeMetrics() {
        Metrics.removeRegistry(metrics.registry());
        metrics.close();
    }

    private void closeHttp() {
        Shutdown.closeVertx(vertx, HTTP_TIMEOUT, LOG);
        vertx = null;
        if (signedRoutes != null) {
            signedRoutes.close();
            signedRoutes = null;
        }
    }
}
