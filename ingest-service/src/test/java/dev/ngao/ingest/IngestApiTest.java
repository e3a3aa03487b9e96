package dev.ngao.ingest;

import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.auth.ClientAddressResolver;
import dev.ngao.ingest.auth.Environment;
import dev.ngao.ingest.auth.InMemoryKeyStore;
import dev.ngao.ingest.auth.NonceCache;
import dev.ngao.ingest.auth.RateLimiter;
import dev.ngao.ingest.auth.SignedRequestGuard;
import dev.ngao.ingest.auth.TestKeys;
import dev.ngao.ingest.idempotency.ClaimStore;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.ingest.idempotency.InMemoryClaimLog;
import dev.ngao.ingest.payment.PaymentRequestEvents;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.pii.PiiProtector;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
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
    private HttpTestClient client;

    @BeforeEach
    void startApi() throws Exception {
        vertx = Vertx.vertx();
        producer = new MockProducer<>(false, null, new StringSerializer(), (topic, event) -> new byte[0]);
        statusView = new PaymentStatusView(100);
        ClaimStore claimStore = new ClaimStore(new InMemoryClaimLog(), 100, "test", Clock.systemUTC(),
                Duration.ofMinutes(3), Duration.ofHours(48), Duration.ofSeconds(5));
        claimStore.start();
        InMemoryKeyStore keys = new InMemoryKeyStore();
        keys.save(TestKeys.key(KEY_ID, "merchant-a", SECRET, Instant.now()));
        IngestApi api = IngestApi.of(vertx,
                new SignedRequestGuard(keys, Environment.SANDBOX, 300, new NonceCache(1_000),
                        new ClientAddressResolver(List.of()), false, Clock.systemUTC()),
                new RateLimiter(List.of()),
                List.of(new Idempotency(claimStore, Duration.ofSeconds(1), Clock.systemUTC()).guard()),
                List.of(new PaymentRoutes(
                        new PaymentRequestEvents(new PiiProtector("unit-test-pepper-0123".getBytes(StandardCharsets.UTF_8)),
                                Clock.systemUTC()),
                        new PaymentRequestPublisher(vertx, producer, KAFKA_TIMEOUT_MS), statusView, 4_096)),
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
        // Given a valid payment sent while Kafka has not acknowledged yet
        CompletableFuture<HttpResponse<String>> response = client.postPaymentAsync(KEY_ID, SECRET, HttpTestClient.VALID_BODY);
        await().atMost(5, TimeUnit.SECONDS).until(() -> producer.history().size() == 1);

        // Then no answer is given before the acknowledgement
        Thread.sleep(100);
        assertThat(response).isNotDone();

        // When Kafka acknowledges
        producer.completeNext();

        // Then the payment is accepted, pending, and visible in the status view
        HttpResponse<String> accepted = response.get(5, TimeUnit.SECONDS);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String transactionId = new JsonObject(accepted.body()).getString("transactionId");
        assertThat(accepted.headers().firstValue("Location")).hasValue("/v1/payments/" + transactionId);
        assertThat(producer.history().get(0).value().getTransactionId()).isEqualTo(transactionId);
        assertThat(statusView.find(transactionId)).isPresent();
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenKafkaFails() throws Exception {
        // Given a valid payment whose write Kafka refuses
        CompletableFuture<HttpResponse<String>> response = client.postPaymentAsync(KEY_ID, SECRET, HttpTestClient.VALID_BODY);
        await().atMost(5, TimeUnit.SECONDS).until(() -> producer.history().size() == 1);
        producer.errorNext(new NotEnoughReplicasException("not enough replicas"));

        // Then the caller is told to retry and nothing was recorded as accepted
        assertUnavailable(response.get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldAnswer503WhenKafkaDoesNotAcknowledgeInTime() throws Exception {
        // Given a valid payment that Kafka never acknowledges
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
