package dev.ngao.console;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Prometheus' alerts API as the console reads it ({@code GET /api/v1/alerts}), answering whatever status and body
 * the test set last: enough to test the feed without running Prometheus.
 */
final class StubPrometheus implements AutoCloseable {

    /** One firing critical NgaoProviderDown, one pending warning NgaoConsumerLag, and another system's alert. */
    static final String ALERTS = """
            {"status": "success", "data": {"alerts": [
              {"labels": {"alertname": "NgaoConsumerLag", "severity": "warning", "group": "ngao-ledger"},
               "annotations": {"summary": "ledger-service is 12000 records behind",
                               "description": "The ledger's consumer group lags.",
                               "runbook_url": "docs/runbook.md#consumer-lag"},
               "state": "pending", "activeAt": "2026-12-07T11:58:00Z", "value": "1.2e+04"},
              {"labels": {"alertname": "OtherTeamDiskFull", "severity": "critical"},
               "annotations": {"summary": "not Ngao's"}, "state": "firing", "activeAt": "2026-12-07T10:00:00Z"},
              {"labels": {"alertname": "NgaoProviderDown", "severity": "critical", "provider": "mobile-money-hub"},
               "annotations": {"summary": "mobile-money-hub is down",
                               "description": "The reconciler's heartbeat has failed for 5 minutes.",
                               "runbook_url": "docs/runbook.md#a-provider-down-or-misbehaving"},
               "state": "firing", "activeAt": "2026-12-07T12:00:00Z", "value": "0e+00"}
            ]}}
            """;

    private final HttpServer server;
    private volatile int status = 200;
    private volatile String body = ALERTS;

    StubPrometheus() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(AlertFeed.ALERTS_PATH, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void answer(int status, String body) {
        this.status = status;
        this.body = body;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
