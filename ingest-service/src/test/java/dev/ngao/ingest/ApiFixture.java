package dev.ngao.ingest;

import dev.ngao.events.AuditRecord;
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
import dev.ngao.ingest.ops.IngestMetrics;
import dev.ngao.ingest.ops.Operations;
import dev.ngao.ingest.payment.PaymentRequestEvents;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.pii.PiiProtector;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole API as {@link IngestService} wires it (observers, operations routes, guards, payment routes,
 * HTTP limits, invalid-request answers), on MockProducers and a readiness probe the test switches.
 */
public final class ApiFixture implements AutoCloseable {

    public static final String KEY_ID = "key-a";
    public static final String MERCHANT_ID = "merchant-a";
    public static final String SECRET = "secret-of-merchant-a-000000001";
    public static final int BODY_LIMIT_BYTES = 4_096;
    public static final long KAFKA_TIMEOUT_MS = 2_000;
    public static final Duration READINESS_INTERVAL = Duration.ofMillis(50);

    public final Vertx vertx;
    public final MockProducer<String, PaymentRequest> paymentProducer;
    public final Producer<String, AuditRecord> auditProducer;
    public final PaymentStatusView statusView = new PaymentStatusView(1_000);
    public final IngestMetrics metrics = new IngestMetrics();
    public final AtomicBoolean kafkaReachable = new AtomicBoolean(true);
    public final Operations operations;
    public final ClaimStore claimStore;
    public final Router router;
    public final HttpServer server;

    private ApiFixture(boolean completePaymentWrites, Producer<String, AuditRecord> auditProducer) throws Exception {
        this.vertx = Vertx.vertx();
        this.paymentProducer = new MockProducer<>(completePaymentWrites, null, new StringSerializer(),
                (topic, event) -> new byte[0]);
        this.auditProducer = auditProducer;
        this.operations = new Operations(metrics, auditProducer, kafkaReachable::get, READINESS_INTERVAL,
                Clock.systemUTC());
        this.claimStore = new ClaimStore(new InMemoryClaimLog(), 100_000, "fixture", Clock.systemUTC(),
                Duration.ofMinutes(3), Duration.ofHours(48), Duration.ofSeconds(5));
        claimStore.start();
        InMemoryKeyStore keys = new InMemoryKeyStore();
        keys.save(TestKeys.key(KEY_ID, MERCHANT_ID, SECRET, Instant.now()));
        IngestApi api = IngestApi.of(vertx,
                new SignedRequestGuard(keys, Environment.SANDBOX, 300, new NonceCache(100_000),
                        new ClientAddressResolver(List.of()), false, Clock.systemUTC()),
                new RateLimiter(List.of()),
                List.of(new Idempotency(claimStore, Duration.ofSeconds(1), Clock.systemUTC()).guard()),
                List.of(new PaymentRoutes(
                        new PaymentRequestEvents(new PiiProtector("unit-test-pepper-0123".getBytes(StandardCharsets.UTF_8)),
                                Clock.systemUTC()),
                        new PaymentRequestPublisher(vertx, paymentProducer, KAFKA_TIMEOUT_MS, metrics), statusView,
                        BODY_LIMIT_BYTES)),
                BODY_LIMIT_BYTES)
                .withOperations(operations.observers(), operations.routes());
        this.router = api.router();
        this.server = operations.configure(vertx.createHttpServer(
                        operations.configure(new HttpServerOptions().setHost("127.0.0.1").setPort(0))))
                .requestHandler(router)
                .listen()
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Payment writes acknowledged at once; audit records kept by a MockProducer that acknowledges them. */
    public static ApiFixture start() throws Exception {
        return new ApiFixture(true, auditMockProducer(true));
    }

    public static ApiFixture start(boolean completePaymentWrites, Producer<String, AuditRecord> auditProducer)
            throws Exception {
        return new ApiFixture(completePaymentWrites, auditProducer);
    }

    public static MockProducer<String, AuditRecord> auditMockProducer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), (topic, record) -> new byte[0]);
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        operations.close();
        claimStore.close();
    }
}
