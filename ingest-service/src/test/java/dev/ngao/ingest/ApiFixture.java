package dev.ngao.ingest;

import dev.ngao.ingest.state.SharedTestStateStores;
import dev.ngao.events.Outcome;
import dev.ngao.ingest.card.CardAuthorizationRoutes;
import dev.ngao.ingest.card.CardValidity;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.EmergencyStop;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.ClientAddressResolver;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.InMemoryKeyStore;
import dev.ngao.platform.auth.NonceCache;
import dev.ngao.ingest.approval.ApprovalDesk;
import dev.ngao.ingest.approval.ApprovalRoutes;
import dev.ngao.ingest.approval.ApprovalView;
import dev.ngao.ingest.approval.InMemoryApprovalLog;
import dev.ngao.ingest.approval.PayoutThresholds;
import dev.ngao.ingest.auth.RateLimiter;
import dev.ngao.platform.testing.MutableClock;
import dev.ngao.events.CardEvent;
import dev.ngao.platform.auth.SignedRequestGuard;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.ingest.idempotency.ClaimStore;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.ingest.idempotency.InMemoryClaimLog;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.ops.IngestMetrics;
import dev.ngao.ingest.ops.Operations;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.payment.PaymentTestWiring;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.ingest.stop.EmergencyStopRoutes;
import dev.ngao.ingest.stop.EmergencyStopValidator;
import dev.ngao.ingest.stop.EmergencyStopView;
import dev.ngao.ingest.webhook.WebhookConfig;
import dev.ngao.ingest.webhook.ProviderStatusView;
import dev.ngao.ingest.webhook.SubmittedTransactions;
import dev.ngao.ingest.webhook.WebhookAudit;
import dev.ngao.ingest.webhook.WebhookRoutes;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.pii.PiiProtector;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole API as {@link IngestService} wires it (observers, operations routes, guards, payment routes,
 * provider webhooks, HTTP limits, invalid-request answers), on MockProducers, keys in memory and a readiness
 * probe the test switches. Requests are signed with {@link #signed} as a merchant signs them.
 */
public final class ApiFixture implements AutoCloseable {

    public static final String KEY_ID = "key-a";
    public static final String MERCHANT_ID = "merchant-a";
    public static final String SECRET = "secret-of-merchant-a-000000001";
    public static final int BODY_LIMIT_BYTES = 4_096;
    public static final long KAFKA_TIMEOUT_MS = 2_000;
    public static final Duration READINESS_INTERVAL = Duration.ofMillis(50);
    /** Every provider's webhook secret here. */
    public static final String WEBHOOK_SECRET = ProviderCalls.SECRET;
    /** KES payouts above 10,000.00 wait for approval; merchant-a's UGX payouts above 50,000. */
    public static final PayoutThresholds PAYOUT_THRESHOLDS =
            PayoutThresholds.parse(List.of("*:KES:1000000", MERCHANT_ID + ":UGX:50000"));
    public static final Duration APPROVAL_TIME_TO_LIVE = Duration.ofHours(24);
    public static final int MAX_PENDING_APPROVALS = 5;
    public static final int MAX_CARD_BATCH = 3;

    public final Vertx vertx;
    public final MockProducer<String, PaymentRequest> paymentProducer;
    public final MockProducer<String, ProviderEvent> providerEventProducer;
    /** The keys the door knows: {@link #KEY_ID} from loopback; tests may save others. */
    public final InMemoryKeyStore keys = new InMemoryKeyStore();
    public final Producer<String, AuditRecord> auditProducer;
    public final PaymentStatusView statusView = new PaymentStatusView(SharedTestStateStores.get(), 1_000);
    public final IngestMetrics metrics = new IngestMetrics();
    public final AtomicBoolean kafkaReachable = new AtomicBoolean(true);
    public final Operations operations;
    /** The claim log under {@link #claimStore}: tests may delay or hold its appends. */
    public final InMemoryClaimLog claimLog = new InMemoryClaimLog();
    public final ClaimStore claimStore;
    /** The transactions webhooks may name; tests record those they stand for. */
    public final SubmittedTransactions submittedTransactions = new SubmittedTransactions(SharedTestStateStores.get(), 1_000);
    public final MerchantApi merchantApi;
    /** What the emergency-stop routes write to risk.stops, acknowledged at once. */
    public final MockProducer<String, EmergencyStop> stopProducer = acknowledging();
    /** The stops in force, fed from {@link #stopProducer} whenever a list waits for it, as the follower would. */
    public final EmergencyStopView stopView = new EmergencyStopView();
    /** What card issuance writes to cards.events, acknowledged at once. */
    public final MockProducer<String, CardEvent> cardEventProducer = acknowledging();
    /** The clock of approvals (when they were made, when they expire): tests move it. */
    public final MutableClock approvalClock = new MutableClock(Instant.now());
    /** ingest.approvals in memory, and the desk over it: payouts above {@link #PAYOUT_THRESHOLDS} and card batches. */
    public final ApprovalView approvalView = new ApprovalView(1_000);
    public final InMemoryApprovalLog approvalLog = new InMemoryApprovalLog(approvalView);
    public final ApprovalDesk approvals;
    /** Approval audit records (approval.requested, approved, rejected, expired), as the service writes them. */
    public final List<AuditRecord> approvalAudit = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final Router router;
    public final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiFixture(boolean completePaymentWrites, Producer<String, AuditRecord> auditProducer,
                       List<CidrBlock> trustedProxies) throws Exception {
        this.vertx = Vertx.vertx();
        this.paymentProducer = new MockProducer<>(completePaymentWrites, null, new StringSerializer(),
                (topic, event) -> new byte[0]);
        this.providerEventProducer = new MockProducer<>(true, null, new StringSerializer(),
                (topic, event) -> new byte[0]);
        this.auditProducer = auditProducer;
        this.operations = new Operations(metrics, auditProducer, kafkaReachable::get, READINESS_INTERVAL,
                Clock.systemUTC());
        this.claimStore = new ClaimStore(claimLog, SharedTestStateStores.get(), 100_000, "fixture", Clock.systemUTC(),
                Duration.ofMinutes(3), Duration.ofHours(48), Duration.ofSeconds(5));
        claimStore.start();
        keys.save(TestKeys.key(KEY_ID, MERCHANT_ID, SECRET, Instant.now()));
        Idempotency idempotency = new Idempotency(claimStore, Duration.ofSeconds(1), Clock.systemUTC());
        PaymentRequestPublisher paymentPublisher = new PaymentRequestPublisher(vertx, paymentProducer, KAFKA_TIMEOUT_MS,
                metrics);
        byte[] pepper = "unit-test-pepper-0123".getBytes(StandardCharsets.UTF_8);
        // Every route group the service mounts, so the fuzz run and the OpenAPI check see every route.
        this.approvals = new ApprovalDesk(approvalLog, approvalView, approvalClock, APPROVAL_TIME_TO_LIVE,
                MAX_PENDING_APPROVALS, approvalAudit::add);
        this.merchantApi = MerchantApi.create(vertx, new MerchantApi.Producers(cardEventProducer, acknowledging(),
                        acknowledging(), acknowledging(), acknowledging()), paymentPublisher, statusView,
                SharedTestStateStores.get(), new MerchantApi.Settings(pepper, KAFKA_TIMEOUT_MS, BODY_LIMIT_BYTES,
                        new CardAuthorizationRoutes.Policy(500, Outcome.DECLINE), 1_000, new CardValidity(36),
                        Clock.systemUTC()));
        List<RouteGroup> groups = new ArrayList<>();
        groups.add(PaymentTestWiring.create(claimStore, new PiiProtector(pepper), paymentPublisher, statusView,
                BODY_LIMIT_BYTES, Clock.systemUTC(), approvals, PAYOUT_THRESHOLDS).routes());
        groups.addAll(merchantApi.routeGroups());
        groups.add(merchantApi.cardBatches(approvals, MAX_CARD_BATCH, BODY_LIMIT_BYTES));
        groups.add(new ApprovalRoutes(approvals, BODY_LIMIT_BYTES));
        groups.add(webhooks(idempotency));
        groups.add(emergencyStops());
        IngestApi api = IngestApi.of(vertx,
                new SignedRequestGuard(keys, Environment.SANDBOX, 300, new NonceCache(100_000),
                        new ClientAddressResolver(trustedProxies), false, Clock.systemUTC()),
                new RateLimiter(List.of()),
                List.of(idempotency.guard()),
                groups,
                BODY_LIMIT_BYTES)
                .withOperations(operations.observers(), operations.routes());
        this.router = api.router();
        this.server = operations.configure(vertx.createHttpServer(
                        operations.configure(new HttpServerOptions().setHost("127.0.0.1").setPort(0))))
                .requestHandler(router)
                .listen()
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Every provider's webhook, with {@link #WEBHOOK_SECRET}, as IngestService mounts them from its configuration. */
    private WebhookRoutes webhooks(Idempotency idempotency) {
        Map<String, String> secrets = new HashMap<>();
        for (ProviderCalls provider : ProviderCalls.values()) {
            secrets.put(provider.secretsKey, WEBHOOK_SECRET);
        }
        return new WebhookRoutes(WebhookApiTest.endpoints(secrets), idempotency,
                new AcknowledgedPublisher<>(vertx, providerEventProducer, Topics.PROVIDER_EVENTS, KAFKA_TIMEOUT_MS),
                new ProviderStatusView(SharedTestStateStores.get(), 1_000), () -> CompletableFuture.completedFuture(null),
                submittedTransactions, () -> CompletableFuture.completedFuture(null), WebhookAudit.LOGGING,
                Clock.systemUTC(), BODY_LIMIT_BYTES, Duration.ofSeconds(6), Duration.ofSeconds(1));
    }

    /** The emergency-stop routes over {@link #stopProducer}, every webhook provider known, as IngestService mounts them. */
    private EmergencyStopRoutes emergencyStops() {
        Set<String> providers = new HashSet<>();
        for (WebhookConfig.Provider provider : WebhookConfig.Provider.values()) {
            providers.add(provider.scheme().provider());
        }
        return new EmergencyStopRoutes(new EmergencyStopValidator(providers),
                new AcknowledgedPublisher<>(vertx, stopProducer, Topics.RISK_STOPS, KAFKA_TIMEOUT_MS), stopView, () -> {
                    stopProducer.history().forEach(record -> stopView.apply(record.value()));
                    return CompletableFuture.completedFuture(null);
                }, Duration.ofSeconds(2), Clock.systemUTC(), BODY_LIMIT_BYTES);
    }

    /** Payment writes acknowledged at once; audit records kept by a MockProducer that acknowledges them. */
    public static ApiFixture start() throws Exception {
        return new ApiFixture(true, auditMockProducer(true), List.of());
    }

    public static ApiFixture start(boolean completePaymentWrites, Producer<String, AuditRecord> auditProducer)
            throws Exception {
        return new ApiFixture(completePaymentWrites, auditProducer, List.of());
    }

    /** As {@link #start()}, with {@code trustedProxies} whose X-Forwarded-For the door believes. */
    public static ApiFixture startBehindProxies(Producer<String, AuditRecord> auditProducer,
                                                List<CidrBlock> trustedProxies) throws Exception {
        return new ApiFixture(true, auditProducer, trustedProxies);
    }

    /**
     * The headers of a request signed with {@link #KEY_ID}'s secret over the raw {@code pathAndQuery} and
     * {@code body}, with {@code Content-Type: application/json} when there is a body and a fresh
     * {@code Idempotency-Key} on a POST: what a merchant sends.
     */
    public static Map<String, String> signed(String method, String pathAndQuery, byte[] body) {
        return signed(SECRET, method, pathAndQuery, body);
    }

    /** As {@link #signed(String, String, byte[])}, with {@code secret} (a wrong one, say) for {@link #KEY_ID}. */
    public static Map<String, String> signed(String secret, String method, String pathAndQuery, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>(
                new RequestSigner(KEY_ID, secret).sign(method, pathAndQuery, body).asMap());
        if (body != null && body.length > 0) {
            headers.put("Content-Type", "application/json");
        }
        if ("POST".equals(method)) {
            headers.put(Idempotency.HEADER, UUID.randomUUID().toString());
        }
        return headers;
    }

    /**
     * POSTs {@code body} as {@code contentType} to {@code path}, signed with {@link #KEY_ID}, with
     * {@code idempotencyKey}, over real HTTP; waits for the answer.
     */
    public HttpResponse<String> postSigned(String path, String contentType, String body, String idempotencyKey)
            throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        Map<String, String> headers = signed("POST", path, bytes);
        headers.put("Content-Type", contentType);
        headers.put(Idempotency.HEADER, idempotencyKey);
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends {@code method pathAndQuery} over real HTTP, signed with {@code keyId}'s {@code secret}: {@code body}
     * as JSON when not null, {@code idempotencyKey} when not null; waits for the answer.
     */
    public HttpResponse<String> sendSigned(String keyId, String secret, String method, String pathAndQuery,
                                           String body, String idempotencyKey) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        new RequestSigner(keyId, secret).sign(method, pathAndQuery, bytes).asMap().forEach(request::header);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (idempotencyKey != null) {
            request.header(Idempotency.HEADER, idempotencyKey);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Gives {@link #KEY_ID} {@code scopes} besides the payment scopes it has, to reach other areas' routes. */
    public void grantScopes(Set<String> scopes) {
        Set<String> granted = new HashSet<>(TestKeys.PAYMENT_SCOPES);
        granted.addAll(scopes);
        keys.save(TestKeys.withScopes(TestKeys.key(KEY_ID, MERCHANT_ID, SECRET, Instant.now()), granted));
    }

    public static MockProducer<String, AuditRecord> auditMockProducer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), (topic, record) -> new byte[0]);
    }

    public int port() {
        return server.actualPort();
    }

    private static <V> MockProducer<String, V> acknowledging() {
        return new MockProducer<>(true, null, new StringSerializer(), (topic, value) -> new byte[0]);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        merchantApi.close();
        operations.close();
        claimStore.close();
    }
}
