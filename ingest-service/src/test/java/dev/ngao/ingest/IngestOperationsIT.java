package dev.ngao.ingest;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.ProviderStatus;
import dev.ngao.ingest.audit.RequestAudit;
import dev.ngao.ingest.audit.RequestIds;
import dev.ngao.ingest.fuzz.ApiFuzzer;
import dev.ngao.ingest.http.RouteTemplates;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.ingest.ops.OperationsRoutes;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.webhook.WebhookRoutes;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Audit, readiness, metrics, documentation and malformed input of the running service on a real broker. */
@ExtendWith(KafkaClusterExtension.class)
class IngestOperationsIT {

    private static final String KEY_ID = "key-a";
    private static final String SECRET = "secret-of-merchant-a-000000001";
    private static final String VALID_BODY = """
            {"type":"MOBILE_MONEY_COLLECTION","amount":"1500.50","currency":"KES","msisdn":"+254712345678",\
            "operator":"MPESA","country":"KE","merchantReference":"order-42"}""";

    private static KafkaContext kafka;
    private static IngestService service;
    private static RawHttpClient client;

    @BeforeAll
    static void startService(KafkaTestCluster cluster) throws Exception {
        Map<String, String> environment = cluster.environment("ingest-operations-it-" + UUID.randomUUID());
        environment.put("NGAO_INGEST_HTTP_PORT", "0");
        environment.put("NGAO_INGEST_KEYS_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        environment.put("NGAO_INGEST_PII_PEPPER", "integration-test-pepper-0123");
        for (ProviderCalls provider : ProviderCalls.values()) {
            environment.put(EnvironmentConfig.variableName(provider.secretsKey), ProviderCalls.SECRET);
        }
        IngestConfig config = IngestConfig.fromEnvironment(environment);
        kafka = KafkaContext.connect(KafkaSettings.from(config));
        IntegrationKeys.create(kafka, config, Map.of(KEY_ID, new String[] {"merchant-a", SECRET}));
        service = new IngestService(config, kafka);
        service.start();
        client = new RawHttpClient(service.httpPort());
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
    void shouldWriteAuditRecordsForAcceptedAndRefusedRequestsWithMaskedPii() {
        // When a payment is accepted, one is refused for its body and one for its signature, each with our request id
        String acceptedId = requestId("it-accepted");
        String invalidId = requestId("it-invalid");
        String unauthenticatedId = requestId("it-unauthenticated");
        RawHttpClient.Response accepted = post(VALID_BODY, acceptedId, SECRET);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.header(RequestIds.HEADER)).isEqualTo(acceptedId);
        assertThat(post(VALID_BODY.replace("\"KE\"", "\"XX\""), invalidId, SECRET).status()).isEqualTo(422);
        assertThat(post(VALID_BODY, unauthenticatedId, "a-wrong-secret-000000000000").status()).isEqualTo(401);
        String transactionId = new JsonObject(accepted.bodyText()).getString("transactionId");

        // Then audit.ingest holds one record for each, read back from the broker
        Map<String, ConsumerRecord<String, AuditRecord>> records = readAudit(Set.of(acceptedId, invalidId, unauthenticatedId));
        ConsumerRecord<String, AuditRecord> acceptedRecord = records.get(acceptedId);
        assertThat(acceptedRecord.key()).isEqualTo(transactionId);
        assertThat(acceptedRecord.value().getOutcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(acceptedRecord.value().getActor()).isEqualTo(KEY_ID);
        assertThat(acceptedRecord.value().getSubjectId()).isEqualTo(transactionId);
        assertThat(acceptedRecord.value().getDetails()).containsEntry("msisdn", "+2547******78");

        AuditRecord invalid = records.get(invalidId).value();
        assertThat(invalid.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
        assertThat(invalid.getDetails()).containsEntry(RequestAudit.REASON_DETAIL, "validation-failed")
                .containsEntry("msisdn", "+2547******78");

        AuditRecord unauthenticated = records.get(unauthenticatedId).value();
        assertThat(unauthenticated.getActor()).isEqualTo(RequestAudit.ANONYMOUS);
        assertThat(unauthenticated.getDetails()).containsEntry(RequestAudit.REASON_DETAIL, "invalid-signature")
                .containsEntry(RequestAudit.PRESENTED_KEY_ID_DETAIL, KEY_ID);

        // And no record carries the MSISDN in clear
        assertThat(records.values()).allSatisfy(record -> assertThat(record.value().toString()).doesNotContain("712345678"));
    }

    @Test
    void shouldWriteAuditRecordsOfForgedAndAcceptedWebhooksUnderTheirProvider() {
        // When the card network's webhook gets a forged call and a signed one about an accepted payment, each
        // with our request id
        ProviderCalls provider = ProviderCalls.CARD_NETWORK;
        RawHttpClient.Response payment = post(VALID_BODY, requestId("it-webhook-payment"), SECRET);
        assertThat(payment.status()).isEqualTo(202);
        String transactionId = new JsonObject(payment.bodyText()).getString("transactionId");
        String body = provider.body("cn-" + transactionId, transactionId, ProviderStatus.PENDING);
        String forgedId = requestId("it-forged-webhook");
        String acceptedId = requestId("it-accepted-webhook");
        assertThat(deliver(provider, body, "a-guessed-secret-of-enough-length", forgedId).status()).isEqualTo(401);
        assertThat(deliver(provider, body, ProviderCalls.SECRET, acceptedId).status()).isEqualTo(200);

        // Then audit.ingest holds a refusal by the provider with its reason, and the acceptance against the transaction
        Map<String, ConsumerRecord<String, AuditRecord>> records = readAudit(Set.of(forgedId, acceptedId));
        String actor = "provider:" + provider.scheme.provider();
        AuditRecord forged = records.get(forgedId).value();
        assertThat(forged.getActor()).isEqualTo(actor);
        assertThat(forged.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
        assertThat(forged.getDetails()).containsEntry(RequestAudit.REASON_DETAIL, "webhook-signature-invalid")
                .containsEntry(WebhookRoutes.VERDICT_DETAIL, "FORGED");
        assertThat(forged.getSubjectId()).isNotEqualTo(transactionId);
        AuditRecord accepted = records.get(acceptedId).value();
        assertThat(accepted.getActor()).isEqualTo(actor);
        assertThat(accepted.getOutcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(accepted.getSubjectId()).isEqualTo(transactionId);
        assertThat(accepted.getDetails()).containsEntry(WebhookRoutes.TRANSITION_DETAIL, "APPLIED");
    }

    @Test
    void shouldBeReadyAndTimeKafkaWritesWhenBrokerIsUp() {
        await().atMost(30, TimeUnit.SECONDS).until(() ->
                client.send("GET", OperationsRoutes.READY_PATH, Map.of(), new byte[0]).orElseThrow().status() == 200);
        assertThat(post(VALID_BODY, requestId("it-metrics"), SECRET).status()).isEqualTo(202);

        String metrics = client.send("GET", OperationsRoutes.METRICS_PATH, Map.of(), new byte[0]).orElseThrow().bodyText();

        assertThat(metrics).contains("ngao_ingest_kafka_send_seconds_count{result=\"acknowledged\",service=\"ingest-service\",topic=\"payments.requests\"}")
                .contains("ngao_ingest_requests_total{method=\"POST\",outcome=\"success\",route=\"/v1/payments\",service=\"ingest-service\",status=\"202\"}")
                // The shared producer's own metrics beside ingest's (record sends, by its client id)
                .containsPattern("kafka_producer_record_send_total\\{client_id=\"[^\"]*-producer\"");
    }

    @Test
    void shouldDocumentEveryRouteTheRunningServiceMounts() {
        assertThat(OpenApiCoverage.undocumented(service.router(), "/v1/")).isEmpty();
        assertThat(OpenApiCoverage.undocumented(service.router(), "/health")).isEmpty();
        assertThat(OpenApiCoverage.undocumented(service.router(), "/webhooks/")).isEmpty();
    }

    @Test
    void shouldNeverAnswer5xxWhenMalformedRequestsHitTheRunningService() {
        List<String> routes = new ArrayList<>(RouteTemplates.of(service.router()).paths());

        ApiFuzzer.Report report = new ApiFuzzer(new RawHttpClient(service.httpPort(), 15_000), routes,
                PaymentRoutes.PAYMENTS_PATH, KEY_ID, SECRET, 7L)
                .withWebhooks(ProviderCalls.fuzzed(ProviderCalls.SECRET))
                .run(500, Duration.ofSeconds(120));
        System.out.printf("Fuzz on the broker: %d requests, statuses %s, problems %s%n", report.requests(),
                report.statuses(), report.problems());

        assertThat(report.violations()).isEmpty();
        assertThat(report.statuses()).containsKeys(200, 202);
    }

    /** A payment signed with {@code secret} for key a, with a new Idempotency-Key and our request id. */
    private static RawHttpClient.Response post(String body, String requestId, String secret) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>(
                new RequestSigner(KEY_ID, secret).sign("POST", PaymentRoutes.PAYMENTS_PATH, bytes).asMap());
        headers.put("Content-Type", "application/json");
        headers.put(Idempotency.HEADER, UUID.randomUUID().toString());
        headers.put(RequestIds.HEADER, requestId);
        return client.send("POST", PaymentRoutes.PAYMENTS_PATH, headers, bytes).orElseThrow();
    }

    /** A call to {@code provider}'s webhook signed with {@code secret}, with our request id. */
    private static RawHttpClient.Response deliver(ProviderCalls provider, String body, String secret, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>(provider.signed(body, Instant.now(), secret));
        headers.put("Content-Type", "application/json");
        headers.put(RequestIds.HEADER, requestId);
        return client.send("POST", provider.path, headers, body.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    }

    /**
     * A unique request id the service keeps: letters only after the prefix, since an id with a run of eight
     * digits (as random UUIDs have now and then) looks like personal data and is replaced.
     */
    private static String requestId(String prefix) {
        StringBuilder id = new StringBuilder(prefix).append('-');
        java.util.concurrent.ThreadLocalRandom.current().ints(24, 'a', 'z' + 1).forEach(letter -> id.append((char) letter));
        return id.toString();
    }

    /** The audit records of the given request ids, read from the start of audit.ingest. */
    private static Map<String, ConsumerRecord<String, AuditRecord>> readAudit(Set<String> requestIds) {
        Map<String, ConsumerRecord<String, AuditRecord>> found = new HashMap<>();
        try (TopicReader<String, AuditRecord> reader = TopicReader.fromBeginning(kafka, Topics.AUDIT_INGEST)) {
            Set<String> seen = new HashSet<>();
            List<ConsumerRecord<String, AuditRecord>> read = reader.readUntil(
                    record -> requestIds.contains(requestId(record)) && seen.add(requestId(record)), requestIds.size());
            for (ConsumerRecord<String, AuditRecord> record : read) {
                if (requestIds.contains(requestId(record))) {
                    found.put(requestId(record), record);
                }
            }
        }
        assertThat(found.keySet()).as("audit records found on " + Topics.AUDIT_INGEST.name())
                .containsExactlyInAnyOrderElementsOf(requestIds.stream().collect(Collectors.toSet()));
        return found;
    }

    private static String requestId(ConsumerRecord<String, AuditRecord> record) {
        return record.value().getDetails().get(RequestAudit.REQUEST_ID_DETAIL);
    }
}
