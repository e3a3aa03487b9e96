package dev.ngao.ledger;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.ManagedService;
import dev.ngao.platform.Shutdown;
import dev.ngao.platform.auth.SignedRoutes;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.observability.ServiceMetrics;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ledger-service: posts a balanced journal entry for each approved payment, exactly once, and
 * answers balance, entry and trial-balance queries over HTTP. {@link #start()} opens the ledger,
 * creates its topics, starts the decision poller thread and returns once the API listens.
 */
public final class LedgerService implements ManagedService {

    public static final String CLIENT_ID = "ngao-ledger";
    public static final String ENTRIES_METRIC = "ngao.ledger.entries";
    public static final String ENTRIES_PUBLISHED_METRIC = "ngao.ledger.entries.published";
    public static final String REFUSALS_METRIC = "ngao.ledger.refusals";
    public static final String REJECTED_METRIC = "ngao.ledger.rejected.events";
    public static final String UNDECIDED_DROPPED_METRIC = "ngao.ledger.undecided.dropped";

    private static final Logger LOG = LoggerFactory.getLogger(LedgerService.class);
    private static final List<Topic<?, ?>> TOPICS = List.of(Topics.RISK_DECISIONS, Topics.PROVIDER_EVENTS,
            Topics.LEDGER_ENTRIES, Topics.LEDGER_REFUSALS, Topics.AUDIT_LEDGER);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final LedgerConfig config;
    private final KafkaContext kafka;
    private LedgerStore store;
    private KafkaConsumer<String, RiskDecision> consumer;
    private KafkaConsumer<String, ProviderEvent> providerEventConsumer;
    private KafkaProducer<String, JournalEntry> producer;
    private KafkaProducer<String, AuditRecord> auditProducer;
    private KafkaProducer<String, AuditRecord> refusalProducer;
    private LedgerPoller poller;
    private Thread pollThread;
    private final ServiceMetrics metrics = new ServiceMetrics("ledger-service");
    private Vertx vertx;
    private HttpServer server;
    private SignedRoutes signedRoutes;
    private boolean closed;

    public LedgerService(LedgerConfig config, KafkaContext kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    @Override
    public String name() {
        return "ledger-service";
    }

    @Override
    public synchronized void start() throws Exception {
        if (store != null || closed) {
            throw new IllegalStateException("ledger-service starts once");
        }
        try {
            store = LedgerStore.open(config.dataDirectory());
            kafka.ensureTopics(TOPICS, CLIENT_ID);
            startPoller();
            startHttp();
            LOG.info("ledger-service serving on {}:{}, ledger at sequence {}", config.httpHost(), httpPort(),
                    store.head().sequence());
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** The port the API listens on: the configured one, or the one chosen when configured as 0. */
    public synchronized int httpPort() {
        if (server == null) {
            throw new IllegalStateException("ledger-service is not serving");
        }
        return server.actualPort();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopPoller();
        closeVertx();
        if (signedRoutes != null) {
            signedRoutes.close();
        }
        metrics.close();
        if (store != null) {
            store.close();
        }
        LOG.info("ledger-service stopped");
    }

    private void startPoller() {
        consumer = kafka.consumer(Topics.RISK_DECISIONS, CLIENT_ID + "-decisions", config.groupId());
        providerEventConsumer = kafka.consumer(Topics.PROVIDER_EVENTS, CLIENT_ID + "-provider-events",
                config.groupId() + "-provider-events");
        producer = kafka.producer(Topics.LEDGER_ENTRIES, CLIENT_ID + "-entries");
        auditProducer = kafka.producer(Topics.AUDIT_LEDGER, CLIENT_ID + "-audit");
        refusalProducer = kafka.producer(Topics.LEDGER_REFUSALS, CLIENT_ID + "-refusals");
        poller = new LedgerPoller(consumer, providerEventConsumer, store, new PostingRules(),
                new EntryPublisher(producer, store), new RefusalPublisher(auditProducer, refusalProducer, store),
                new UndecidedSweeper(store, auditProducer, Clock.systemUTC(), config.undecidedRetention(),
                        config.undecidedSweepInterval(), config.undecidedSweepMaxPerPass()),
                new UndecidedBackfill(store, Clock.systemUTC(), config.undecidedBackfillMaxPerPass()),
                config.pollTimeout(), Clock.systemUTC(), CrashPoints.NONE);
        bindMetrics();
        pollThread = new Thread(this::runPollerThenCloseClients, "ledger-poller");
        pollThread.start();
    }

    /**
     * The ledger's counts come from the store itself (the head sequence is the number of entries ever posted),
     * so they agree with the books after any restart; the clients' metrics give consumer lag and send rates.
     */
    private void bindMetrics() {
        MeterRegistry registry = metrics.registry();
        FunctionCounter.builder(ENTRIES_METRIC, store, ledger -> ledger.head().sequence())
                .description("Journal entries posted (the ledger's head sequence)").register(registry);
        FunctionCounter.builder(ENTRIES_PUBLISHED_METRIC, store, LedgerStore::publishedSequence)
                .description("Journal entries published to ledger.entries").register(registry);
        FunctionCounter.builder(REFUSALS_METRIC, store, LedgerStore::lastRefusal)
                .description("Spending entries refused for lack of funds").register(registry);
        FunctionCounter.builder(UNDECIDED_DROPPED_METRIC, poller, LedgerPoller::droppedLifecycles)
                .description("Payment lifecycles dropped because their decision did not come within "
                        + "ledger.undecided.retention.ms (since start)")
                .register(registry);
        FunctionCounter.builder(REJECTED_METRIC, poller, LedgerPoller::rejectedEvents)
                .description("Events that called for an entry but could not make a valid one (since start)")
                .register(registry);
        metrics.bind(consumer);
        metrics.bind(providerEventConsumer);
        metrics.bind(producer);
    }

    /** The clients are used by the poll thread only, so that thread closes them too. */
    private void runPollerThenCloseClients() {
        try {
            poller.run();
        } finally {
            closeClients();
        }
    }

    private void startHttp() throws Exception {
        // The API keys are read to the end before the API listens, so no request meets a partial key set.
        signedRoutes = SignedRoutes.start(kafka, config.signedRequests(), CLIENT_ID);
        vertx = Vertx.vertx();
        LedgerHttpApi api = new LedgerHttpApi(vertx, store, poller::running, signedRoutes);
        Router router = api.router();
        metrics.mount(router);
        Future<HttpServer> listening = vertx.createHttpServer()
                .requestHandler(router)
                .listen(config.httpPort(), config.httpHost());
        server = listening.toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private void stopPoller() {
        if (pollThread == null) {
            closeClients();
            return;
        }
        poller.stop();
        Shutdown.join(pollThread, STOP_TIMEOUT, LOG);
    }

    private void closeClients() {
        if (consumer != null) {
            consumer.close(CloseOptions.timeout(STOP_TIMEOUT));
        }
        if (providerEventConsumer != null) {
            providerEventConsumer.close(CloseOptions.timeout(STOP_TIMEOUT));
        }
        if (producer != null) {
            producer.close(STOP_TIMEOUT);
        }
        if (refusalProducer != null) {
            refusalProducer.close(STOP_TIMEOUT);
        }
        if (auditProducer != null) {
            auditProducer.close(STOP_TIMEOUT);
        }
    }

    private void closeVertx() {
        Shutdown.closeVertx(vertx, STOP_TIMEOUT, LOG);
        server = null;
    }
}
