package dev.ngao.console;

import dev.ngao.events.ConsoleUserRecord;
import dev.ngao.events.EmergencyStop;
import dev.ngao.events.ProviderHealthEvent;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.ManagedService;
import dev.ngao.platform.Shutdown;
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
 * The analysts' and operators' console: reads risk.decisions, recon.breaks, providers.health and risk.stops into
 * its views, and people's accounts from console.users, and serves the page and its API. People sign in with a
 * password and a TOTP code; each account is linked to an API key, read from ingest.api-keys, which signs that
 * person's calls to ingest. No disk state: a restart rebuilds the views and accounts from the topics and ends the
 * sessions, so several instances can run behind a load balancer with sticky sessions.
 */
public final class ConsoleService implements ManagedService {

    public static final String CLIENT_ID = "ngao-console";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleService.class);
    private static final List<Topic<?, ?>> TOPICS = List.of(Topics.RISK_DECISIONS, Topics.RECON_BREAKS,
            Topics.PROVIDER_HEALTH, Topics.RISK_STOPS);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ConsoleConfig config;
    private final KafkaContext kafka;
    private final Clock clock;
    private final ServiceMetrics metrics = new ServiceMetrics("console");
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private final ConsoleViews views;
    private KafkaConsumer<String, RiskDecision> decisions;
    private KafkaConsumer<String, ReconciliationBreak> breaks;
    private KafkaConsumer<String, ProviderHealthEvent> health;
    private KafkaConsumer<String, EmergencyStop> stops;
    private KafkaConsumer<String, ConsoleUserRecord> users;
    private AccountsBackend accounts;
    private ViewFeed feed;
    private Thread feedThread;
    private Vertx vertx;
    private HttpServer server;
    private boolean started;
    private boolean closed;

    public ConsoleService(ConsoleConfig config, KafkaContext kafka) {
        this(config, kafka, Clock.systemUTC());
    }

    ConsoleService(ConsoleConfig config, KafkaContext kafka, Clock clock) {
        this.config = config;
        this.kafka = kafka;
        this.clock = clock;
        this.views = new ConsoleViews(config.decisionsKept(), config.reviewsKept(), config.breaksKept());
    }

    @Override
    public String name() {
        return "console";
    }

    @Override
    public synchronized void start() throws Exception {
        if (started || closed) {
            throw new IllegalStateException("the console starts once");
        }
        started = true;
        try {
            kafka.ensureTopics(TOPICS, CLIENT_ID);
            accounts = AccountsBackend.start(config, kafka, clock, CLIENT_ID);
            vertx = Vertx.vertx();
            startFeed();
            startHttp();
            LOG.info("console serving on {}:{}, sending resolutions to {}", config.httpHost(), httpPort(),
                    config.ingestUrl());
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    @Override
    public CompletableFuture<Throwable> failure() {
        return failure;
    }

    /** The port the console listens on: the configured one, or the one chosen when configured as 0. */
    public synchronized int httpPort() {
        if (server == null) {
            throw new IllegalStateException("the console is not serving");
        }
        return server.actualPort();
    }

    /** Whether the views hold everything the topics held when the console started. */
    public boolean caughtUp() {
        return views.caughtUp();
    }

    private void startFeed() {
        decisions = kafka.consumer(Topics.RISK_DECISIONS, CLIENT_ID + "-decisions", null);
        breaks = kafka.consumer(Topics.RECON_BREAKS, CLIENT_ID + "-breaks", null);
        health = kafka.consumer(Topics.PROVIDER_HEALTH, CLIENT_ID + "-health", null);
        stops = kafka.consumer(Topics.RISK_STOPS, CLIENT_ID + "-stops", null);
        users = accounts.usersConsumer();
        metrics.bind(decisions);
        metrics.bind(breaks);
        metrics.bind(health);
        metrics.bind(stops);
        feed = new ViewFeed(List.of(
                new ViewFeed.Source<>(Topics.RISK_DECISIONS.name(), decisions, views::onDecision),
                new ViewFeed.Source<>(Topics.RECON_BREAKS.name(), breaks, views::onBreak),
                new ViewFeed.Source<>(Topics.PROVIDER_HEALTH.name(), health, views::onHealth),
                new ViewFeed.Source<>(Topics.RISK_STOPS.name(), stops, views::onStop),
                new ViewFeed.Source<>(Topics.CONSOLE_USERS.name(), users, accounts.users()::apply)),
                config.pollTimeout(), views::markCaughtUp);
        feedThread = new Thread(this::runFeedThenCloseConsumers, "console-feed");
        feedThread.start();
    }

    /** The consumers are used by the feed thread only, so that thread closes them too. */
    private void runFeedThenCloseConsumers() {
        try {
            feed.run();
        } catch (RuntimeException | Error e) {
            LOG.error("Console feed stopped: {}", e.toString());
            failure.complete(e);
        } finally {
            closeConsumers();
        }
    }

    private void startHttp() throws Exception {
        Sessions sessions = new Sessions(config.sessionIdle(), config.sessionAbsolute(), config.sessionMax(), clock,
                new SecureRandom());
        Gauge.builder("ngao.console.sessions", sessions, Sessions::size).description("Open sessions of people")
                .register(metrics.registry());
        Gauge.builder("ngao.console.open.reviews", views, ConsoleViews::openReviews)
                .description("Open reviews in the queue view, over all merchants").register(metrics.registry());
        ConsoleHttpApi api = new ConsoleHttpApi(vertx, views, sessions, accounts.accounts(), accounts.audit(),
                new IngestClient(config.ingestUrl(), config.ingestTimeout()),
                new AlertFeed(config.prometheusUrl(), config.ingestTimeout()), config.cookieSecure(),
                () -> feed.alive(), new ConsoleMetrics(metrics.registry()));
        Router router = Router.router(vertx);
        metrics.mount(router);
        router.route().subRouter(api.router());
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
        stopFeed();
        closeVertx();
        if (accounts != null) {
            accounts.close();
        }
        metrics.close();
        LOG.info("console stopped");
    }

    private void stopFeed() {
        if (feedThread == null) {
            closeConsumers();
            return;
        }
        feed.stop();
        Shutdown.join(feedThread, STOP_TIMEOUT, LOG);
    }

    private void closeConsumers() {
        for (KafkaConsumer<?, ?> consumer : new KafkaConsumer<?, ?>[]{decisions, breaks, health, stops, users}) {
            if (consumer != null) {
                try {
                    consumer.close(CloseOptions.timeout(STOP_TIMEOUT));
                } catch (RuntimeException e) {
                    LOG.warn("Closing a console consumer failed: {}", e.toString());
                }
            }
        }
    }

    private void closeVertx() {
        Shutdown.closeVertx(vertx, STOP_TIMEOUT, LOG);
        server = null;
    }
}
