package dev.ngao.launcher.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The open-loop generator against small local servers whose behaviour the test decides. */
class OpenLoopLoadTest {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final OpenLoopLoad load = new OpenLoopLoad(vertx, 64);

    /** The first second of a fresh JVM (class loading, JIT, connections) takes hundreds of ms: not measured. */
    @BeforeEach
    void warmUp() throws Exception {
        load.run("warm", server(202, 0, 0), requests(), 200, Duration.ofSeconds(2), 202);
    }

    @AfterEach
    void stop() throws Exception {
        load.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldAnswerEveryRequestAtTheRateWhenTheServerKeepsUp() throws Exception {
        URI target = server(202, 0, 0);

        OpenLoopLoad.Result result = load.run("fast", target, requests(), 200, Duration.ofSeconds(2), 202);

        assertThat(result.scheduled()).isEqualTo(400);
        assertThat(result.succeeded()).isEqualTo(400);
        assertThat(result.errors()).isEmpty();
        assertThat(result.sendRate()).isBetween(190.0, 210.0);
        // Far below the slow server's 300 ms, with room for a machine shared with other builds
        assertThat(result.p50Millis()).isLessThan(250);
    }

    @Test
    void shouldKeepSendingAtTheRateWhenTheServerIsSlow() throws Exception {
        // Given a server that takes 300 ms per answer: a closed loop of a few workers would slow down
        URI target = server(202, 300, 0);

        OpenLoopLoad.Result result = load.run("slow", target, requests(), 100, Duration.ofSeconds(2), 202);

        // Then the requests still left at 100 per second, and each waited its 300 ms
        assertThat(result.sendRate()).isBetween(95.0, 105.0);
        assertThat(result.succeeded()).isEqualTo(200);
        assertThat(result.p50Millis()).isBetween(290.0, 5_000.0);
    }

    @Test
    void shouldCountTheDelayFromTheIntendedSendTimeWhenTheGeneratorFallsBehind() throws Exception {
        // Given a fast server, and a generator stalled for 400 ms when making its 20th request
        URI target = server(202, 0, 0);
        AtomicInteger made = new AtomicInteger();
        OpenLoopLoad.Requests stalling = () -> {
            if (made.incrementAndGet() == 20) {
                sleep(400);
            }
            return requests().next();
        };

        OpenLoopLoad.Result result = load.run("stalled", target, stalling, 100, Duration.ofSeconds(2), 202);

        // Then the ~40 requests that were due during the stall count it: the worst waited about 400 ms, and
        // more than 1 % waited over 200 ms (a generator timing from the actual send would see ~1 ms)
        assertThat(result.maxMillis()).isBetween(380.0, 2_000.0);
        assertThat(result.p99Millis()).isGreaterThan(200.0);
        assertThat(result.succeeded()).isEqualTo(200);
    }

    @Test
    void shouldCountErrorsByStatusWhenTheServerRefuses() throws Exception {
        URI target = server(202, 0, 5);

        OpenLoopLoad.Result result = load.run("refusing", target, requests(), 100, Duration.ofSeconds(1), 202);

        assertThat(result.errors()).containsOnlyKeys("HTTP 503");
        assertThat(result.errors().get("HTTP 503")).isEqualTo(20);
        assertThat(result.succeeded()).isEqualTo(80);
    }

    @Test
    void shouldHandEachExpectedAnswerBodyToTheObserverWhenOneIsGiven() throws Exception {
        // Given a server that refuses every 5th request
        URI target = server(202, 0, 5);
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());

        OpenLoopLoad.Result result = load.run("observed", target, requests(), 100, Duration.ofSeconds(1), 202,
                (body, latencyNanos) -> bodies.add(body.toString() + (latencyNanos > 0 ? "" : " without latency")));

        // Then the observer saw the body of each 202 with its latency, and nothing of the refusals
        assertThat(result.succeeded()).isEqualTo(80);
        assertThat(bodies).hasSize(80).containsOnly("{}");
    }

    /** A server answering {@code status} after {@code delayMs}, and 503 to every {@code refuseEvery}-th request. */
    private URI server(int status, long delayMs, int refuseEvery) throws Exception {
        AtomicInteger received = new AtomicInteger();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            int number = received.incrementAndGet();
            int answer = refuseEvery > 0 && number % refuseEvery == 0 ? 503 : status;
            if (delayMs == 0) {
                request.response().setStatusCode(answer).end("{}");
            } else {
                vertx.setTimer(delayMs, ignored -> request.response().setStatusCode(answer).end("{}"));
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/v1/payments");
    }

    private static OpenLoopLoad.Requests requests() {
        return () -> new OpenLoopLoad.Request(HttpHeaders.headers().add("Content-Type", "application/json"),
                Buffer.buffer("{\"amount\":\"1.00\"}"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
