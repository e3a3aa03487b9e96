package dev.ngao.notifier;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A merchant's webhook endpoint for tests: verifies every request's Standard Webhooks signature with the
 * merchant's secret, fails the first {@code failures} attempts of each message with 503 (or every attempt
 * while {@link #down} is set), then acknowledges with 200.
 */
final class MerchantServer implements AutoCloseable {

    record Received(String webhookId, long timestamp, String body, boolean signatureValid, int answered) {
    }

    final AtomicBoolean down = new AtomicBoolean();
    private final int failures;
    private final WebhookSecret secret;
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<Received> received = new ArrayList<>();

    MerchantServer(int failures, WebhookSecret secret) throws Exception {
        this.failures = failures;
        this.secret = secret;
        this.server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> answer(request,
                        body.toString(StandardCharsets.UTF_8))))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void answer(HttpServerRequest request, String body) {
        String webhookId = request.getHeader(WebhookSigner.ID_HEADER);
        long timestamp = Long.parseLong(request.getHeader(WebhookSigner.TIMESTAMP_HEADER));
        boolean valid = WebhookSigner.verify(secret, webhookId, timestamp, body.getBytes(StandardCharsets.UTF_8),
                request.getHeader(WebhookSigner.SIGNATURE_HEADER));
        int attempt = attempts.computeIfAbsent(webhookId, id -> new AtomicInteger()).incrementAndGet();
        int status = !valid ? 401 : down.get() || attempt <= failures ? 503 : 200;
        synchronized (received) {
            received.add(new Received(webhookId, timestamp, body, valid, status));
        }
        request.response().setStatusCode(status).end();
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/hooks/ngao";
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** How many times {@code webhookId} was acknowledged (answered 200). */
    long acknowledged(String webhookId) {
        return received().stream().filter(r -> r.webhookId().equals(webhookId) && r.answered() == 200).count();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
