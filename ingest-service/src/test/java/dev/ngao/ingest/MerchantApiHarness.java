package dev.ngao.ingest;

import dev.ngao.ingest.state.SharedTestStateStores;
import dev.ngao.events.CardAuthorizationAnswer;
import dev.ngao.events.CardEvent;
import dev.ngao.events.CardEventType;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.ingest.card.CardAuthorizationRoutes;
import dev.ngao.ingest.card.CardValidity;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.idempotency.ClaimStore;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.ingest.idempotency.InMemoryClaimLog;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.payment.PaymentTestWiring;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.pii.PiiProtector;
import dev.ngao.schemas.SampleEvents;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The merchant API's route groups (and the payment routes, for status reads) mounted in an {@link IngestApi}
 * behind a test guard instead of real authentication, with producers the tests complete or fail by hand.
 * The guard attaches a caller with the scopes and merchant named in two test headers; the idempotency guard
 * follows it, over an in-memory claim log, as in the service. Every POST gets a fresh {@code Idempotency-Key}
 * unless a test names one ({@link #sendWithKey}).
 */
public final class MerchantApiHarness implements AutoCloseable {

    public static final String MERCHANT = "merchant-a";
    public static final String OTHER_MERCHANT = "merchant-b";
    public static final String KEY_ID = ScopedTestGuard.KEY_ID;
    public static final String SCOPES_HEADER = ScopedTestGuard.SCOPES_HEADER;
    public static final String MERCHANT_HEADER = ScopedTestGuard.MERCHANT_HEADER;
    public static final String PEPPER = "unit-test-pepper-0123";
    public static final String CARD_ID = "card_0123456789abcdef0123456789abcdef";
    public static final String JSON = "application/json";
    public static final int BODY_LIMIT_BYTES = 16_384;
    public static final int CARD_VALIDITY_MONTHS = 36;

    public final Vertx vertx;
    public final MockProducer<String, PaymentRequest> payments = mockProducer();
    public final MockProducer<String, CardEvent> cards = mockProducer();
    public final MockProducer<String, CardAuthorizationAnswer> answers = mockProducer();
    public final MockProducer<String, ReviewResolution> reviews = mockProducer();
    public final MockProducer<String, ListEntryChange> lists = mockProducer();
    public final MockProducer<String, RuleSetPublished> ruleSets = mockProducer();
    public final PaymentStatusView statusView = new PaymentStatusView(SharedTestStateStores.get(), 1_000);
    public final PiiProtector pii = new PiiProtector(PEPPER.getBytes(StandardCharsets.UTF_8));
    public final MerchantApi api;
    public final ClaimStore claimStore;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    private MerchantApiHarness(CardAuthorizationRoutes.Policy policy, long kafkaTimeoutMs) throws Exception {
        vertx = Vertx.vertx();
        PaymentRequestPublisher paymentPublisher = new PaymentRequestPublisher(vertx, payments, kafkaTimeoutMs);
        api = MerchantApi.create(vertx, new MerchantApi.Producers(cards, answers, reviews, lists, ruleSets),
                paymentPublisher, statusView, SharedTestStateStores.get(),
                new MerchantApi.Settings(PEPPER.getBytes(StandardCharsets.UTF_8), kafkaTimeoutMs, BODY_LIMIT_BYTES, policy, 1_000, new CardValidity(CARD_VALIDITY_MONTHS),
                        Clock.systemUTC()));
        claimStore = new ClaimStore(new InMemoryClaimLog(), SharedTestStateStores.get(), 1_000, "test",
                Clock.systemUTC(), Duration.ofMinutes(3), Duration.ofHours(48), Duration.ofSeconds(5));
        List<RouteGroup> groups = new ArrayList<>();
        groups.add(PaymentTestWiring.create(claimStore, pii, paymentPublisher, statusView, BODY_LIMIT_BYTES,
                Clock.systemUTC()).routes());
        groups.addAll(api.routeGroups());
        claimStore.start();
        IngestApi ingestApi = new IngestApi(vertx, List.of(new ScopedTestGuard(MERCHANT),
                new Idempotency(claimStore, Duration.ofSeconds(1), Clock.systemUTC()).guard()), groups, BODY_LIMIT_BYTES);
        server = vertx.createHttpServer().requestHandler(ingestApi.router()).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        baseUrl = "http://127.0.0.1:" + server.actualPort();
    }

    public static MerchantApiHarness start() throws Exception {
        return new MerchantApiHarness(new CardAuthorizationRoutes.Policy(2_000, Outcome.DECLINE), 2_000);
    }

    public static MerchantApiHarness start(CardAuthorizationRoutes.Policy policy, long kafkaTimeoutMs) throws Exception {
        return new MerchantApiHarness(policy, kafkaTimeoutMs);
    }

    private static <V> MockProducer<String, V> mockProducer() {
        return new MockProducer<>(false, null, new StringSerializer(), (topic, value) -> new byte[0]);
    }

    /** A request by the default merchant with {@code scopes}; {@code body} null sends none. */
    public CompletableFuture<HttpResponse<String>> send(String method, String path, Set<String> scopes, String contentType,
                                                 String body) {
        return sendAs(MERCHANT, method, path, scopes, contentType, body);
    }

    public CompletableFuture<HttpResponse<String>> sendAs(String merchant, String method, String path, Set<String> scopes,
                                                   String contentType, String body) {
        String idempotencyKey = "POST".equals(method) ? UUID.randomUUID().toString() : null;
        return sendAs(merchant, idempotencyKey, method, path, scopes, contentType, body);
    }

    /** A request by the default merchant with {@code idempotencyKey} (null: no {@code Idempotency-Key} header). */
    public CompletableFuture<HttpResponse<String>> sendWithKey(String idempotencyKey, String method, String path,
                                                               Set<String> scopes, String contentType, String body) {
        return sendAs(MERCHANT, idempotencyKey, method, path, scopes, contentType, body);
    }

    private CompletableFuture<HttpResponse<String>> sendAs(String merchant, String idempotencyKey, String method,
                                                           String path, Set<String> scopes, String contentType,
                                                           String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header(SCOPES_HEADER, String.join(",", scopes))
                .header(MERCHANT_HEADER, merchant);
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        if (idempotencyKey != null) {
            builder.header(Idempotency.HEADER, idempotencyKey);
        }
        return client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends and waits for the answer, for routes that write nothing. */
    public HttpResponse<String> call(String method, String path, Set<String> scopes, String contentType, String body) {
        return await(send(method, path, scopes, contentType, body));
    }

    public HttpResponse<String> callAs(String merchant, String method, String path, Set<String> scopes, String contentType,
                                String body) {
        return await(sendAs(merchant, method, path, scopes, contentType, body));
    }

    /** Sends a request that writes one event to {@code producer}, acknowledges that write, and returns the answer. */
    public HttpResponse<String> callAcknowledged(MockProducer<String, ?> producer, String method, String path,
                                                 Set<String> scopes, String contentType, String body) {
        int written = producer.history().size();
        return acknowledged(producer, written, send(method, path, scopes, contentType, body));
    }

    /** As {@link #callAcknowledged}, with {@code idempotencyKey}. */
    public HttpResponse<String> callAcknowledgedWithKey(String idempotencyKey, MockProducer<String, ?> producer,
                                                        String method, String path, Set<String> scopes,
                                                        String contentType, String body) {
        int written = producer.history().size();
        return acknowledged(producer, written, sendWithKey(idempotencyKey, method, path, scopes, contentType, body));
    }

    /**
     * Proves {@code method path} is idempotent: without a key it is refused with 400 and writes nothing; the
     * first request with a key writes one event to {@code producer}; the same request again gets the same
     * answer, marked replayed, and writes nothing. Returns the first answer.
     */
    public HttpResponse<String> assertIdempotent(MockProducer<String, ?> producer, String method, String path,
                                                 Set<String> scopes, String contentType, String body) {
        int before = producer.history().size();
        HttpResponse<String> missing = await(sendWithKey(null, method, path, scopes, contentType, body));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(missing.body()).getString("type"))
                .endsWith("idempotency-key-required");
        assertThat(producer.history()).hasSize(before);

        String key = "retry-" + UUID.randomUUID();
        HttpResponse<String> first = callAcknowledgedWithKey(key, producer, method, path, scopes, contentType, body);
        assertThat(first.statusCode()).as(first.body()).isBetween(200, 299);
        assertThat(producer.history()).hasSize(before + 1);

        HttpResponse<String> replayed = await(sendWithKey(key, method, path, scopes, contentType, body));
        assertThat(replayed.statusCode()).isEqualTo(first.statusCode());
        assertThat(replayed.body()).isEqualTo(first.body());
        assertThat(replayed.headers().firstValue("Location"))
                .isEqualTo(first.headers().firstValue("Location"));
        assertThat(replayed.headers().firstValue(Idempotency.REPLAYED_HEADER))
                .hasValue("true");
        assertThat(producer.history()).hasSize(before + 1);
        return first;
    }

    /** Completes the write the request makes once it is there (the history grew past {@code written}). */
    private static HttpResponse<String> acknowledged(MockProducer<String, ?> producer, int written,
                                                     CompletableFuture<HttpResponse<String>> response) {
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS)
                .until(() -> producer.history().size() > written || response.isDone());
        if (!response.isDone()) {
            producer.completeNext();
        }
        return await(response);
    }

    public static HttpResponse<String> await(CompletableFuture<HttpResponse<String>> response) {
        try {
            return response.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("HTTP call failed: " + e, e);
        }
    }

    /** A PEN card of {@code merchant}, known to the card directory as if read from cards.events. */
    public void seedCard(String cardId, String merchant, String currency) {
        api.cardDirectory().record(CardEvent.newBuilder()
                .setEventId("cev_seed_" + cardId)
                .setType(CardEventType.ISSUED)
                .setCardId(cardId)
                .setMerchantId(merchant)
                .setCardholderHash("cardholder:seed")
                .setCurrency(currency)
                .setApiKeyId(KEY_ID)
                .setOccurredAt(Instant.now())
                .build());
    }

    /** A collection of {@code amountMinor} KES of {@code merchant}, decided {@code outcome} (null: pending). */
    public PaymentRequest seedCollection(String transactionId, String merchant, long amountMinor, Outcome outcome) {
        PaymentRequest request = SampleEvents.paymentRequest(transactionId)
                .setMerchantId(merchant)
                .setMerchantReference("order-1")
                .setAccountId("msisdn:0011223344")
                .setAmount(new Money(amountMinor, "KES"))
                .setApiKeyId(KEY_ID)
                .setRequestedAt(Instant.now())
                .build();
        statusView.recordRequest(request);
        if (outcome != null) {
            statusView.recordDecision(decision(request, outcome));
        }
        return request;
    }

    public static RiskDecision decision(PaymentRequest request, Outcome outcome) {
        return SampleEvents.riskDecision(request, outcome).setDecidedAt(Instant.now()).build();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        claimStore.close();
    }
}
