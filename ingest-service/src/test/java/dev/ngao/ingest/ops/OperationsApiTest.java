package dev.ngao.ingest.ops;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.ingest.ApiFixture;
import dev.ngao.platform.observability.Traceparent;
import dev.ngao.ingest.RawHttpClient;
import dev.ngao.ingest.audit.RequestAudit;
import dev.ngao.ingest.audit.RequestIds;
import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.webhook.WebhookConfig;
import dev.ngao.ingest.webhook.WebhookRoutes;
import dev.ngao.platform.auth.RequestSigning;
import dev.ngao.platform.webhook.MobileMoneyHubSignature;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Audit, metrics, health and HTTP limits of the whole API, on MockProducers. */
class OperationsApiTest {

    private static final String MSISDN = "+254712345678";
    private static final String MASKED_MSISDN = "+2547******78";
    private static final String VALID_BODY = """
            {"type":"MOBILE_MONEY_COLLECTION","amount":"1500.50","currency":"KES","msisdn":"+254712345678",\
            "operator":"MPESA","country":"KE","merchantReference":"order-42"}""";
    private static final String PAYMENTS = PaymentRoutes.PAYMENTS_PATH;
    private static final String WRONG_SECRET = "not-the-secret-of-this-key-000";
    private static final String HUB_PATH = WebhookConfig.Provider.MOBILE_MONEY.path();
    private static final String HUB_TRANSACTION = "txn_3f9c0b7e5d2a4c61a8e0f1b2c3d4e5f6";
    private static final String HUB_EVENT = "{\"eventId\":\"hub-evt-81f2\",\"transactionId\":\"" + HUB_TRANSACTION
            + "\",\"hubReference\":\"MMH-8842\",\"status\":\"SUCCESSFUL\",\"amount\":\"1500.50\",\"currency\":\"KES\","
            + "\"occurredAt\":\"2026-03-01T10:15:30Z\"}";

    private ApiFixture api;
    private MockProducer<String, AuditRecord> audit;
    private RawHttpClient client;

    private void start(MockProducer<String, AuditRecord> auditProducer) throws Exception {
        audit = auditProducer;
        api = ApiFixture.start(true, auditProducer);
        client = new RawHttpClient(api.port());
    }

    private void start() throws Exception {
        start(ApiFixture.auditMockProducer(true));
    }

    private void startBehindProxies(List<CidrBlock> trustedProxies) throws Exception {
        audit = ApiFixture.auditMockProducer(true);
        api = ApiFixture.startBehindProxies(audit, trustedProxies);
        client = new RawHttpClient(api.port());
    }

    @AfterEach
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    // ---------------------------------------------------------------- audit

    @Test
    void shouldAuditAcceptedPaymentWithMaskedMsisdnAndTransactionIdWhenPaymentIsAccepted() throws Exception {
        start();

        // When a valid payment is accepted
        RawHttpClient.Response response = postPayment(VALID_BODY);
        assertThat(response.status()).isEqualTo(202);
        String transactionId = new JsonObject(response.bodyText()).getString("transactionId");

        // Then one audit record says who, what, how it ended, with the MSISDN masked
        ProducerRecord<String, AuditRecord> written = onlyAuditRecord();
        AuditRecord record = written.value();
        assertThat(written.topic()).isEqualTo(Topics.AUDIT_INGEST.name());
        assertThat(written.key()).isEqualTo(transactionId);
        assertThat(record.getActor()).isEqualTo(ApiFixture.KEY_ID);
        assertThat(record.getComponent()).isEqualTo(RequestAudit.COMPONENT);
        assertThat(record.getAction()).isEqualTo("POST /v1/payments");
        assertThat(record.getSubjectType()).isEqualTo(RequestAudit.SUBJECT_TRANSACTION);
        assertThat(record.getSubjectId()).isEqualTo(transactionId);
        assertThat(record.getOutcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(record.getDetails())
                .containsEntry("msisdn", MASKED_MSISDN)
                .containsEntry(RequestAudit.CLIENT_IP_DETAIL, "127.0.0.1")
                .containsEntry(RequestAudit.STATUS_DETAIL, "202")
                .containsEntry(RequestAudit.MERCHANT_DETAIL, ApiFixture.MERCHANT_ID)
                .containsEntry(RequestAudit.REQUEST_ID_DETAIL, response.header(RequestIds.HEADER))
                .doesNotContainKey(RequestAudit.REASON_DETAIL);
        assertThat(record.getOccurredAt()).isBetween(java.time.Instant.now().minusSeconds(10), java.time.Instant.now());
        assertThat(record.toString()).doesNotContain("712345678");
    }

    @Test
    void shouldKeepPayerSignalsOutOfTheAuditRecordWhetherAcceptedOrRefused() throws Exception {
        start();
        String payer = ",\"payer\":{\"ip\":\"203.0.113.77\",\"deviceFingerprint\":\"android-9c1d44e2\","
                + "\"email\":\"Wanjiru.Kamau@example.co.ke\",\"documentType\":\"DNI\",\"documentNumber\":\"45678912\"}}";

        // When a payment with a payer is accepted, and one with an invalid payer refused
        RawHttpClient.Response accepted = postPayment(VALID_BODY.replaceFirst("}$", payer));
        RawHttpClient.Response refused = postPayment(VALID_BODY.replaceFirst("}$",
                payer.replace("\"DNI\"", "\"CE\"")));
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(refused.status()).isEqualTo(422);

        // Then neither audit record holds the payer's email, device, document or address
        await().atMost(5, TimeUnit.SECONDS).until(() -> audit.history().size() == 2);
        for (ProducerRecord<String, AuditRecord> record : audit.history()) {
            assertThat(record.value().toString())
                    .doesNotContain("Wanjiru", "wanjiru", "android-9c1d44e2", "45678912", "203.0.113.77");
        }
    }

    @Test
    void shouldAuditRefusalWithProblemTypeAsReasonWhenBodyIsInvalid() throws Exception {
        start();

        // When a payment with too many decimals is refused
        RawHttpClient.Response response = postPayment(VALID_BODY.replace("1500.50", "1500.505"));
        assertThat(response.status()).isEqualTo(422);

        // Then its audit record says refused, why, by whom, and the MSISDN only masked
        AuditRecord record = onlyAuditRecord().value();
        assertThat(record.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
        assertThat(record.getActor()).isEqualTo(ApiFixture.KEY_ID);
        assertThat(record.getSubjectType()).isEqualTo(RequestAudit.SUBJECT_REQUEST);
        assertThat(record.getDetails())
                .containsEntry(RequestAudit.REASON_DETAIL, "validation-failed")
                .containsEntry(RequestAudit.STATUS_DETAIL, "422")
                .containsEntry("msisdn", MASKED_MSISDN);
        assertThat(record.toString()).doesNotContain("712345678");
    }

    @Test
    void shouldAuditUnauthenticatedRequestAsAnonymousWithPresentedKeyIdWhenSignatureIsWrong() throws Exception {
        start();

        // When a caller signs with the key's id but not its secret
        Map<String, String> headers = ApiFixture.signed(WRONG_SECRET, "POST", PAYMENTS, bytes(VALID_BODY));
        assertThat(postPayment(VALID_BODY, headers).status()).isEqualTo(401);

        // Then the refusal is audited: anonymous, the key id it knocked with, the reason, never the signature
        AuditRecord record = onlyAuditRecord().value();
        assertThat(record.getActor()).isEqualTo(RequestAudit.ANONYMOUS);
        assertThat(record.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
        assertThat(record.getDetails())
                .containsEntry(RequestAudit.PRESENTED_KEY_ID_DETAIL, ApiFixture.KEY_ID)
                .containsEntry(RequestAudit.REASON_DETAIL, "invalid-signature")
                .doesNotContainKey(RequestAudit.MERCHANT_DETAIL);
        assertThat(record.toString()).doesNotContain(WRONG_SECRET)
                .doesNotContain(headers.get(RequestSigning.SIGNATURE_HEADER).substring(3));
    }

    @Test
    void shouldAuditTheClientAddressAProxyForwardedWhenThePeerIsATrustedProxy() throws Exception {
        // Given a door behind a trusted proxy (loopback), and key a allowed from 203.0.113.0/24 only
        startBehindProxies(List.of(CidrBlock.parse("127.0.0.1/32")));
        api.keys.save(TestKeys.withNetworks(api.keys.find(ApiFixture.KEY_ID).orElseThrow(), "203.0.113.0/24"));

        // When the proxy forwards a payment from 203.0.113.7
        Map<String, String> headers = ApiFixture.signed("POST", PAYMENTS, bytes(VALID_BODY));
        headers.put("X-Forwarded-For", "198.51.100.1, 203.0.113.7");
        assertThat(postPayment(VALID_BODY, headers).status()).isEqualTo(202);

        // Then the audit names the client the allowlist judged, not the proxy
        assertThat(onlyAuditRecord().value().getDetails()).containsEntry(RequestAudit.CLIENT_IP_DETAIL, "203.0.113.7");
    }

    @Test
    void shouldAuditThePeerAddressNotTheForwardedOneWhenThePeerIsNoTrustedProxy() throws Exception {
        // Given no trusted proxy
        start();

        // When a caller claims to be forwarded for another address
        Map<String, String> headers = ApiFixture.signed("POST", PAYMENTS, bytes(VALID_BODY));
        headers.put("X-Forwarded-For", "203.0.113.7");
        assertThat(postPayment(VALID_BODY, headers).status()).isEqualTo(202);

        // Then the audit keeps the address the server saw
        assertThat(onlyAuditRecord().value().getDetails()).containsEntry(RequestAudit.CLIENT_IP_DETAIL, "127.0.0.1");
    }

    @Test
    void shouldAuditAForgedWebhookAsRefusedByItsProviderWithItsReason() throws Exception {
        start();

        // When a call to the mobile-money hub's webhook is signed with a guessed secret
        byte[] body = bytes(HUB_EVENT);
        Map<String, String> headers = new LinkedHashMap<>(new MobileMoneyHubSignature().sign(body, Instant.now(),
                bytes("a-guessed-secret-of-enough-length")));
        headers.put("Content-Type", "application/json");
        RawHttpClient.Response response = client.send("POST", HUB_PATH, headers, body).orElseThrow();
        assertThat(response.status()).isEqualTo(401);

        // Then its audit record is a refusal by the provider it claims to be, with why, and nothing of its content
        AuditRecord record = onlyAuditRecord().value();
        assertThat(record.getActor()).isEqualTo("provider:" + MobileMoneyHubSignature.PROVIDER);
        assertThat(record.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
        assertThat(record.getAction()).isEqualTo("POST " + HUB_PATH);
        assertThat(record.getSubjectType()).isEqualTo(RequestAudit.SUBJECT_REQUEST);
        assertThat(record.getDetails())
                .containsEntry(RequestAudit.REASON_DETAIL, "webhook-signature-invalid")
                .containsEntry(WebhookRoutes.VERDICT_DETAIL, "FORGED")
                .doesNotContainKey(WebhookRoutes.PROVIDER_EVENT_DETAIL);
        assertThat(record.toString()).doesNotContain(HUB_TRANSACTION);
        assertThat(api.providerEventProducer.history()).isEmpty();
    }

    @Test
    void shouldAuditAStaleWebhookWithItsVerdict() throws Exception {
        start();

        // When a validly signed call comes ten minutes late (a replay of a captured call)
        byte[] body = bytes(HUB_EVENT);
        Map<String, String> headers = new LinkedHashMap<>(new MobileMoneyHubSignature().sign(body,
                Instant.now().minusSeconds(600), bytes(ApiFixture.WEBHOOK_SECRET)));
        assertThat(client.send("POST", HUB_PATH, headers, body).orElseThrow().status()).isEqualTo(401);

        // Then it is audited as refused, stale
        AuditRecord record = onlyAuditRecord().value();
        assertThat(record.getActor()).isEqualTo("provider:" + MobileMoneyHubSignature.PROVIDER);
        assertThat(record.getDetails())
                .containsEntry(RequestAudit.REASON_DETAIL, "webhook-signature-invalid")
                .containsEntry(WebhookRoutes.VERDICT_DETAIL, "STALE");
    }

    @Test
    void shouldAuditAnAcceptedWebhookByItsProviderAgainstItsTransaction() throws Exception {
        start();
        api.submittedTransactions.record(HUB_TRANSACTION);

        // When the hub delivers a validly signed status
        byte[] body = bytes(HUB_EVENT);
        Map<String, String> headers = new LinkedHashMap<>(new MobileMoneyHubSignature().sign(body, Instant.now(),
                bytes(ApiFixture.WEBHOOK_SECRET)));
        assertThat(client.send("POST", HUB_PATH, headers, body).orElseThrow().status()).isEqualTo(200);

        // Then its audit record is a success by the provider, about the transaction, with the event and transition
        ProducerRecord<String, AuditRecord> written = onlyAuditRecord();
        AuditRecord record = written.value();
        assertThat(written.key()).isEqualTo(HUB_TRANSACTION);
        assertThat(record.getActor()).isEqualTo("provider:" + MobileMoneyHubSignature.PROVIDER);
        assertThat(record.getOutcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(record.getSubjectType()).isEqualTo(RequestAudit.SUBJECT_TRANSACTION);
        assertThat(record.getSubjectId()).isEqualTo(HUB_TRANSACTION);
        assertThat(record.getDetails())
                .containsEntry(WebhookRoutes.PROVIDER_EVENT_DETAIL, "hub-evt-81f2")
                .containsEntry(WebhookRoutes.TRANSITION_DETAIL, "APPLIED")
                .doesNotContainKey(RequestAudit.REASON_DETAIL);
    }

    @Test
    void shouldRecordRouteTemplateNotRawPathWhenPathCarriesIds() throws Exception {
        start();
        RawHttpClient.Response accepted = postPayment(VALID_BODY);
        String transactionId = new JsonObject(accepted.bodyText()).getString("transactionId");

        // When the payment is read, and a path that matches no route carries an MSISDN
        assertThat(get("/v1/payments/" + transactionId).status()).isEqualTo(200);
        assertThat(get("/v1/wallets/" + MSISDN).status()).isEqualTo(404);

        // Then the records name the route templates; the transaction read is the subject; the MSISDN is nowhere
        await().atMost(5, TimeUnit.SECONDS).until(() -> audit.history().size() == 3);
        AuditRecord read = audit.history().get(1).value();
        assertThat(read.getAction()).isEqualTo("GET /v1/payments/:transactionId");
        assertThat(read.getSubjectId()).isEqualTo(transactionId);
        AuditRecord unmatched = audit.history().get(2).value();
        assertThat(unmatched.getAction()).isEqualTo("GET unmatched");
        assertThat(unmatched.getDetails()).containsEntry(RequestAudit.REASON_DETAIL, "not-found");
        assertThat(unmatched.toString()).doesNotContain("712345678").doesNotContain("wallets");
    }

    @Test
    void shouldEchoCallersRequestIdWhenWellFormedAndMakeOneOtherwise() throws Exception {
        start();

        // When one request brings a well-formed id and another one an MSISDN as its id
        RawHttpClient.Response kept = client.send("GET", OperationsRoutes.LIVE_PATH,
                Map.of(RequestIds.HEADER, "order-42.attempt-1"), new byte[0]).get();
        RawHttpClient.Response replaced = client.send("GET", OperationsRoutes.LIVE_PATH,
                Map.of(RequestIds.HEADER, MSISDN), new byte[0]).get();

        // Then the first is echoed and audited as it is, the second replaced by a fresh id
        assertThat(kept.header(RequestIds.HEADER)).isEqualTo("order-42.attempt-1");
        assertThat(replaced.header(RequestIds.HEADER)).isNotEqualTo(MSISDN).matches("[0-9a-f-]{36}");
        await().atMost(5, TimeUnit.SECONDS).until(() -> audit.history().size() == 2);
        assertThat(audit.history().get(0).value().getSubjectId()).isEqualTo("order-42.attempt-1");
        assertThat(audit.history().get(1).value().toString()).doesNotContain("712345678");
    }

    @Test
    void shouldAnswerAtOnceWhenAuditWritesHang() throws Exception {
        // Given an audit producer whose send never returns (no metadata, a full buffer)
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        start(new MockProducer<>(true, null, new org.apache.kafka.common.serialization.StringSerializer(),
                (topic, record) -> new byte[0]) {
            @Override
            public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
                    ProducerRecord<String, AuditRecord> record, org.apache.kafka.clients.producer.Callback callback) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.send(record, callback);
            }
        });

        // When requests come in, payments among them
        long startedNanos = System.nanoTime();
        for (int index = 0; index < 20; index++) {
            assertThat(client.send("GET", OperationsRoutes.LIVE_PATH, Map.of(), new byte[0]).get().status()).isEqualTo(200);
        }
        assertThat(postPayment(VALID_BODY).status()).isEqualTo(202);

        // Then every answer came without waiting for the audit
        assertThat(System.nanoTime() - startedNanos).isLessThan(TimeUnit.SECONDS.toNanos(5));
        never.countDown();
    }

    @Test
    void shouldCountAuditWriteFailureWhenKafkaRefusesTheRecord() throws Exception {
        // Given an audit producer the test fails by hand
        start(ApiFixture.auditMockProducer(false));

        // When a request's audit record is refused by Kafka
        assertThat(client.send("GET", OperationsRoutes.LIVE_PATH, Map.of(), new byte[0]).get().status()).isEqualTo(200);
        await().atMost(5, TimeUnit.SECONDS).until(() -> audit.history().size() == 1);
        audit.errorNext(new NotEnoughReplicasException("not enough replicas"));

        // Then the failure is counted
        await().atMost(5, TimeUnit.SECONDS).until(() -> metricsText().contains(
                "ngao_ingest_audit_write_failures_total{cause=\"kafka\",service=\"ingest-service\"} 1.0"));
    }

    // ---------------------------------------------------------------- metrics

    @Test
    void shouldExposeRequestsRefusalsAndKafkaLatencyWhenRequestsWereMade() throws Exception {
        start();

        // When a payment is accepted, one refused for its body, one for its signature
        assertThat(postPayment(VALID_BODY).status()).isEqualTo(202);
        assertThat(postPayment("{\"type\":1}").status()).isEqualTo(422);
        assertThat(postPayment(VALID_BODY, ApiFixture.signed(WRONG_SECRET, "POST", PAYMENTS, bytes(VALID_BODY)))
                .status()).isEqualTo(401);

        // Then the metrics count them by route and outcome, refusals by reason, and time the Kafka write
        String metrics = metricsText();
        assertThat(metrics)
                .contains("ngao_ingest_requests_total{method=\"POST\",outcome=\"success\",route=\"/v1/payments\",service=\"ingest-service\",status=\"202\"} 1.0")
                .contains("ngao_ingest_requests_total{method=\"POST\",outcome=\"refused\",route=\"/v1/payments\",service=\"ingest-service\",status=\"422\"} 1.0")
                .contains("ngao_ingest_refusals_total{reason=\"validation-failed\",service=\"ingest-service\"} 1.0")
                .contains("ngao_ingest_refusals_total{reason=\"invalid-signature\",service=\"ingest-service\"} 1.0")
                .contains("ngao_ingest_kafka_send_seconds_count{result=\"acknowledged\",service=\"ingest-service\",topic=\"payments.requests\"} 1")
                .contains("jvm_memory_used_bytes");
    }

    // ---------------------------------------------------------------- health and documentation

    @Test
    void shouldBeLiveAlwaysAndReadyOnlyWhileKafkaIsReachable() throws Exception {
        start();

        // Then live (and its alias) answer UP, and ready follows the readiness probe
        assertThat(client.send("GET", OperationsRoutes.LIVE_PATH, Map.of(), new byte[0]).get().status()).isEqualTo(200);
        assertThat(client.send("GET", "/health", Map.of(), new byte[0]).get().status()).isEqualTo(200);
        await().atMost(5, TimeUnit.SECONDS).until(() -> readyStatus() == 200);

        // When Kafka becomes unreachable
        api.kafkaReachable.set(false);

        // Then ready answers 503 problem+json, while live stays UP
        await().atMost(5, TimeUnit.SECONDS).until(() -> readyStatus() == 503);
        RawHttpClient.Response notReady = client.send("GET", OperationsRoutes.READY_PATH, Map.of(), new byte[0]).get();
        assertThat(notReady.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(new JsonObject(notReady.bodyText()).getString("type")).endsWith("/not-ready");
        assertThat(client.send("GET", OperationsRoutes.LIVE_PATH, Map.of(), new byte[0]).get().status()).isEqualTo(200);

        // And ready again once Kafka is back
        api.kafkaReachable.set(true);
        await().atMost(5, TimeUnit.SECONDS).until(() -> readyStatus() == 200);
    }

    @Test
    void shouldServeOpenApiDocumentWithoutAuthentication() throws Exception {
        start();

        RawHttpClient.Response document = client.send("GET", OperationsRoutes.OPENAPI_PATH, Map.of(), new byte[0]).get();

        assertThat(document.status()).isEqualTo(200);
        assertThat(document.header("Content-Type")).isEqualTo(OperationsRoutes.YAML);
        assertThat(document.bodyText()).startsWith("openapi: 3.1.0").contains("/v1/payments:");
    }

    // ---------------------------------------------------------------- trace context

    @Test
    void shouldCarryTheCallersTraceToTheEventAndTheAuditWhenAPaymentArrivesWithTraceparent() throws Exception {
        start();
        // Given a caller's W3C trace context
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Map<String, String> headers = new java.util.HashMap<>(ApiFixture.signed("POST", PAYMENTS, bytes(VALID_BODY)));
        headers.put(Traceparent.HEADER, "00-" + traceId + "-00f067aa0ba902b7-01");

        // When the payment is accepted
        RawHttpClient.Response response = postPayment(VALID_BODY, headers);
        assertThat(response.status()).isEqualTo(202);

        // Then the answer, the event on Kafka and the audit record continue the same trace with ingest's own span
        Traceparent answered = Traceparent.parse(response.header(Traceparent.HEADER)).orElseThrow();
        assertThat(answered.traceId()).isEqualTo(traceId);
        assertThat(answered.parentId()).isNotEqualTo("00f067aa0ba902b7");
        ProducerRecord<String, dev.ngao.events.PaymentRequest> event = api.paymentProducer.history().get(0);
        assertThat(Traceparent.from(event.headers())).contains(answered);
        assertThat(onlyAuditRecord().value().getDetails()).containsEntry(RequestAudit.TRACE_ID_DETAIL, traceId);
    }

    @Test
    void shouldStartATraceWhenAPaymentArrivesWithoutOne() throws Exception {
        start();

        // When a payment without a traceparent (or with a malformed one) is accepted
        RawHttpClient.Response response = postPayment(VALID_BODY);

        // Then ingest started a trace, told the caller, and put it on the event
        Traceparent started = Traceparent.parse(response.header(Traceparent.HEADER)).orElseThrow();
        assertThat(Traceparent.from(api.paymentProducer.history().get(0).headers())).contains(started);
    }

    // ---------------------------------------------------------------- input handling

    @Test
    void shouldRefuseUnknownFieldNamingItWhenPaymentBodyHasOne() throws Exception {
        start();

        RawHttpClient.Response response = postPayment(VALID_BODY.replace("}", ",\"callbackUrl\":\"https://x\"}"));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        JsonObject problem = new JsonObject(response.bodyText());
        assertThat(problem.getString("type")).endsWith("/validation-failed");
        assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("callbackUrl");
        assertThat(api.paymentProducer.history()).isEmpty();
    }

    @Test
    void shouldRefuseBodyAsMalformedWhenAKeyIsRepeated() throws Exception {
        start();

        // When the amount is given twice, so which one counts would be up to the parser
        RawHttpClient.Response response = postPayment(VALID_BODY.replace("}", ",\"amount\":\"1.00\"}"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(new JsonObject(response.bodyText()).getString("type")).endsWith("/malformed-json");
        assertThat(api.paymentProducer.history()).isEmpty();
    }

    @Test
    void shouldAnswer431ProblemAndAuditItWhenHeadersExceedTheLimit() throws Exception {
        start();

        // When one header alone is larger than all headers may be
        RawHttpClient.Response response = client.send("GET", OperationsRoutes.LIVE_PATH,
                Map.of("X-Padding", "a".repeat(HttpLimits.MAXIMUM_HEADER_BYTES + 1)), new byte[0]).get();

        // Then it gets a 431 problem, and the refusal is audited and counted like any other
        assertThat(response.status()).isEqualTo(431);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(new JsonObject(response.bodyText()).getString("type")).endsWith("/header-too-large");
        AuditRecord record = onlyAuditRecord().value();
        assertThat(record.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
        assertThat(record.getDetails()).containsEntry(RequestAudit.REASON_DETAIL, "header-too-large")
                .containsEntry(RequestAudit.ROUTE_DETAIL, "invalid-request");
        assertThat(metricsText()).contains("ngao_ingest_refusals_total{reason=\"header-too-large\",service=\"ingest-service\"} 1.0");
    }

    @Test
    void shouldAnswer414ProblemWhenRequestLineExceedsTheLimit() throws Exception {
        start();

        RawHttpClient.Response response = get("/v1/payments/" + "x".repeat(HttpLimits.MAXIMUM_INITIAL_LINE_BYTES));

        assertThat(response.status()).isEqualTo(414);
        assertThat(new JsonObject(response.bodyText()).getString("type")).endsWith("/uri-too-long");
    }

    @Test
    void shouldAnswer400ProblemWhenHeaderHasControlCharacters() throws Exception {
        start();

        RawHttpClient.Response response = client.send("GET", OperationsRoutes.LIVE_PATH,
                Map.of("X-Broken", "a\nb"), new byte[0]).get();

        assertThat(response.status()).isEqualTo(400);
        assertThat(new JsonObject(response.bodyText()).getString("type")).endsWith("/malformed-request");
    }

    @Test
    void shouldAnswer400ProblemWhenQueryCannotBeDecoded() throws Exception {
        start();

        RawHttpClient.Response response = get("/v1/payments/txn_1?%zz=%");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void shouldAnswer415ProblemNot500WhenAGetDeclaresAForm() throws Exception {
        start();

        // When a signed GET says its (empty) body is a form, which Vert.x's body handler cannot take on a GET
        Map<String, String> headers = ApiFixture.signed("GET", "/v1/payments/txn_1", new byte[0]);
        headers.put("Content-Type", "multipart/form-data; boundary=x");
        RawHttpClient.Response response = client.send("GET", "/v1/payments/txn_1", headers, new byte[0]).orElseThrow();

        // Then it is refused for its media type, as a problem
        assertThat(response.status()).isEqualTo(415);
        assertThat(new JsonObject(response.bodyText()).getString("type")).endsWith("/unsupported-media-type");
    }

    @Test
    void shouldAnswerWhenAFormWithAnUndecodableQueryIsPostedToAWebhookOrTheApi() throws Exception {
        start();

        // When forms with a query that cannot be decoded reach a webhook and a payment (empty, so no 415 first)
        byte[] form = bytes("a=b");
        RawHttpClient.Response webhook = client.send("POST", HUB_PATH + "?%zz=%",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), form).orElseThrow();
        Map<String, String> headers = ApiFixture.signed("POST", PAYMENTS + "?%zz=%", new byte[0]);
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        RawHttpClient.Response payment = client.send("POST", PAYMENTS + "?%zz=%", headers, new byte[0]).orElseThrow();

        // Then both are answered (the body handler's merge of form fields would have thrown, leaving no answer)
        assertThat(webhook.status()).isEqualTo(401);
        assertThat(webhook.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(payment.status()).isEqualTo(415);
        assertThat(payment.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void shouldAnswer400ProblemNot500WhenChunkedBodyIsCorrupt() throws Exception {
        start();

        // When a signed payment's chunked body has a chunk size that is not hexadecimal, sent in two parts so
        // that the head passes the signature headers check and is routed before the body fails
        StringBuilder head = new StringBuilder("POST /v1/payments HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n");
        ApiFixture.signed("POST", PAYMENTS, bytes("{\"type\":\"MOBILE_}"))
                .forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Connection: close\r\n\r\n").append("10\r\n{\"type\":\"MOBILE_\r\n");
        java.util.Optional<RawHttpClient.Response> response = client.sendRaw(
                (head + "zz\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));

        // Then the answer, when the connection lives long enough to carry one, is a 400 problem, never a 500;
        // and the audit records a refusal of a malformed request, not a failure of ours
        response.ifPresent(answer -> assertThat(answer.status()).isEqualTo(400));
        AuditRecord record = onlyAuditRecord().value();
        assertThat(record.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
        assertThat(record.getDetails()).containsEntry(RequestAudit.REASON_DETAIL, "malformed-request");
    }

    // ---------------------------------------------------------------- helpers

    /** A payment signed by key a, with a fresh Idempotency-Key. */
    private RawHttpClient.Response postPayment(String body) {
        return postPayment(body, ApiFixture.signed("POST", PAYMENTS, bytes(body)));
    }

    private RawHttpClient.Response postPayment(String body, Map<String, String> headers) {
        return client.send("POST", PAYMENTS, headers, bytes(body)).orElseThrow();
    }

    /** A GET of the raw {@code target}, signed by key a. */
    private RawHttpClient.Response get(String target) {
        return client.send("GET", target, ApiFixture.signed("GET", target, new byte[0]), new byte[0]).orElseThrow();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private ProducerRecord<String, AuditRecord> onlyAuditRecord() {
        await().atMost(5, TimeUnit.SECONDS).until(() -> !audit.history().isEmpty());
        List<ProducerRecord<String, AuditRecord>> history = audit.history();
        assertThat(history).hasSize(1);
        return history.get(0);
    }

    private int readyStatus() {
        return client.send("GET", OperationsRoutes.READY_PATH, Map.of(), new byte[0]).orElseThrow().status();
    }

    private String metricsText() {
        RawHttpClient.Response metrics = client.send("GET", OperationsRoutes.METRICS_PATH, Map.of(), new byte[0]).orElseThrow();
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        return metrics.bodyText();
    }
}
