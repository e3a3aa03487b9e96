package dev.ngao.ingest;

import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.approval.ApprovalRoutes;
import dev.ngao.ingest.approval.ApprovalService;
import dev.ngao.ingest.approval.PayoutApprovals;
import dev.ngao.platform.auth.ClientAddressResolver;
import dev.ngao.platform.auth.KafkaKeyStore;
import dev.ngao.platform.auth.NonceCache;
import dev.ngao.ingest.auth.RateLimiter;
import dev.ngao.platform.auth.SecretCipher;
import dev.ngao.platform.auth.SignedRequestGuard;
import dev.ngao.ingest.ops.Operations;
import dev.ngao.events.ProviderEvent;
import dev.ngao.ingest.idempotency.ClaimStore;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.ingest.idempotency.KafkaClaimLog;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.kafka.IngestProducers;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.payment.PaymentRequestEvents;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.payment.PaymentRelay;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.payment.SealedPaymentRequests;
import dev.ngao.ingest.payment.TransactionIds;
import dev.ngao.ingest.state.IngestStateStores;
import dev.ngao.ingest.status.PaymentStatusFeed;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.ingest.stop.EmergencyStopApi;
import dev.ngao.ingest.webhook.ProviderStatusFeed;
import dev.ngao.ingest.webhook.ProviderStatusView;
import dev.ngao.ingest.webhook.StatusQueryIntake;
import dev.ngao.ingest.webhook.StatusQueryWriter;
import dev.ngao.ingest.webhook.SubmittedTransactions;
import dev.ngao.ingest.webhook.WebhookAudit;
import dev.ngao.ingest.webhook.WebhookConfig;
import dev.ngao.ingest.webhook.WebhookEndpoint;
import dev.ngao.ingest.webhook.WebhookRoutes;
import dev.ngao.platform.ManagedService;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.pii.PiiProtector;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The door of Ngao: an HTTP API (Vert.x) that authenticates merchants, validates payment requests, writes
 * them to Kafka, and answers status queries from a view of the request and decision topics.
 */
public final class IngestService implements ManagedService {

    public static final String NAME = "ingest-service";

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    private static final long START_TIMEOUT_SECONDS = 30;
    private static final long STOP_TIMEOUT_SECONDS = 10;
    /** Idle keep-alive connections are closed after this, so abandoned clients do not hold sockets. */
    private static final int IDLE_TIMEOUT_SECONDS = 60;
    /** Accepted payments whose event may wait for the relay at once; beyond it new payments get 503. */
    private static final int MAXIMUM_PENDING_PAYMENTS = 100_000;

    private final IngestConfig config;
    private final KafkaContext kafka;

    private Vertx vertx;
    private HttpServer server;
    private Router router;
    private PaymentRequestPublisher publisher;
    private PaymentStatusFeed statusFeed;
    private PaymentStatusView statusView;
    private KafkaKeyStore keyStore;
    private Operations operations;
    private ClaimStore claimStore;
    /** The RocksDB stores of the folds kept off the heap; closed after everything that uses them. */
    private IngestStateStores stateStores;
    private IngestProducers producers;
    private SealedPaymentRequests sealer;
    private PaymentRelay relay;
    private ProviderStatusFeed providerStatusFeed;
    /** Every transaction on payments.requests and providers.events: what a webhook may name. */
    private SubmittedTransactions submittedTransactions;
    private AcknowledgedPublisher<String, ProviderEvent> providerEventPublisher;
    private StatusQueryIntake statusQueryIntake;
    private MerchantApi merchantApi;
    private EmergencyStopApi emergencyStops;
    private ApprovalService approvals;
    private boolean closed;

    public IngestService(IngestConfig config, KafkaContext kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Creates the topics, starts the status view, the producer and the HTTP server; returns once listening. */
    @Override
    public synchronized void start() throws Exception {
        if (closed || server != null) {
            throw new IllegalStateException(NAME + " can start only once");
        }
        try {
            List<Topic<?, ?>> topics = new ArrayList<>(PaymentStatusFeed.topics());
            topics.addAll(MerchantApi.topics());
            topics.addAll(List.of(Topics.AUDIT_INGEST, Topics.INGEST_IDEMPOTENCY, Topics.PROVIDER_EVENTS,
                    Topics.PROVIDER_STATUS_QUERIES, Topics.RISK_STOPS, Topics.INGEST_APPROVALS));
            kafka.ensureTopics(topics, NAME);
            vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(
                    new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
            stateStores = IngestStateStores.open(config.stateDirectory(), config.stateMemoryBytes());
            operations = Operations.connect(kafka, NAME);
            producers = IngestProducers.connect(kafka, NAME + "-producer");
            operations.metrics().bind(producers.shared());
            publisher = new PaymentRequestPublisher(vertx, producers.forTopic(Topics.PAYMENT_REQUESTS),
                    config.kafkaTimeoutMs(), operations.metrics());
            statusView = new PaymentStatusView(stateStores, config.statusViewMaxEntries());
            submittedTransactions = new SubmittedTransactions(stateStores, config.webhooksSubmittedMaxEntries());
            relay = startRelay();
            keyStore = new KafkaKeyStore(kafka, new SecretCipher(config.auth().masterKey(), new SecureRandom()), NAME)
                    .start();
            operations.metrics().bindKeyExpiry(keyStore);
            Idempotency idempotency = startIdempotency();
            ProviderStatusView providerStatusView = new ProviderStatusView(stateStores, config.webhooksStateMaxEntries());
            providerStatusFeed = ProviderStatusFeed.start(kafka, providerStatusView, submittedTransactions::record,
                    NAME);
            merchantApi = MerchantApi.start(vertx, kafka, producers, config, publisher, statusView, stateStores,
                    NAME);
            providerEventPublisher = new AcknowledgedPublisher<>(vertx, producers.forTopic(Topics.PROVIDER_EVENTS),
                    Topics.PROVIDER_EVENTS, config.kafkaTimeoutMs());
            Duration kafkaTimeout = Duration.ofMillis(config.kafkaTimeoutMs());
            List<RouteGroup> groups = new ArrayList<>();
            PiiProtector keyedHash = new PiiProtector(config.piiPepper());
            approvals = ApprovalService.start(vertx, kafka, producers, config.approvalsTimeToLive(),
                    config.approvalsMaxPendingPerMerchant(), kafkaTimeout, Duration.ofSeconds(START_TIMEOUT_SECONDS),
                    operations::audit, NAME);
            groups.add(new PaymentRoutes(new PaymentRequestEvents(keyedHash, Clock.systemUTC()),
                    new TransactionIds(keyedHash), sealer, relay, statusView, config.bodyLimitBytes(),
                    new PayoutApprovals(approvals.desk(), config.payoutThresholds(), sealer, relay, statusView)));
            groups.addAll(merchantApi.routeGroups());
            groups.add(merchantApi.cardBatches(approvals.desk(), config.approvalsCardBatchMaxSize(),
                    config.bodyLimitBytes()));
            groups.add(new ApprovalRoutes(approvals.desk(), config.bodyLimitBytes()));
            emergencyStops = EmergencyStopApi.start(vertx, kafka, producers, Arrays.stream(WebhookConfig.Provider.values())
                    .map(provider -> provider.scheme().provider()).collect(Collectors.toSet()), kafkaTimeout,
                    config.bodyLimitBytes(), NAME);
            groups.add(emergencyStops.routes());
            groups.add(new WebhookRoutes(config.webhookEndpoints(), idempotency, providerEventPublisher,
                    providerStatusView, providerStatusFeed::awaitEnd, submittedTransactions,
                    () -> CompletableFuture.allOf(statusFeed.requestsAtEnd(), providerStatusFeed.awaitEnd()),
                    WebhookAudit.LOGGING, Clock.systemUTC(),
                    config.bodyLimitBytes(), kafkaTimeout.multipliedBy(3), config.idempotencyWait()));
            // Status-query results join providers.events under the webhooks' lock and rules.
            StatusQueryWriter statusQueryWriter = new StatusQueryWriter(providerEventPublisher, claimStore,
                    providerStatusView, providerStatusFeed::awaitEnd,
                    new StatusQueryWriter.LockTiming(kafkaTimeout.multipliedBy(3), config.idempotencyWait()),
                    Clock.systemUTC());
            statusQueryIntake = StatusQueryIntake.start(kafka, statusQueryWriter,
                    config.webhookEndpoints().stream().map(WebhookEndpoint::provider).collect(Collectors.toSet()),
                    operations::audit, Clock.systemUTC(), NAME + "-status-queries");
            server = listen(IngestApi.of(vertx, authentication(), new RateLimiter(config.auth().rateLimits()),
                    List.of(idempotency.guard()), groups, config.bodyLimitBytes())
                    .withOperations(operations.observers(), operations.routes()));
        } catch (Exception e) {
            close();
            throw e;
        }
        LOG.info("{} ({} environment, {} API keys, {}) listening on {}:{}", NAME, config.environment(),
                keyStore.all().size(), config.tls().enabled() ? "TLS" : "plain HTTP", config.httpHost(),
                server.actualPort());
    }

    private SignedRequestGuard authentication() {
        return new SignedRequestGuard(keyStore, config.doorEnvironment(), config.auth().timestampToleranceSeconds(),
                new NonceCache(config.auth().nonceCacheMaxEntries()),
                new ClientAddressResolver(config.auth().trustedProxies()), config.tls().clientCertificateRequired(),
                Clock.systemUTC());
    }

    /**
     * Starts the relay of accepted payments and the status view's readers, and waits (bounded) until the
     * view has read the payment requests present: the claim store, started next, asks the view whether an
     * accepted claim found in the log at start already has its event (see {@link PaymentRelay}).
     */
    private PaymentRelay startRelay() throws InterruptedException {
        TopicSerdes<String, PaymentRequest> serdes = kafka.serdes(Topics.PAYMENT_REQUESTS);
        sealer = new SealedPaymentRequests(config.auth().masterKey(), serdes.valueSerde().serializer(),
                serdes.valueSerde().deserializer(), new SecureRandom());
        PaymentRelay started = new PaymentRelay(publisher, sealer, transactionId -> statusView.find(transactionId)
                .isPresent(), Clock.systemUTC(), Duration.ofMillis(config.kafkaTimeoutMs()).multipliedBy(3),
                MAXIMUM_PENDING_PAYMENTS);
        statusFeed = PaymentStatusFeed.start(kafka, statusView, transactionId -> {
            submittedTransactions.record(transactionId);
            started.published(transactionId);
        }, NAME);
        try {
            statusFeed.requestsCaughtUp().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Status view not caught up with {} after {} s; accepted payments of the last {} minutes may be "
                    + "published again (harmless): {}", Topics.PAYMENT_REQUESTS.name(), START_TIMEOUT_SECONDS,
                    PaymentRelay.HORIZON.toMinutes(), e.toString());
        }
        started.start(vertx);
        return started;
    }

    /**
     * Starts the claim store on ingest.idempotency and waits (bounded) until it has read the records present,
     * so answers recorded before a restart are replayed from memory at once. Correctness does not depend on
     * the wait: a claim reads its partition back up to itself, past every earlier record.
     */
    private Idempotency startIdempotency() throws InterruptedException {
        String instanceId = NAME + "-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaClaimLog claimLog = new KafkaClaimLog(producers.forTopic(Topics.INGEST_IDEMPOTENCY),
                kafka.consumer(Topics.INGEST_IDEMPOTENCY, instanceId + "-idempotency", null),
                NAME + "-idempotency");
        claimStore = new ClaimStore(claimLog, stateStores, config.idempotencyMaxEntries(), instanceId, Clock.systemUTC(),
                config.idempotencyClaimTimeout(), config.idempotencyExpiry(), Duration.ofMillis(config.kafkaTimeoutMs()));
        claimStore.onAccepted(relay::accepted);
        claimStore.start();
        try {
            claimLog.caughtUp().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Claim store not caught up with {} after {} s; serving anyway: {}",
                    Topics.INGEST_IDEMPOTENCY.name(), START_TIMEOUT_SECONDS, e.toString());
        }
        LOG.info("Instance {} holds {} idempotency keys", instanceId, claimStore.size());
        return new Idempotency(claimStore, config.idempotencyWait(), Clock.systemUTC());
    }

    private HttpServer listen(IngestApi api) throws Exception {
        HttpServerOptions options = operations.configure(new HttpServerOptions()
                .setHost(config.httpHost())
                .setPort(config.httpPort())
                .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
                .setIdleTimeoutUnit(TimeUnit.SECONDS));
        config.tls().applyTo(options);
        router = api.router();
        return operations.configure(vertx.createHttpServer(options))
                .requestHandler(router)
                .listen()
                .toCompletionStage().toCompletableFuture()
                .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The port the HTTP API listens on (the real one when configured with port 0). */
    public synchronized int httpPort() {
        if (server == null) {
            throw new IllegalStateException(NAME + " is not listening");
        }
        return server.actualPort();
    }

    /** The route table being served, for tests that check every route (documentation, fuzzing). */
    public synchronized Router router() {
        return router;
    }

    /** The metrics, readiness and audit of the running service, for the launcher's diagnostics and tests. */
    public synchronized Operations operations() {
        return operations;
    }

    /** The status view, for the launcher's diagnostics and tests. */
    public synchronized PaymentStatusView statusView() {
        return statusView;
    }

    /** Stops taking requests first, then lets the producer flush, then stops reading. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            await(server.close(), "HTTP server");
        }
        if (statusQueryIntake != null) {
            statusQueryIntake.close(); // before Vert.x and the publisher it writes with
        }
        // The producers close (sending what is in flight) while Vert.x still runs: their acknowledgements are
        // delivered on the event loop, which would refuse them once closed.
        if (merchantApi != null) {
            merchantApi.close();
        }
        if (emergencyStops != null) {
            emergencyStops.close();
        }
        if (approvals != null) {
            approvals.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (producers != null) {
            producers.close(); // the one producer behind every publisher and the claim log
        }
        if (vertx != null) {
            await(vertx.close(), "Vert.x");
        }
        if (claimStore != null) {
            claimStore.close();
        }
        if (providerStatusFeed != null) {
            providerStatusFeed.close();
        }
        if (statusFeed != null) {
            statusFeed.close();
        }
        if (keyStore != null) {
            keyStore.close();
        }
        if (stateStores != null) {
            stateStores.close(); // after every follower that writes to them
        }
        if (operations != null) {
            operations.close(); // last: the audit records of the final requests are written first
        }
        LOG.info("{} stopped", NAME);
    }

    private static void await(io.vertx.core.Future<Void> future, String what) {
        try {
            future.toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Cannot stop {} cleanly: {}", what, e.toString());
        }
    }
}
