package dev.ngao.notifier;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.ManagedService;
import dev.ngao.platform.Shutdown;
import dev.ngao.platform.auth.SignedRoutes;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.observability.ServiceMetrics;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The notifier: tells each merchant the final status of its transactions by a signed webhook (Standard
 * Webhooks), retried until acknowledged or given up, and serves the delivery log over HTTP.
 * {@link #start()} opens the database, starts the intake thread and the dispatcher, and returns once the
 * API listens.
 */
public final class NotifierService implements ManagedService {

    public static final String CLIENT_ID = "ngao-notifier";
    private static final Logger LOG = LoggerFactory.getLogger(NotifierService.class);
    private static final List<Topic<?, ?>> TOPICS = List.of(Topics.PAYMENT_REQUESTS, Topics.RISK_DECISIONS,
            Topics.PROVIDER_EVENTS);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final NotifierConfig config;
    private final KafkaContext kafka;
    private final Clock clock;
    private final ServiceMetrics metrics = new ServiceMetrics("notifier");
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private NotifierStore store;
    private KafkaConsumer<String, PaymentRequest> requestConsumer;
    private KafkaConsumer<String, RiskDecision> decisionConsumer;
    private KafkaConsumer<String, ProviderEvent> providerEventConsumer;
    private NotificationIntake intake;
    private Thread intakeThread;
    private DeliveryDispatcher dispatcher;
    private WebhookTransport transport;
    private Vertx vertx;
    private HttpServer server;
    private SignedRoutes signedRoutes;
    private boolean closed;

    public NotifierService(NotifierConfig config, KafkaContext kafka) {
        this(config, kafka, Clock.systemUTC());
    }

    NotifierService(NotifierConfig config, KafkaContext kafka, Clock clock) {
        this.config = config;
        this.kafka = kafka;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "notifier";
    }

    @Override
    public synchronized void start() throws Exception {
        if (store != null || closed) {
            throw new IllegalStateException("the notifier starts once");
        }
        try {
            store = NotifierStore.open(config.dataDirectory());
            kafka.ensureTopics(TOPICS, CLIENT_ID);
            vertx = Vertx.vertx();
            NotifierMetrics counters = new NotifierMetrics(metrics.registry());
            startIntake(counters);
            startDispatcher(counters);
            startHttp();
            LOG.info("notifier serving on {}:{} for {} merchant endpoint(s)", config.httpHost(), httpPort(),
                    config.merchants().size());
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    @Override
    public CompletableFuture<Throwable> failure() {
        return failure;
    }

    /** The port the API listens on: the configured one, or the one chosen when configured as 0. */
    public synchronized int httpPort() {
        if (server == null) {
            throw new IllegalStateException("the notifier is not serving");
        }
        return server.actualPort();
    }

    private void startIntake(NotifierMetrics counters) {
        requestConsumer = kafka.consumer(Topics.PAYMENT_REQUESTS, CLIENT_ID + "-requests",
                config.groupId() + "-requests");
        decisionConsumer = kafka.consumer(Topics.RISK_DECISIONS, CLIENT_ID + "-decisions",
                config.groupId() + "-decisions");
        providerEventConsumer = kafka.consumer(Topics.PROVIDER_EVENTS, CLIENT_ID + "-provider-events",
                config.groupId() + "-provider-events");
        requestConsumer.subscribe(List.of(Topics.PAYMENT_REQUESTS.name()));
        decisionConsumer.subscribe(List.of(Topics.RISK_DECISIONS.name()));
        providerEventConsumer.subscribe(List.of(Topics.PROVIDER_EVENTS.name()));
        metrics.bind(requestConsumer);
        metrics.bind(decisionConsumer);
        metrics.bind(providerEventConsumer);
        intake = new NotificationIntake(requestConsumer, decisionConsumer, providerEventConsumer, store,
                config.merchants(), config.pollTimeout(), clock, counters);
        intakeThread = new Thread(this::runIntakeThenCloseConsumers, "notifier-intake");
        intakeThread.start();
    }

    /** The consumers are used by the intake thread only, so that thread closes them too. */
    private void runIntakeThenCloseConsumers() {
        try {
            intake.run();
        } catch (RuntimeException | Error e) {
            LOG.error("Notifier intake stopped: {}", e.toString());
            failure.complete(e);
        } finally {
            closeConsumers();
        }
    }

    private void startDispatcher(NotifierMetrics counters) {
        transport = new VertxWebhookTransport(vertx, config.deliveryConnectTimeoutMs(), config.deliveryMaxInFlight());
        dispatcher = new DeliveryDispatcher(store, config.merchants(), transport, config.retrySchedule(),
                config.deliveryTimeout(), config.deliveryMaxInFlight(), config.dispatchInterval(),
                config.factsRetention(), clock, new SecureRandom(), counters);
        Gauge.builder("ngao.notifier.in.flight", dispatcher, DeliveryDispatcher::inFlight)
                .description("Delivery attempts under way").register(metrics.registry());
        Gauge.builder("ngao.notifier.pending", store, NotifierStore::pendingCount)
                .description("Deliveries scheduled and not yet acknowledged or given up").register(metrics.registry());
        dispatcher.start();
    }

    private void startHttp() throws Exception {
        // The API keys are read to the end before the API listens, so no request meets a partial key set.
        signedRoutes = SignedRoutes.start(kafka, config.signedRequests(), CLIENT_ID);
        NotifierHttpApi api = new NotifierHttpApi(vertx, store, () -> intake.alive(), signedRoutes);
        Router router = api.router();
        metrics.mount(router);
        Future<HttpServer> listening = vertx.createHttpServer()
                .requestHandler(router)
                .listen(config.httpPort(), config.httpHost());
        server = listening.toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopIntake();
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (transport != null) {
            transport.close();
        }
        closeVertx();
        if (signedRoutes != null) {
            signedRoutes.close();
        }
        metrics.close();
        if (store != null) {
            store.close();
        }
        LOG.info("notifier stopped");
    }

    private void stopIntake() {
        if (intakeThread == null) {
            closeConsumers();
            return;
        }
        intake.stop();
        Shutdown.join(intakeThread, STOP_TIMEOUT, LOG);
    }

    private void closeConsumers() {
        for (KafkaConsumer<?, ?> consumer : new KafkaConsumer<?, ?>[]{requestConsumer, decisionConsumer,
                providerEventConsumer}) {
            if (consumer != null) {
                try {
                    consumer.close(CloseOptions.timeout(STOP_TIMEOUT));
                } catch (RuntimeException e) {
                    LOG.warn("Closing a notifier consumer failed: {}", e.toString());
                }
            }
        }
    }

    private void closeVertx() {
        Shutdown.closeVertx(vertx, STOP_TIMEOUT, LOG);
        server = null;
    }
}
