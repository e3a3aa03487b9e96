package dev.ngao.launcher.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks' baseline: a bare Vert.x endpoint that reads the body and answers 202 with a transaction
 * id, as the real door does, minus the work (no signature check, no validation, no Kafka).
 */
final class BareEndpoint {

    private BareEndpoint() {
    }

    static HttpServer start(Vertx vertx) throws Exception {
        return vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> request.response()
                        .setStatusCode(202)
                        .putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("transactionId", "txn_" + UUID.randomUUID()).put("status", "PENDING")
                                .encode())))
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static URI paymentsUri(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/v1/payments");
    }
}
