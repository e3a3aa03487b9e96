package dev.ngao.ingest;

import dev.ngao.events.AccountKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.pii.PiiProtector;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.schemas.SampleEvents;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ingest-service against a real KRaft broker, spoken to over real HTTP. */
@ExtendWith(KafkaClusterExtension.class)
class IngestServiceIT {

    private static final String KEY_A = "key-a";
    private static final String SECRET_A = "secret-of-merchant-a-000000001";
    private static final String KEY_B = "key-b";
    private static final String SECRET_B = "secret-of-merchant-b-000000002";
    private static final String PEPPER = "integration-test-pepper-0123";
    private static final String MASTER_KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    private static final String MSISDN = "+254712345678";
    private static final String PROBLEM_JSON = "application/problem+json";

    private static KafkaContext kafka;
    private static IngestService service;
    private static HttpTestClient client;

    @BeforeAll
    static void startService(KafkaTestCluster cluster) throws Exception {
        Map<String, String> environment = cluster.environment("ingest-it-" + UUID.randomUUID());
        environment.put("NGAO_INGEST_HTTP_PORT", "0");
        environment.put("NGAO_INGEST_KEYS_MASTER_KEY", MASTER_KEY);
        environment.put("NGAO_INGEST_PII_PEPPER", PEPPER);
        IngestConfig config = IngestConfig.fromEnvironment(environment);
        kafka = KafkaContext.connect(KafkaSettings.from(config));
        createKeys(config);
        service = new IngestService(config, kafka);
        service.start();
        client = new HttpTestClient(service.httpPort());
    }

    /** The keys exist before the service starts, as an administrator would have made them with ngao keys. */
    private static void createKeys(IngestConfig config) throws Exception {
        IntegrationKeys.create(kafka, config, Map.of(KEY_A, new String[] {"merchant-a", SECRET_A},
                KEY_B, new String[] {"merchant-b", SECRET_B}));
    }

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldAnswer202AndWriteEventKeyedByHashedWalletWhenBodyIsValid() {
        // When merchant a posts a valid collection
        HttpResponse<String> response = client.postPayment(KEY_A, SECRET_A, "application/json", HttpTestClient.VALID_BODY);

        // Then it is accepted with its id and a link to its status
        assertThat(response.statusCode()).isEqualTo(202);
        JsonObject body = new JsonObject(response.body());
        String transactionId = body.getString("transactionId");
        assertThat(transactionId).matches("txn_[0-9a-f]{32}");
        assertThat(body.getString("status")).isEqualTo("PENDING");
        assertThat(body.getJsonObject("links").getString("self")).isEqualTo("/v1/payments/" + transactionId);
        assertThat(response.headers().firstValue("Location")).hasValue("/v1/payments/" + transactionId);

        // And the event is on payments.requests for read_committed readers, keyed by the hashed wallet
        ConsumerRecord<String, PaymentRequest> record = readRequest(transactionId);
        String expectedAccountId = new PiiProtector(PEPPER.getBytes(StandardCharsets.UTF_8)).hash("msisdn", MSISDN);
        assertThat(record.key()).isEqualTo(expectedAccountId).doesNotContain("712345678");
        PaymentRequest event = record.value();
        assertThat(event.getAccountId()).isEqualTo(expectedAccountId);
        assertThat(event.getAccountKind()).isEqualTo(AccountKind.WALLET);
        assertThat(event.getAmount().getAmountMinor()).isEqualTo(150_050L);
        assertThat(event.getAmount().getCurrency()).isEqualTo("KES");
        assertThat(event.getMerchantId()).isEqualTo("merchant-a");
        assertThat(event.getApiKeyId()).isEqualTo(KEY_A);
        assertThat(event.getType()).isEqualTo(PaymentType.MOBILE_MONEY_COLLECTION);
        assertThat(event.getMobileMoney().getMsisdnMasked()).isEqualTo("+2547******78");
    }

    @Test
    void shouldAnswer401WhenUnsignedAndSame401WhenKeyIsUnknownOrSecretWrong() {
        // When the request is unsigned, signed by an unknown key, or signed with another key's secret
        HttpResponse<String> unsigned = client.postPayment(null, null, "application/json", HttpTestClient.VALID_BODY);
        HttpResponse<String> unknown = client.postPayment("key-z", SECRET_A, "application/json", HttpTestClient.VALID_BODY);
        HttpResponse<String> wrong = client.postPayment(KEY_A, SECRET_B, "application/json", HttpTestClient.VALID_BODY);
        HttpResponse<String> wrongOnGet = client.get("/v1/payments/txn_0", KEY_B, SECRET_A);

        // Then the unsigned one is told to sign, and the others get one 401 that does not tell them apart
        assertProblem(unsigned, 401, "missing-signature");
        for (HttpResponse<String> response : List.of(unknown, wrong, wrongOnGet)) {
            assertProblem(response, 401, "invalid-signature");
            assertThat(response.body()).isEqualTo(unknown.body());
        }
    }

    @Test
    void shouldAnswer422WithEveryInvalidFieldAndNoPiiWhenBodyIsInvalid() {
        // Given a body with a bad MSISDN, an amount with too many decimals, and an unknown operator
        String body = """
                {"type": "MOBILE_MONEY_COLLECTION", "amount": "10.505", "currency": "KES",
                 "msisdn": "0712345678", "operator": "PIGEON", "country": "KE", "merchantReference": "order-43"}""";

        // When it is posted
        HttpResponse<String> response = client.postPayment(KEY_A, SECRET_A, "application/json", body);

        // Then every refused field is listed, and the MSISDN is not echoed
        assertProblem(response, 422, "validation-failed");
        JsonArray errors = new JsonObject(response.body()).getJsonArray("errors");
        assertThat(errors.stream().map(error -> ((JsonObject) error).getString("field")).toList())
                .containsExactlyInAnyOrder("amount", "msisdn", "operator");
        assertThat(response.body()).doesNotContain("0712345678");
    }

    @Test
    void shouldAnswer422WhenAmountIsJsonNumber() {
        String body = HttpTestClient.VALID_BODY.replace("\"1500.50\"", "1500.50");

        HttpResponse<String> response = client.postPayment(KEY_A, SECRET_A, "application/json", body);

        assertProblem(response, 422, "validation-failed");
        assertThat(new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("field"))
                .isEqualTo("amount");
    }

    @Test
    void shouldAnswer400WhenBodyIsNotJsonObject() {
        assertProblem(client.postPayment(KEY_A, SECRET_A, "application/json", "{\"type\": "), 400, "malformed-json");
        assertProblem(client.postPayment(KEY_A, SECRET_A, "application/json", "[1, 2]"), 400, "malformed-json");
        assertProblem(client.postPayment(KEY_A, SECRET_A, "application/json", ""), 400, "malformed-json");
    }

    @Test
    void shouldAnswer413WhenBodyExceedsLimit() {
        // Given a body of 70 000 bytes, over the default 65 536
        String body = "{\"merchantReference\": \"" + "x".repeat(70_000) + "\"}";

        // Then it is refused as too large
        assertProblem(client.postPayment(KEY_A, SECRET_A, "application/json", body), 413, "payload-too-large");
    }

    @Test
    void shouldAnswer415WhenContentTypeIsNotJson() {
        assertProblem(client.postPayment(KEY_A, SECRET_A, "text/plain", HttpTestClient.VALID_BODY), 415,
                "unsupported-media-type");
        assertProblem(client.postPayment(KEY_A, SECRET_A, null, HttpTestClient.VALID_BODY), 415,
                "unsupported-media-type");
    }

    @Test
    void shouldAcceptJsonContentTypeWithCharset() {
        HttpResponse<String> response = client.postPayment(KEY_A, SECRET_A, "application/json; charset=utf-8",
                HttpTestClient.VALID_BODY);

        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void shouldShowPendingThenDecisionWithReasonsWhenRiskDecides() throws Exception {
        // Given an accepted payment
        String transactionId = acceptedPayment();

        // When its status is read right away
        HttpResponse<String> pending = client.get("/v1/payments/" + transactionId, KEY_A, SECRET_A);

        // Then it is pending, with the amount as decimal text and no MSISDN
        assertThat(pending.statusCode()).isEqualTo(200);
        assertThat(pending.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonObject pendingBody = new JsonObject(pending.body());
        assertThat(pendingBody.getString("status")).isEqualTo("PENDING");
        assertThat(pendingBody.getString("amount")).isEqualTo("1500.50");
        assertThat(pendingBody.getString("currency")).isEqualTo("KES");
        assertThat(pendingBody.getString("merchantReference")).isEqualTo("order-42");
        assertThat(pending.body()).doesNotContain("712345678");

        // When risk-streams declines it
        produceDecision(readRequest(transactionId).value(), Outcome.DECLINE);

        // Then the status shows the decline and its reason
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            JsonObject decided = new JsonObject(client.get("/v1/payments/" + transactionId, KEY_A, SECRET_A).body());
            assertThat(decided.getString("status")).isEqualTo("DECLINED");
            JsonObject decision = decided.getJsonObject("decision");
            assertThat(decision.getString("outcome")).isEqualTo("DECLINE");
            JsonObject reason = decision.getJsonArray("reasons").getJsonObject(0);
            assertThat(reason.getString("ruleId")).isEqualTo("wallet-daily-limit");
            assertThat(reason.getString("ruleSetVersion")).isEqualTo("v3");
            assertThat(reason.getString("outcome")).isEqualTo("DECLINE");
            assertThat(reason.getString("message")).isEqualTo("daily limit exceeded");
            assertThat(decision.getString("decidedAt")).isNotBlank();
        });
    }

    @Test
    void shouldShowApprovedWhenRiskApproves() throws Exception {
        String transactionId = acceptedPayment();

        produceDecision(readRequest(transactionId).value(), Outcome.APPROVE);

        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(new JsonObject(
                client.get("/v1/payments/" + transactionId, KEY_A, SECRET_A).body()).getString("status"))
                .isEqualTo("APPROVED"));
    }

    @Test
    void shouldAnswer404WhenTransactionIsAnotherMerchantsOrUnknown() {
        // Given merchant a's payment
        String transactionId = acceptedPayment();

        // When merchant b asks for it, or anyone asks for an unknown id
        HttpResponse<String> otherMerchant = client.get("/v1/payments/" + transactionId, KEY_B, SECRET_B);
        HttpResponse<String> unknown = client.get("/v1/payments/txn_doesnotexist", KEY_B, SECRET_B);

        // Then both are the same 404
        assertProblem(otherMerchant, 404, "not-found");
        assertProblem(unknown, 404, "not-found");
        assertThat(otherMerchant.body()).isEqualTo(unknown.body()).doesNotContain(transactionId);
    }

    @Test
    void shouldAnswerHealthWithoutAuthenticationAnd404ProblemForUnknownPaths() {
        HttpResponse<String> health = client.get("/health", null, null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("UP");

        assertProblem(client.get("/nowhere", null, null), 404, "not-found");
        assertProblem(client.get("/v1/nowhere", KEY_A, SECRET_A), 404, "not-found");
    }

    private static String acceptedPayment() {
        HttpResponse<String> response = client.postPayment(KEY_A, SECRET_A, "application/json", HttpTestClient.VALID_BODY);
        assertThat(response.statusCode()).isEqualTo(202);
        return new JsonObject(response.body()).getString("transactionId");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(PROBLEM_JSON);
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getString("type")).endsWith("/" + type);
        assertThat(problem.getInteger("status")).isEqualTo(status);
    }

    /** Reads payments.requests as downstream services do (read_committed) until the transaction shows up. */
    private static ConsumerRecord<String, PaymentRequest> readRequest(String transactionId) {
        return TopicReader.awaitFirst(kafka, Topics.PAYMENT_REQUESTS,
                record -> record.value().getTransactionId().equals(transactionId));
    }

    /** Writes a decision as risk-streams would, with a real producer. */
    private static void produceDecision(PaymentRequest request, Outcome outcome) throws Exception {
        List<DecisionReason> reasons = outcome == Outcome.APPROVE ? List.of()
                : List.of(new DecisionReason("wallet-daily-limit", "v3", outcome, "daily limit exceeded", false, null));
        RiskDecision decision = SampleEvents.riskDecision(request, outcome)
                .setReasons(reasons)
                .setDecidedAt(Instant.now())
                .build();
        try (KafkaProducer<String, RiskDecision> producer = kafka.producer(Topics.RISK_DECISIONS, "it-risk")) {
            producer.send(new ProducerRecord<>(Topics.RISK_DECISIONS.name(), decision.getTransactionId(), decision))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
