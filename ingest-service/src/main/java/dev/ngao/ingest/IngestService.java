package dev.ngao.ingest;

import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.auth.ApiKeyAuthenticator;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.payment.PaymentRequestEvents;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.status.PaymentStatusFeed;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.ManagedService;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.pii.PiiProtector;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    private final IngestConfig config;
    private final KafkaContext kafka;

    private Vertx vertx;
    private HttpServer server;
    private PaymentRequestPublisher publisher;
    private PaymentStatusFeed statusFeed;
    private PaymentStatusView statusView;
    private MerchantApi merchantApi;
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
            kafka.ensureTopics(topics, NAME);
            statusView = new PaymentStatusView(config.statusViewMaxEntries());
            statusFeed = PaymentStatusFeed.start(kafka, statusView, NAME);
            vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(
                    new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
            publisher = new PaymentRequestPublisher(vertx, startProducer(), config.kafkaTimeoutMs());
            merchantApi = MerchantApi.start(vertx, kafka, config, publisher, statusView, NAME);
            List<RouteGroup> groups = new ArrayList<>();
            groups.add(new PaymentRoutes(new PaymentRequestEvents(new PiiProtector(config.piiPepper()),
                    Clock.systemUTC()), publisher, statusView, config.bodyLimitBytes()));
            groups.addAll(merchantApi.routeGroups());
            server = listen(IngestApi.of(vertx, new ApiKeyAuthenticator(config.apiKeys()), groups,
                    config.bodyLimitBytes()));
        } catch (Exception e) {
            close();
            throw e;
        }
        LOG.info("{} ({} environment, {} API keys) listening on {}:{}", NAME, config.environment(),
                config.apiKeys().size(), config.httpHost(), server.actualPort());
    }

    /** Fetches the topic's metadata now, so an unreachable cluster fails the start instead of the first request. */
    private KafkaProducer<String, PaymentRequest> startProducer() {
        KafkaProducer<String, PaymentRequest> producer = kafka.producer(Topics.PAYMENT_REQUESTS, NAME + "-payments");
        try {
            producer.partitionsFor(Topics.PAYMENT_REQUESTS.name());
            return producer;
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
    }

    private HttpServer listen(IngestApi api) throws Exception {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.httpHost())
                .setPort(config.httpPort())
                .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        return vertx.createHttpServer(options)
                .requestHandler(api.router())
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
        if (vertx != null) {
            await(vertx.close(), "Vert.x");
        }
        if (merchantApi != null) {
            merchantApi.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (statusFeed != null) {
            statusFeed.close();
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
