package dev.ngao.ingest.ops;

import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.platform.http.Problems;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/**
 * Unauthenticated routes for whoever runs the service: liveness, readiness (Kafka reachable), Prometheus
 * metrics, and the OpenAPI document of the API. None of them reveals a secret, an id or PII.
 */
public final class OperationsRoutes implements RouteGroup {

    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";
    public static final String METRICS_PATH = "/metrics";
    public static final String OPENAPI_PATH = "/openapi.yaml";
    /** Where the OpenAPI document is on the class path. */
    public static final String OPENAPI_RESOURCE = "/openapi.yaml";
    /** Prometheus' text exposition format. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** The media type of YAML (RFC 9512). */
    public static final String YAML = "application/yaml";

    private final IngestMetrics metrics;
    private final BooleanSupplier kafkaReady;
    private final Buffer openApi;

    /** @param kafkaReady whether Kafka is reachable; must answer at once (a cached value) */
    public OperationsRoutes(IngestMetrics metrics, BooleanSupplier kafkaReady) {
        this.metrics = metrics;
        this.kafkaReady = kafkaReady;
        this.openApi = Buffer.buffer(openApiDocument());
    }

    @Override
    public void mount(Router router) {
        router.get(LIVE_PATH).handler(this::live);
        router.get(READY_PATH).handler(this::ready);
        router.get(METRICS_PATH).handler(this::metrics);
        router.get(OPENAPI_PATH).handler(this::openApi);
    }

    /** The process answers: nothing more is checked, so a slow dependency never gets the process restarted. */
    private void live(RoutingContext context) {
        HttpReplies.replyJson(context, 200, new JsonObject().put("status", "UP"));
    }

    private void ready(RoutingContext context) {
        if (kafkaReady.getAsBoolean()) {
            HttpReplies.replyJson(context, 200, new JsonObject().put("status", "UP")
                    .put("checks", new JsonObject().put("kafka", "UP")));
            return;
        }
        context.response().putHeader("Retry-After", "5");
        Problems.send(context, 503, "not-ready", "Service Unavailable", "Kafka is not reachable.");
    }

    /** Rendered on a worker thread: a scrape walks every meter, which is no work for the event loop. */
    private void metrics(RoutingContext context) {
        context.vertx().executeBlocking(metrics::scrape, false).onComplete(scraped -> {
            if (scraped.failed()) {
                context.fail(scraped.cause());
                return;
            }
            context.response()
                    .putHeader("Content-Type", PROMETHEUS_TEXT)
                    .putHeader("Cache-Control", "no-store")
                    .end(scraped.result());
        });
    }

    private void openApi(RoutingContext context) {
        context.response()
                .putHeader("Content-Type", YAML)
                .end(openApi);
    }

    private static byte[] openApiDocument() {
        try (InputStream document = OperationsRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (document == null) {
                throw new IllegalStateException("the OpenAPI document " + OPENAPI_RESOURCE + " is not on the class path");
            }
            return document.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
