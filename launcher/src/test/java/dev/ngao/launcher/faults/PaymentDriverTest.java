package dev.ngao.launcher.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.auth.RequestSigning;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class PaymentDriverTest {

    private HttpServer server;
    /** Idempotency key to the bodies and signatures its attempts carried, in order. */
    private final Map<String, List<String>> bodies = new ConcurrentHashMap<>();
    private final Map<String, List<String>> nonces = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A stand-in for the ingest door: answers each attempt as {@code answer} says, given the attempt's number. */
    private String serve(Function<Integer, Integer> statusOfAttempt) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        server.createContext("/v1/payments", exchange -> answer(exchange, attempts, statusOfAttempt));
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange, Map<String, AtomicInteger> attempts,
                        Function<Integer, Integer> statusOfAttempt) throws IOException {
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        bodies.computeIfAbsent(key, ignored -> new CopyOnWriteArrayList<>())
                .add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        nonces.computeIfAbsent(key, ignored -> new CopyOnWriteArrayList<>())
                .add(exchange.getRequestHeaders().getFirst(RequestSigning.NONCE_HEADER));
        int status = statusOfAttempt.apply(attempts.computeIfAbsent(key, ignored -> new AtomicInteger())
                .incrementAndGet());
        byte[] body = (status == 202 ? "{\"transactionId\":\"txn_" + key + "\",\"status\":\"PENDING\"}"
                : "{\"type\":\"refused\"}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Test
    void shouldSendARequestAgainWithTheSameKeyAndBodyAndAFreshSignatureUntilItIsAccepted() throws Exception {
        // Given a door that fails the first two attempts of every request (503, then 409: first still running)
        String url = serve(attempt -> attempt == 1 ? 503 : attempt == 2 ? 409 : 202);

        // When the driver sends payments for a while, then stops and waits for every final answer
        List<PaymentDriver.Payment> payments;
        PaymentDriver.Summary summary;
        try (PaymentDriver driver = new PaymentDriver(url, new RequestSigner("demo", "secret-0123456789"), "run",
                7, 50)) {
            driver.start();
            Thread.sleep(300);
            driver.stopNewRequests();
            assertThat(driver.awaitFinalAnswers(Duration.ofSeconds(30))).isTrue();
            payments = driver.payments();
            summary = driver.summary();
        }

        // Then each was sent three times, with one key and one body, signed anew each time, and accepted
        assertThat(payments).isNotEmpty().allSatisfy(payment -> {
            assertThat(payment.status()).isEqualTo(202);
            assertThat(payment.attempts()).isEqualTo(3);
            assertThat(payment.transactionId()).isEqualTo("txn_" + payment.key());
            assertThat(bodies.get(payment.key())).hasSize(3).containsOnly(bodies.get(payment.key()).get(0));
            assertThat(nonces.get(payment.key())).doesNotHaveDuplicates();
            assertThat(bodies.get(payment.key()).get(0)).contains("\"merchantReference\":\"" + payment.key() + "\"");
        });
        assertThat(summary.accepted()).isEqualTo(payments.size());
        assertThat(summary.retried()).isEqualTo(payments.size());
        assertThat(summary.unanswered()).isZero();
        assertThat(new ArrayList<>(bodies.keySet())).doesNotHaveDuplicates().hasSize(payments.size());
    }

    @Test
    void shouldKeepARefusalAsTheFinalAnswerWithoutSendingItAgain() throws Exception {
        String url = serve(attempt -> 422);

        try (PaymentDriver driver = new PaymentDriver(url, new RequestSigner("demo", "secret-0123456789"), "run",
                7, 50)) {
            driver.start();
            Thread.sleep(200);
            driver.stopNewRequests();
            assertThat(driver.awaitFinalAnswers(Duration.ofSeconds(30))).isTrue();

            assertThat(driver.payments()).isNotEmpty().allSatisfy(payment -> {
                assertThat(payment.status()).isEqualTo(422);
                assertThat(payment.attempts()).isEqualTo(1);
            });
            assertThat(driver.summary().refusedByStatus()).containsOnlyKeys(422);
        }
    }

    @Test
    void shouldLeaveARequestUnansweredWhileNothingAnswersIt() throws Exception {
        // Given a port nothing listens on
        String url = serve(attempt -> 202);
        server.stop(0);

        try (PaymentDriver driver = new PaymentDriver(url, new RequestSigner("demo", "secret-0123456789"), "run",
                7, 50)) {
            driver.start();
            Thread.sleep(200);
            driver.stopNewRequests();

            assertThat(driver.awaitFinalAnswers(Duration.ofMillis(500))).isFalse();
            assertThat(driver.summary().unanswered()).isEqualTo(driver.payments().size()).isPositive();
        }
    }
}
