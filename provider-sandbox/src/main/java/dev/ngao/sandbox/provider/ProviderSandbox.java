package dev.ngao.sandbox.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.http.HttpProviderAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The simulated providers on one Vert.x HTTP server, each under its own prefix ({@code /mobile-money-hub},
 * {@code /pagoefectivo}, {@code /card-network}) with the routes of its contract in the {@code providers}
 * module: submit, query status, {@code /health}, and {@code GET /v1/settlement-reports/<yyyy-MM-dd>} for
 * the day's report in the provider's format. A submission's {@code Idempotency-Key} is honoured: the same key
 * again gets the first answer (status and body, marked {@value #IDEMPOTENT_REPLAYED_HEADER}) and makes no
 * second submission. Webhooks go to the ingest service, signed with the platform's
 * schemes, as the run's misbehaviour plans them. A provider can be switched off ({@link #setAvailable}):
 * it then answers 503 to everything, for heartbeat and circuit-breaker runs.
 */
public final class ProviderSandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderSandbox.class);
    private static final int BODY_LIMIT_BYTES = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Set on an answer replayed for a repeated {@code Idempotency-Key}, as the common Idempotency-Key APIs do. */
    public static final String IDEMPOTENT_REPLAYED_HEADER = "Idempotent-Replayed";

    private final SandboxConfig config;
    private final Misbehaviour misbehaviour;
    private final Map<ProviderKind, SimulatedProvider> providers = new EnumMap<>(ProviderKind.class);
    private final Map<ProviderKind, Boolean> available = new ConcurrentHashMap<>();
    private final WebhookDispatcher dispatcher;
    private final InjectionLog injections = new InjectionLog();
    private final Vertx vertx;
    private final Clock clock;
    private final Set<String> reportsWritten = ConcurrentHashMap.newKeySet();
    private HttpServer server;
    private long dailyTimer = -1;

    /**
     * @param transport where webhooks go (the ingest service over HTTP: {@link HttpWebhookTransport})
     * @param sent      told of every webhook call made and its answer
     */
    public ProviderSandbox(SandboxConfig config, Clock clock, WebhookTransport transport,
                           Consumer<WebhookDispatcher.Sent> sent) {
        this.config = config;
        this.clock = clock;
        this.misbehaviour = config.misbehaviour();
        Map<ProviderKind, String> secrets = new EnumMap<>(ProviderKind.class);
        for (ProviderKind kind : ProviderKind.values()) {
            providers.put(kind, new SimulatedProvider(kind, misbehaviour, config.successPercent(), config.settleDelay(),
                    clock, injections));
            available.put(kind, true);
            if (config.webhookSecret(kind).isEmpty()) {
                LOG.warn("No webhook secret for the simulated {}: it sends no webhooks", kind.id());
            } else {
                secrets.put(kind, config.webhookSecret(kind));
            }
            if (config.apiSecret(kind).isEmpty()) {
                LOG.warn("No API secret for the simulated {}: it refuses every call", kind.id());
            }
        }
        this.dispatcher = new WebhookDispatcher(transport, secrets, misbehaviour.staleBy(), clock, sent);
        this.vertx = Vertx.vertx();
    }

    /** A sandbox sending its webhooks to the configured ingest service. */
    public static ProviderSandbox create(SandboxConfig config) {
        return new ProviderSandbox(config, Clock.systemUTC(), new HttpWebhookTransport(config.ingestUrl()), sent -> { });
    }

    /** Starts listening; answers the port. */
    public int start() {
        Router router = Router.router(vertx);
        for (ProviderKind kind : ProviderKind.values()) {
            mount(router, kind);
        }
        server = vertx.createHttpServer().requestHandler(router)
                .listen(config.port(), config.host()).toCompletionStage().toCompletableFuture().join();
        LOG.info("Provider sandbox listening on {}:{} (seed {})", config.host(), server.actualPort(), misbehaviour.seed());
        return server.actualPort();
    }

    /**
     * Writes each provider's report once its settlement day has ended in its own zone (Lima's day ends five
     * hours after UTC's): checked every {@code checkEvery}, each (provider, day) written once.
     */
    public void startDailyReports(Duration checkEvery) {
        dailyTimer = vertx.setPeriodic(1, checkEvery.toMillis(), ignored -> vertx.executeBlocking(() -> {
            writeClosedDays();
            return null;
        }, false).onFailure(failure -> LOG.error("Daily settlement reports failed", failure)));
    }

    /** Writes the report of the day before today, per provider in its zone, unless already written; answers the files. */
    public List<Path> writeClosedDays() throws IOException {
        List<Path> written = new ArrayList<>();
        for (ProviderKind kind : ProviderKind.values()) {
            LocalDate closed = clock.instant().atZone(kind.settlementZone()).toLocalDate().minusDays(1);
            if (reportsWritten.add(kind.id() + "/" + closed)) {
                Path file = writeReport(kind, closed);
                LOG.info("Settlement report of {} for {} written to {}", kind.id(), closed, file);
                written.add(file);
            }
        }
        return written;
    }

    public SimulatedProvider provider(ProviderKind kind) {
        return providers.get(kind);
    }

    public InjectionLog injections() {
        return injections;
    }

    public Misbehaviour misbehaviour() {
        return misbehaviour;
    }

    /** Payments whose webhooks are still being sent. */
    public long webhooksInFlight() {
        return dispatcher.inFlight();
    }

    public void setAvailable(ProviderKind kind, boolean up) {
        available.put(kind, up);
    }

    /** The day's report of {@code kind}, with the run's report misbehaviour. */
    public SettlementReports.Report report(ProviderKind kind, LocalDate day) {
        return SettlementReports.build(providers.get(kind), day, misbehaviour, injections);
    }

    /** Writes the day's report of {@code kind} under the reports directory; answers the file. */
    public Path writeReport(ProviderKind kind, LocalDate day) throws IOException {
        return SettlementReports.writeFile(report(kind, day), config.reportsDirectory());
    }

    private void mount(Router router, ProviderKind kind) {
        String prefix = "/" + kind.id();
        Dialect dialect = providers.get(kind).dialect();
        router.route(prefix + "/*").handler(context -> guard(context, kind));
        router.get(prefix + HttpProviderAdapter.HEALTH_PATH).handler(context -> context.response()
                .putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}"));
        router.post(prefix + dialect.resourcePath()).handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES))
                .handler(context -> submit(context, kind));
        router.get(prefix + dialect.resourcePath() + "/:transactionId").handler(context -> query(context, kind));
        router.get(prefix + "/v1/settlement-reports/:day").handler(context -> settlementReport(context, kind));
    }

    /** Down providers answer 503; callers without the configured credentials 401 (the health check included). */
    private void guard(RoutingContext context, ProviderKind kind) {
        if (!available.getOrDefault(kind, true)) {
            context.response().setStatusCode(503).putHeader("Retry-After", "1").end();
            return;
        }
        Dialect dialect = providers.get(kind).dialect();
        if (!dialect.authenticated(context.request()::getHeader, config.apiKey(kind), config.apiSecret(kind))) {
            context.response().setStatusCode(401).end();
            return;
        }
        context.next();
    }

    private void submit(RoutingContext context, ProviderKind kind) {
        SimulatedProvider provider = providers.get(kind);
        Dialect.Submission submission;
        try {
            JsonNode body = JSON.readTree(context.body().asString());
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException("body must be a JSON object");
            }
            submission = provider.dialect().submission(body);
        } catch (IOException | IllegalArgumentException e) {
            problem(context, 400, e instanceof IOException ? "body is not JSON" : e.getMessage());
            return;
        }
        SimulatedProvider.Keyed keyed;
        try {
            keyed = provider.submit(submission.transactionId(), submission.amount(), submission.referenceHint(),
                    submission.expiresAt(), context.request().getHeader(HttpProviderAdapter.IDEMPOTENCY_KEY));
        } catch (IllegalArgumentException e) {
            problem(context, 422, e.getMessage());
            return;
        } catch (IllegalStateException e) {
            problem(context, 503, e.getMessage());
            return;
        }
        SimulatedProvider.Accepted accepted = keyed.accepted();
        if (!keyed.replayed() && accepted.created() && !accepted.deliveries().isEmpty()
                && !config.webhookSecret(kind).isEmpty()) {
            dispatcher.dispatch(accepted.deliveries());
        }
        if (keyed.replayed()) {
            context.response().putHeader(IDEMPOTENT_REPLAYED_HEADER, "true");
        }
        int status = !accepted.created() ? 200 : kind == ProviderKind.MOBILE_MONEY_HUB ? 202 : 201;
        json(context, status, keyed.answer());
    }

    private void query(RoutingContext context, ProviderKind kind) {
        SimulatedProvider provider = providers.get(kind);
        provider.query(context.pathParam("transactionId")).ifPresentOrElse(
                payment -> json(context, 200, provider.answer(payment)),
                () -> context.response().setStatusCode(404).end());
    }

    private void settlementReport(RoutingContext context, ProviderKind kind) {
        LocalDate day;
        try {
            day = LocalDate.parse(context.pathParam("day"));
        } catch (DateTimeException e) {
            problem(context, 400, "day must be yyyy-MM-dd");
            return;
        }
        // A day of many payments takes a while to write: off the event loop.
        vertx.executeBlocking(() -> {
            StringWriter out = new StringWriter();
            SettlementReports.write(report(kind, day), out);
            return out.toString();
        }, false).onComplete(result -> {
            if (result.failed()) {
                LOG.error("Settlement report of {} for {} failed", kind.id(), day, result.cause());
                problem(context, 500, "report failed");
            } else {
                context.response().putHeader("Content-Type", "text/csv; charset=utf-8").end(result.result());
            }
        });
    }

    private static void json(RoutingContext context, int status, Map<String, Object> body) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(WebhookDispatcher.body(body)));
    }

    private static void problem(RoutingContext context, int status, String detail) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject().put("status", status).put("detail", detail).encode());
    }

    @Override
    public void close() {
        if (dailyTimer >= 0) {
            vertx.cancelTimer(dailyTimer);
        }
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().join();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
