package dev.ngao.reconciler;

import dev.ngao.platform.auth.SignedRoutes;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.observability.ServiceMetrics;
import dev.ngao.providers.report.SettlementReportFormat;
import dev.ngao.reconciler.report.ReportHttpApi;
import dev.ngao.reconciler.report.ReportReconciler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The reconciler's HTTP side: the report upload API with its signed routes, /health and /metrics, on a Vert.x
 * instance of its own. Closing stops Vert.x, then the key store the signatures are checked against.
 */
final class ReconcilerHttp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcilerHttp.class);
    private static final long CLOSE_TIMEOUT_SECONDS = 30;

    private final SignedRoutes signed;
    private final Vertx vertx;
    private HttpServer http;

    private ReconcilerHttp(SignedRoutes signed, Vertx vertx) {
        this.signed = signed;
        this.vertx = vertx;
    }

    /**
     * Reads the API keys to the end before the API listens, so no upload meets a partial key set; then listens.
     *
     * @param healthy what /health reports
     */
    static ReconcilerHttp start(ReconcilerConfig config, KafkaContext kafka, ReportReconciler reconciler,
                                Map<String, SettlementReportFormat> formats, BooleanSupplier healthy,
                                ServiceMetrics metrics) {
        SignedRoutes signed;
        try {
            signed = SignedRoutes.start(kafka, config.signedRequests(), config.applicationId() + "-keys");
        } catch (TimeoutException e) {
            throw new IllegalStateException("Cannot read the API keys: " + e.getMessage(), e);
        }
        ReconcilerHttp started = new ReconcilerHttp(signed, Vertx.vertx());
        try {
            started.listen(config, reconciler, formats, healthy, metrics);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    private void listen(ReconcilerConfig config, ReportReconciler reconciler,
                        Map<String, SettlementReportFormat> formats, BooleanSupplier healthy, ServiceMetrics metrics) {
        ReportHttpApi api = new ReportHttpApi(vertx, reconciler, formats, config.reportDirectory().resolve("uploads"),
                config.maxUploadBytes(), healthy, signed);
        try {
            Router router = api.router();
            metrics.mount(router);
            http = vertx.createHttpServer().requestHandler(router)
                    .listen(config.httpPort(), config.httpHost()).await(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | RuntimeException e) {
            throw new IllegalStateException("Cannot listen on " + config.httpHost() + ":" + config.httpPort(), e);
        }
        LOG.info("Report upload API on {}:{}", config.httpHost(), http.actualPort());
    }

    /** The port the API listens on (useful when configured as 0). */
    int port() {
        return http.actualPort();
    }

    @Override
    public void close() {
        try {
            vertx.close().await(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | RuntimeException e) {
            LOG.warn("Closing the reconciler's HTTP server failed: {}", e.getMessage());
        } finally {
            signed.close();
        }
    }
}
