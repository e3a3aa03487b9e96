package dev.ngao.platform.observability;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TraceContextTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void shouldGiveEachRequestItsOwnTraceWhenRequestsOverlap() throws Exception {
        // Given a server that keeps each request's trace on its context, then answers with it 200 ms later,
        // from a timer callback, while other requests arrive on the same event loop
        Router router = Router.router(vertx);
        router.get("/trace").handler(context -> {
            TraceContext.put(Traceparent.continueFrom(context.request().getHeader(Traceparent.HEADER)));
            vertx.setTimer(200, id -> context.response().end(TraceContext.current().orElseThrow().traceId()));
        });
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0).await();
        HttpClient http = HttpClient.newHttpClient();

        // When twenty requests with their own traces overlap
        List<String> sent = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int index = 0; index < 20; index++) {
            Traceparent trace = Traceparent.newTrace();
            sent.add(trace.traceId());
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                    + "/trace")).header(Traceparent.HEADER, trace.toString()).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }

        // Then each answer names its own request's trace
        for (int index = 0; index < sent.size(); index++) {
            assertThat(answers.get(index).get(10, TimeUnit.SECONDS).body()).isEqualTo(sent.get(index));
        }
    }

    @Test
    void shouldFindNoTraceWhenOutsideVertx() {
        TraceContext.put(Traceparent.newTrace());
        assertThat(TraceContext.current()).isEmpty();
    }

    @Test
    void shouldNameTraceAndTransactionInTheMdcUntilTheScopeCloses() {
        // Given a trace
        Traceparent trace = Traceparent.newTrace();

        // When a scope is open, and after it closed
        try (TraceContext.LogScope ignored = TraceContext.log(trace, "txn-1")) {
            assertThat(MDC.get(TraceContext.TRACE_ID_KEY)).isEqualTo(trace.traceId());
            assertThat(MDC.get(TraceContext.TRANSACTION_ID_KEY)).isEqualTo("txn-1");
        }

        // Then nothing stays behind
        assertThat(MDC.get(TraceContext.TRACE_ID_KEY)).isNull();
        assertThat(MDC.get(TraceContext.TRANSACTION_ID_KEY)).isNull();
    }
}
