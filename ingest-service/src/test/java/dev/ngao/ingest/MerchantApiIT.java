package dev.ngao.ingest;

import dev.ngao.ingest.state.SharedTestStateStores;
import dev.ngao.events.AuthorizationDecider;
import dev.ngao.events.CardAuthorizationAnswer;
import dev.ngao.events.CardEvent;
import dev.ngao.events.CardEventType;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.idempotency.ClaimStore;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.ingest.idempotency.InMemoryClaimLog;
import dev.ngao.ingest.kafka.IngestProducers;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.payment.PaymentTestWiring;
import dev.ngao.ingest.status.PaymentStatusFeed;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.pii.PiiProtector;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.schemas.SampleEvents;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The merchant API against a real KRaft broker: each accepted path writes its event, read back from its topic
 * as downstream services read it (read_committed); the card directory and the status view fill from Kafka.
 * Authentication is the test guard: keys with these scopes arrive with signed requests; idempotency runs over
 * an in-memory claim log (its Kafka log has its own tests), and every POST carries a fresh Idempotency-Key.
 */
@ExtendWith(KafkaClusterExtension.class)
class MerchantApiIT {

    private static final String MERCHANT = "merchant-a";
    private static final String PEPPER = "integration-test-pepper-0123";
    private static final long DEADLINE_MS = 4_000;
    private static final String JSON = "application/json";

    private static KafkaContext kafka;
    private static Vertx vertx;
    private static PaymentStatusView statusView;
    private static PaymentStatusFeed statusFeed;
    private static IngestProducers producers;
    private static PaymentRequestPublisher payments;
    private static MerchantApi merchantApi;
    private static ClaimStore claimStore;
    private static String baseUrl;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final PiiProtector PII = new PiiProtector(PEPPER.getBytes(StandardCharsets.UTF_8));

    @BeforeAll
    static void start(KafkaTestCluster cluster) throws Exception {
        Map<String, String> environment = cluster.environment("merchant-api-it-" + UUID.randomUUID());
        environment.put("NGAO_INGEST_KEYS_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        environment.put("NGAO_INGEST_PII_PEPPER", PEPPER);
        environment.put("NGAO_INGEST_CARD_AUTHORIZATION_DEADLINE_MS", Long.toString(DEADLINE_MS));
        IngestConfig config = IngestConfig.fromEnvironment(environment);
        kafka = KafkaContext.connect(KafkaSettings.from(config));
        List<Topic<?, ?>> topics = new ArrayList<>(PaymentStatusFeed.topics());
        topics.addAll(MerchantApi.topics());
        kafka.ensureTopics(topics, "merchant-api-it");
        statusView = new PaymentStatusView(SharedTestStateStores.get(), 10_000);
        statusFeed = PaymentStatusFeed.start(kafka, statusView, "merchant-api-it");
        vertx = Vertx.vertx();
        producers = IngestProducers.connect(kafka, "merchant-api-it");
        payments = new PaymentRequestPublisher(vertx, producers.forTopic(Topics.PAYMENT_REQUESTS),
                config.kafkaTimeoutMs());
        merchantApi = MerchantApi.start(vertx, kafka, producers, config, payments, statusView,
                SharedTestStateStores.get(), "merchant-api-it");
        claimStore = new ClaimStore(new InMemoryClaimLog(), SharedTestStateStores.get(), 1_000, "merchant-api-it",
                Clock.systemUTC(), Duration.ofMinutes(3), Duration.ofHours(48), Duration.ofSeconds(5));
        List<RouteGroup> groups = new ArrayList<>();
        groups.add(PaymentTestWiring.create(claimStore, PII, payments, statusView, config.bodyLimitBytes(),
                Clock.systemUTC()).routes());
        groups.addAll(merchantApi.routeGroups());
        claimStore.start();
        HttpServer server = vertx.createHttpServer()
                .requestHandler(new IngestApi(vertx, List.of(new ScopedTestGuard(MERCHANT),
                        new Idempotency(claimStore, Duration.ofSeconds(5), Clock.systemUTC()).guard()), groups,
                        config.bodyLimitBytes()).router())
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        baseUrl = "http://127.0.0.1:" + server.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (merchantApi != null) {
            merchantApi.close();
        }
        if (claimStore != null) {
            claimStore.close();
        }
        if (producers != null) {
            producers.close();
        }
        if (statusFeed != null) {
            statusFeed.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldWriteCipPaymentRequestWithCodeAndShowItInTheStatus() {
        JsonObject created = createCip("order-cip-1");

        ConsumerRecord<String, PaymentRequest> record = read(Topics.PAYMENT_REQUESTS,
                candidate -> candidate.value().getTransactionId().equals(created.getString("transactionId")));
        assertThat(record.key()).isEqualTo(PII.hash("dni", "45678912"));
        assertThat(record.value().getType()).isEqualTo(PaymentType.CIP_PAYMENT);
        assertThat(record.value().getCip().getPaymentCode()).isEqualTo(created.getJsonObject("cip").getString("code"));
        assertThat(record.value().toString()).doesNotContain("45678912", "ana.quispe", "987654321");
        // And its risk signals went through Avro on the broker: the document and email hashes, Lima's zone
        assertThat(record.value().getSignals().getDocumentHash()).isEqualTo(PII.hash("dni", "45678912"));
        assertThat(record.value().getSignals().getEmailHash()).isEqualTo(PII.hash("email", "ana.quispe@example.pe"));
        assertThat(record.value().getSignals().getTimeZone()).isEqualTo("America/Lima");
    }

    @Test
    void shouldWriteCardLifeToCardsEventsAndLoadsToPaymentRequests() {
        // When a card is issued, frozen, given controls and loaded
        HttpResponse<String> issued = call("POST", "/v1/cards", Scopes.CARDS_ISSUE,
                "{\"cardholderReference\": \"holder-1\", \"kycStatus\": \"VERIFIED\", \"currency\": \"PEN\"}");
        assertThat(issued.statusCode()).isEqualTo(201);
        String cardId = new JsonObject(issued.body()).getString("cardId");
        assertThat(call("POST", "/v1/cards/" + cardId + "/freeze", Scopes.CARDS_MANAGE, "{}").statusCode()).isEqualTo(202);
        assertThat(call("PUT", "/v1/cards/" + cardId + "/spending-controls", Scopes.CARDS_MANAGE,
                "{\"blockedCategories\": [\"7995\"]}").statusCode()).isEqualTo(202);
        HttpResponse<String> loaded = call("POST", "/v1/cards/" + cardId + "/loads", Scopes.CARDS_MANAGE,
                "{\"amount\": \"100.00\", \"currency\": \"PEN\", \"merchantReference\": \"topup-1\"}");
        assertThat(loaded.statusCode()).isEqualTo(202);

        // Then cards.events holds the card's life in order, keyed by the card
        List<CardEvent> events = readAll(Topics.CARD_EVENTS, record -> cardId.equals(record.key()), 3).stream()
                .map(ConsumerRecord::value).toList();
        assertThat(events).extracting(CardEvent::getType)
                .containsExactly(CardEventType.ISSUED, CardEventType.FROZEN, CardEventType.CONTROLS_SET);
        // And the issuance carries the KYC status and the expiry the answer showed
        assertThat(events.get(0).getKycStatus()).isEqualTo("VERIFIED");
        assertThat(events.get(0).getExpiresAt().toString())
                .isEqualTo(new JsonObject(issued.body()).getString("expiresAt"));
        // And the load is a CARD_LOAD request keyed by the card
        ConsumerRecord<String, PaymentRequest> load = read(Topics.PAYMENT_REQUESTS, record ->
                record.value().getTransactionId().equals(new JsonObject(loaded.body()).getString("transactionId")));
        assertThat(load.key()).isEqualTo(cardId);
        assertThat(load.value().getType()).isEqualTo(PaymentType.CARD_LOAD);
    }

    @Test
    void shouldKnowCardsIssuedElsewhereOnceCardsEventsIsRead() throws Exception {
        // Given a card issued by another ingest instance: only its event is on cards.events
        String cardId = "card_" + UUID.randomUUID().toString().replace("-", "");
        CardEvent issued = CardEvent.newBuilder().setEventId("cev_it").setType(CardEventType.ISSUED).setCardId(cardId)
                .setMerchantId(MERCHANT).setCardholderHash("cardholder:it").setCurrency("PEN")
                .setApiKeyId("key-elsewhere").setOccurredAt(Instant.now()).build();
        try (KafkaProducer<String, CardEvent> producer = kafka.producer(Topics.CARD_EVENTS, "it-other-ingest")) {
            producer.send(new ProducerRecord<>(Topics.CARD_EVENTS.name(), cardId, issued)).get(30, TimeUnit.SECONDS);
        }

        // Then this instance finds it once it has read the topic
        await().atMost(30, TimeUnit.SECONDS).until(() ->
                call("GET", "/v1/cards/" + cardId, Scopes.CARDS_MANAGE, null).statusCode() == 200);
    }

    @Test
    void shouldAnswerRisksDecisionWhenItComesInTimeAndRecordTheAnswer() throws Exception {
        // Given a card, and a stand-in for risk-streams that approves the next authorization it sees
        String cardId = issueCard();
        try (TopicReader<String, PaymentRequest> requests = TopicReader.fromEnd(kafka, Topics.PAYMENT_REQUESTS)) {
            CompletableFuture<HttpResponse<String>> answer = send("POST", "/v1/card-authorizations",
                    Scopes.CARDS_AUTHORIZE, authorization(cardId, "auth-fast"));
            PaymentRequest request = requests.awaitFirst(
                    record -> record.value().getMerchantReference().equals("auth-fast")).value();
            produceDecision(request, Outcome.APPROVE);

            // Then the network is told approved by risk
            JsonObject body = new JsonObject(answer.get(30, TimeUnit.SECONDS).body());
            assertThat(body.getString("outcome")).isEqualTo("APPROVE");
            assertThat(body.getString("decidedBy")).isEqualTo("risk");
            // And the answer is on cards.authorizations
            CardAuthorizationAnswer recorded = read(Topics.CARD_AUTHORIZATIONS,
                    record -> record.key().equals(request.getTransactionId())).value();
            assertThat(recorded.getDecidedBy()).isEqualTo(AuthorizationDecider.RISK);
        }
    }

    @Test
    void shouldAnswerTimeoutDefaultAndRecordItWhenNoDecisionComes() {
        String cardId = issueCard();

        HttpResponse<String> answer = call("POST", "/v1/card-authorizations", Scopes.CARDS_AUTHORIZE,
                authorization(cardId, "auth-slow"));

        JsonObject body = new JsonObject(answer.body());
        assertThat(body.getString("outcome")).isEqualTo("DECLINE");
        assertThat(body.getString("decidedBy")).isEqualTo("timeout-default");
        String transactionId = body.getString("transactionId");
        CardAuthorizationAnswer recorded = read(Topics.CARD_AUTHORIZATIONS,
                record -> record.key().equals(transactionId)).value();
        assertThat(recorded.getDecidedBy()).isEqualTo(AuthorizationDecider.TIMEOUT_DEFAULT);
        assertThat(recorded.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(read(Topics.PAYMENT_REQUESTS, record -> record.value().getTransactionId().equals(transactionId))
                .key()).isEqualTo(cardId);
    }

    @Test
    void shouldWriteRefundOfApprovedPayment() throws Exception {
        // Given a CIP payment risk approved
        String original = createCip("order-refund-1").getString("transactionId");
        produceDecision(read(Topics.PAYMENT_REQUESTS, record -> record.value().getTransactionId().equals(original))
                .value(), Outcome.APPROVE);
        awaitStatus(original, "APPROVED");

        // When part of it is refunded
        HttpResponse<String> refunded = call("POST", "/v1/refunds", Scopes.REFUNDS_WRITE, """
                {"originalTransactionId": "%s", "amount": "50.00", "currency": "PEN", "reason": "REQUESTED_BY_CUSTOMER"}"""
                .formatted(original));

        // Then a REFUND request of the original's account is on payments.requests
        assertThat(refunded.statusCode()).isEqualTo(202);
        String refundId = new JsonObject(refunded.body()).getString("transactionId");
        ConsumerRecord<String, PaymentRequest> refund = read(Topics.PAYMENT_REQUESTS,
                record -> record.value().getTransactionId().equals(refundId));
        assertThat(refund.key()).isEqualTo(PII.hash("dni", "45678912"));
        assertThat(refund.value().getOriginalTransactionId()).isEqualTo(original);
        assertThat(refund.value().getAmount().getAmountMinor()).isEqualTo(5_000L);
    }

    @Test
    void shouldWriteReviewResolutionAndApplyItToTheStatus() throws Exception {
        String transactionId = createCip("order-review-1").getString("transactionId");
        produceDecision(read(Topics.PAYMENT_REQUESTS, record -> record.value().getTransactionId().equals(transactionId))
                .value(), Outcome.REVIEW);
        awaitStatus(transactionId, "IN_REVIEW");

        HttpResponse<String> resolved = call("POST", "/v1/reviews/" + transactionId + "/resolution",
                Scopes.REVIEWS_RESOLVE, "{\"outcome\": \"DECLINE\", \"note\": \"document mismatch\"}");

        assertThat(resolved.statusCode()).isEqualTo(202);
        ReviewResolution resolution = read(Topics.RISK_REVIEWS, record -> record.key().equals(transactionId)).value();
        assertThat(resolution.getOutcome()).isEqualTo(Outcome.DECLINE);
        awaitStatus(transactionId, "DECLINED");
    }

    @Test
    void shouldWriteListEntryAndItsTombstoneOnTheSameKey() {
        HttpResponse<String> added = call("POST", "/v1/lists/block/entries", Scopes.LISTS_WRITE,
                "{\"dimension\": \"DNI\", \"value\": \"11223344\", \"reason\": \"identity fraud\"}");
        assertThat(added.statusCode()).isEqualTo(201);
        String key = MERCHANT + "|BLOCK|DNI|" + PII.hash("dni", "11223344");
        ListEntryChange entry = read(Topics.RISK_LISTS, record -> record.key().equals(key)).value();
        assertThat(entry.getValueMasked()).isEqualTo("*****344");

        HttpResponse<String> removed = call("DELETE", "/v1/lists/block/entries/"
                + new JsonObject(added.body()).getString("entryId"), Scopes.LISTS_WRITE, null);

        assertThat(removed.statusCode()).isEqualTo(202);
        assertThat(read(Topics.RISK_LISTS, record -> record.key().equals(key) && record.value() == null)).isNotNull();
    }

    @Test
    void shouldPublishYamlRuleSetKeyedByMerchant() {
        HttpResponse<String> published = send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/rule-sets"))
                .header("Content-Type", "application/yaml")
                .header(Idempotency.HEADER, UUID.randomUUID().toString())
                .header(ScopedTestGuard.SCOPES_HEADER, Scopes.RULES_ADMIN)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        merchantId: merchant-it
                        version: "3"
                        rules:
                          - id: block-kp
                            type: high-risk-country
                            parameters: {countries: [KP], of: [PAYER, IP]}
                            action: BLOCK
                            mode: ENFORCE
                        """)).build());

        assertThat(published.statusCode()).isEqualTo(202);
        RuleSetPublished ruleSet = read(Topics.RISK_RULESETS, record -> record.key().equals("merchant-it")).value();
        assertThat(ruleSet.getVersion()).isEqualTo("3");
        assertThat(ruleSet.getRules().get(0).getParametersJson()).isEqualTo("{\"countries\":[\"KP\"],\"of\":[\"PAYER\",\"IP\"]}");
    }

    private static JsonObject createCip(String merchantReference) {
        HttpResponse<String> created = call("POST", "/v1/cip-payments", Scopes.PAYMENTS_WRITE, """
                {"documentType": "DNI", "documentNumber": "45678912", "email": "ana.quispe@example.pe",
                 "phone": "+51987654321", "amount": "150.50", "expiresIn": "PT48H", "merchantReference": "%s"}"""
                .formatted(merchantReference));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new JsonObject(created.body());
    }

    private static String issueCard() {
        HttpResponse<String> issued = call("POST", "/v1/cards", Scopes.CARDS_ISSUE,
                "{\"cardholderReference\": \"holder-2\", \"kycStatus\": \"VERIFIED\", \"currency\": \"PEN\"}");
        assertThat(issued.statusCode()).isEqualTo(201);
        return new JsonObject(issued.body()).getString("cardId");
    }

    private static String authorization(String cardId, String networkReference) {
        return """
                {"cardId": "%s", "amount": "35.90", "currency": "PEN", "merchantCategoryCode": "5411",
                 "merchantCountry": "PE", "networkReference": "%s"}""".formatted(cardId, networkReference);
    }

    private static void awaitStatus(String transactionId, String status) {
        await().atMost(30, TimeUnit.SECONDS).until(() -> status.equals(new JsonObject(call("GET",
                "/v1/payments/" + transactionId, Scopes.PAYMENTS_READ, null).body()).getString("status")));
    }

    private static HttpResponse<String> call(String method, String path, String scope, String body) {
        try {
            return send(method, path, scope, body).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(String method, String path, String scope, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header(ScopedTestGuard.SCOPES_HEADER, scope)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", JSON);
        }
        if (method.equals("POST")) {
            builder.header(Idempotency.HEADER, UUID.randomUUID().toString());
        }
        return CLIENT.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a decision as risk-streams would. */
    private static void produceDecision(PaymentRequest request, Outcome outcome) throws Exception {
        RiskDecision decision = SampleEvents.riskDecision(request, outcome).setDecidedAt(Instant.now()).build();
        try (KafkaProducer<String, RiskDecision> producer = kafka.producer(Topics.RISK_DECISIONS, "it-risk")) {
            producer.send(new ProducerRecord<>(Topics.RISK_DECISIONS.name(), decision.getTransactionId(), decision))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** The first record of {@code topic} that {@code wanted} accepts, reading from the beginning (read_committed). */
    private static <V> ConsumerRecord<String, V> read(Topic<String, V> topic, Predicate<ConsumerRecord<String, V>> wanted) {
        return TopicReader.awaitFirst(kafka, topic, wanted);
    }

    private static <V> List<ConsumerRecord<String, V>> readAll(Topic<String, V> topic,
                                                              Predicate<ConsumerRecord<String, V>> wanted, int count) {
        try (TopicReader<String, V> reader = TopicReader.fromBeginning(kafka, topic)) {
            return reader.await(wanted, count);
        }
    }
}
