package dev.ngao.ingest;

import dev.ngao.ingest.state.SharedTestStateStores;
import dev.ngao.events.PaymentRequest;
import dev.ngao.platform.auth.ClientAddressResolver;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.InMemoryKeyStore;
import dev.ngao.platform.auth.NonceCache;
import dev.ngao.ingest.auth.RateLimiter;
import dev.ngao.platform.auth.SignedRequestGuard;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.ingest.idempotency.ClaimStore;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.ingest.idempotency.InMemoryClaimLog;
import dev.ngao.ingest.payment.PaymentTestWiring;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.pii.PiiProtector;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The HTTP contract around Kafka's acknowledgement, with a producer the test completes or fails by hand. */
class IngestApiTest {

    private static final String KEY_ID = "key-a";
    private static final String SECRET = "secret-of-merchant-a-000000001";
    private static final long KAFKA_TIMEOUT_MS = 500;

    private Vertx vertx;
    private HttpServer server;
    private MockProducer<String, PaymentRequest> producer;
    private PaymentStatusView statusView;
    private InMemoryClaimLog claimLog;
    private HttpTestClient client;

    @BeforeEach
    void startApi() throws Exception {
        vertx = Vertx.vertx();
        producer = new MockProducer<>(false, null, new StringSerializer(), (topic, event) -> new byte[0]);
        statusView = new PaymentStatusView(SharedTestStateStores.get(), 100);
        claimLog = new InMemoryClaimLog();
        ClaimStore claimStore = new ClaimStore(claimLog, SharedTestStateStores.get(), 100, "test", Clock.systemUTC(),
                Duration.ofMinutes(3), Duration.ofHours(48), Duration.ofMillis(KAFKA_TIMEOUT_MS));
        PaymentRoutes payments = PaymentTestWiring.create(claimStore,
                new PiiProtector("unit-test-pepper-0123".getBytes(StandardCharsets.UTF_8)),
                new PaymentRequestPublisher(vertx, producer, KAFKA_TIMEOUT_MS), statusView, 4_096, Clock.systemUTC())
                .routes();
        claimStore.start();
        InMemoryKeyStore keys = new InMemoryKeyStore();
        keys.save(TestKeys.key(KEY_ID, "merchant-a", SECRET, Instant.now()));
        IngestApi api = IngestApi.of(vertx,
                new SignedRequestGuard(keys, Environment.SANDBOX, 300, new NonceCache(1_000),
                        new ClientAddressResolver(List.of()), false, Clock.systemUTC()),
                new RateLimiter(List.of()),
                List.of(new Idempotency(claimStore, Duration.ofSeconds(1), Clock.systemUTC()).guard()),
                List.of(payments),
                4_096);
        server = vertx.createHttpServer().requestHandler(api.router()).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client = new HttpTestClient(server.actualPort());
    }

    @AfterEach
    void stopApi() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldAnswer202OnlyAfterKafkaAcknowledged() throws Exception {
        // Given a valid payment sent while Kafka has not acknowledged its one write (the accepting claim) yet
        claimLog.holdAppends(true);
        CompletableFuture<HttpResponse<String>> response = client.postPaymentAsync(KEY_ID, SECRET, HttpTestClient.VALID_BODY);
        await().atMost(5, TimeUnit.SECONDS).until(() -> claimLog.heldCount() == 1);

        // Then no answer is given before the acknowledgement, and no event is published
        Thread.sleep(100);
        assertThat(response).isNotDone();
        assertThat(producer.history()).isEmpty();

        // When Kafka acknowledges
        claimLog.landHeld();

        // Then the payment is accepted, pending, visible in the status view, and its event is on its way
        HttpResponse<String> accepted = response.get(5, TimeUnit.SECONDS);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String transactionId = new JsonObject(accepted.body()).getString("transactionId");
        assertThat(accepted.headers().firstValue("Location")).hasValue("/v1/payments/" + transactionId);
        assertThat(producer.history()).hasSize(1);
        assertThat(producer.history().get(0).value().getTransactionId()).isEqualTo(transactionId);
        assertThat(statusView.find(transactionId)).isPresent();
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenKafkaFails() throws Exception {
        // Given a valid payment whose accepting claim Kafka refuses
        claimLog.holdAppends(true);
        CompletableFuture<HttpResponse<String>> response = client.postPaymentAsync(KEY_ID, SECRET, HttpTestClient.VALID_BODY);
        await().atMost(5, TimeUnit.SECONDS).until(() -> claimLog.heldCount() == 1);
        claimLog.failHeld();

        // Then the caller is told to retry, nothing was recorded as accepted, and no event was written
        assertUnavailable(response.get(5, TimeUnit.SECONDS));
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldAnswer503WhenKafkaDoesNotAcknowledgeInTime() throws Exception {
        // Given a valid payment whose claim Kafka never acknowledges
        claimLog.holdAppends(true);
        CompletableFuture<HttpResponse<String>> response = client.postPaymentAsync(KEY_ID, SECRET, HttpTestClient.VALID_BODY);

        // Then the timeout answers 503 instead of waiting forever
        assertUnavailable(response.get(5, TimeUnit.SECONDS));
    }

    private void assertUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(new JsonObject(response.body()).getString("type")).endsWith("/unavailable");
        assertThat(response.body()).doesNotContain("txn_");
        assertThat(statusView.size()).isZero();
    }
}
