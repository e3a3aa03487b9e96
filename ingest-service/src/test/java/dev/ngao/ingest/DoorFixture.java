package dev.ngao.ingest;

import dev.ngao.ingest.state.SharedTestStateStores;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
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
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.payment.PaymentTestWiring;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.ingest.webhook.ProviderStatusView;
import dev.ngao.ingest.webhook.SubmittedTransactions;
import dev.ngao.ingest.webhook.WebhookAudit;
import dev.ngao.ingest.webhook.WebhookEndpoint;
import dev.ngao.ingest.webhook.WebhookRoutes;
import dev.ngao.platform.pii.PiiProtector;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP API over a real server, with Kafka replaced by producers the test completes or fails by hand
 * and the claim log kept in memory: the contract of the routes without a broker.
 */
final class DoorFixture implements AutoCloseable {

    static final String KEY_A = "key-a";
    static final String SECRET_A = "secret-of-merchant-a-000000001";
    static final String KEY_B = "key-b";
    static final String SECRET_B = "secret-of-merchant-b-000000002";
    static final long KAFKA_TIMEOUT_MS = 500;

    final Vertx vertx = Vertx.vertx();
    final MockProducer<String, PaymentRequest> payments;
    final MockProducer<String, ProviderEvent> providerEvents;
    final InMemoryClaimLog claimLog;
    final ClaimStore claimStore;
    final PaymentTestWiring paymentWiring;
    final PaymentStatusView statusView = new PaymentStatusView(SharedTestStateStores.get(), 100);
    final ProviderStatusView providerStatusView = new ProviderStatusView(SharedTestStateStores.get(), 100);
    /** What webhooks may name; the tests record the transactions they stand for. */
    final SubmittedTransactions submittedTransactions = new SubmittedTransactions(SharedTestStateStores.get(), 100);
    final List<String> audit = Collections.synchronizedList(new ArrayList<>());
    final HttpServer server;
    final HttpTestClient client;

    /**
     * @param autoComplete whether Kafka acknowledges every write at once
     * @param waitForFirst how long a retry waits for a request still in progress
     */
    DoorFixture(boolean autoComplete, Duration waitForFirst, Clock clock, List<WebhookEndpoint> webhooks) throws Exception {
        this(new MockProducer<>(autoComplete, null, new StringSerializer(), (topic, event) -> new byte[0]),
                new InMemoryClaimLog(), autoComplete, waitForFirst, clock, webhooks);
    }

    /**
     * Another instance on the same Kafka (the same payments producer, a sibling of the claim log), with its
     * own clock.
     */
    DoorFixture sibling(Clock clock) throws Exception {
        return new DoorFixture(payments, claimLog.sibling(), true, Duration.ofSeconds(5), clock, List.of());
    }

    private DoorFixture(MockProducer<String, PaymentRequest> payments, InMemoryClaimLog claimLog, boolean autoComplete,
                        Duration waitForFirst, Clock clock, List<WebhookEndpoint> webhooks) throws Exception {
        this.payments = payments;
        this.claimLog = claimLog;
        providerEvents = new MockProducer<>(autoComplete, null, new StringSerializer(), (topic, event) -> new byte[0]);
        // Claims wait for Kafka as long as events do, as in the service.
        claimStore = new ClaimStore(claimLog, SharedTestStateStores.get(), 1_000, "test-instance", clock,
                Duration.ofMinutes(3), Duration.ofHours(48), Duration.ofMillis(KAFKA_TIMEOUT_MS));
        paymentWiring = PaymentTestWiring.create(claimStore,
                new PiiProtector("unit-test-pepper-0123".getBytes(StandardCharsets.UTF_8)),
                new PaymentRequestPublisher(vertx, payments, KAFKA_TIMEOUT_MS), statusView, 4_096, clock);
        claimStore.start();
        Idempotency idempotency = new Idempotency(claimStore, waitForFirst, clock);
        WebhookAudit recordingAudit = (provider, action, reason, subjectId, clientAddress) ->
                audit.add(action + " " + provider + " " + reason);
        InMemoryKeyStore keys = new InMemoryKeyStore();
        keys.save(TestKeys.key(KEY_A, "merchant-a", SECRET_A, Instant.now()));
        keys.save(TestKeys.key(KEY_B, "merchant-b", SECRET_B, Instant.now()));
        // Signatures are checked on the real clock: the test clock moves idempotency expiry, not request time.
        IngestApi api = IngestApi.of(vertx,
                new SignedRequestGuard(keys, Environment.SANDBOX, 300, new NonceCache(100_000),
                        new ClientAddressResolver(List.of()), false, Clock.systemUTC()),
                new RateLimiter(List.of()),
                List.of(idempotency.guard()),
                List.of(paymentWiring.routes(),
                        new WebhookRoutes(webhooks, idempotency,
                                new AcknowledgedPublisher<>(vertx, providerEvents, Topics.PROVIDER_EVENTS, KAFKA_TIMEOUT_MS),
                                providerStatusView, () -> CompletableFuture.completedFuture(null),
                                submittedTransactions, () -> CompletableFuture.completedFuture(null), recordingAudit, clock,
                                4_096, Duration.ofSeconds(2), Duration.ofSeconds(1))),
                4_096);
        server = vertx.createHttpServer().requestHandler(api.router()).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client = new HttpTestClient(server.actualPort());
    }

    /** What this instance's reader of payments.requests does: tells the relay of every event on the topic. */
    void readPaymentsBack() {
        payments.history().forEach(record -> paymentWiring.relay().published(record.value().getTransactionId()));
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        claimStore.close();
    }
}
