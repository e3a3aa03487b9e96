package dev.ngao.notifier;

import dev.ngao.events.Outcome;
import dev.ngao.events.ProviderStatus;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.auth.TestSignedRoutes;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notifier end to end on a real KRaft broker, with a local HTTP server as the merchant: final statuses
 * in (some repeated, one before its payment request), signed webhooks out, retried until acknowledged, and a
 * pending delivery that survives a restart.
 */
@ExtendWith(KafkaClusterExtension.class)
class NotifierServiceIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SCOPE = "notifier-it-" + UUID.randomUUID();
    private static final String NEW_SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("notifier-it-new-secret-32-bytes!".getBytes(StandardCharsets.UTF_8));
    private static final String OLD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @TempDir
    Path dataDirectory;

    private final TestSignedRoutes signed = new TestSignedRoutes();
    private RequestSigner operator;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String merchantId = "merchant-" + run;
    private final String groupId = "notifier-it-" + run;
    private KafkaTestCluster cluster;
    private KafkaContext kafka;
    private NotifierService service;
    private MerchantServer merchant;

    @AfterAll
    static void dropRegistryScope() {
        InMemorySchemaRegistry.dropScope(SCOPE);
    }

    @BeforeEach
    void connect(KafkaTestCluster cluster) {
        this.cluster = cluster;
        kafka = KafkaContext.connect(cluster.settings(SCOPE));
        kafka.ensureTopics(List.of(Topics.PAYMENT_REQUESTS, Topics.RISK_DECISIONS, Topics.PROVIDER_EVENTS),
                "notifier-it-admin");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (service != null) {
            service.close();
        }
        if (merchant != null) {
            merchant.close();
        }
        kafka.close();
    }

    @Test
    void shouldDeliverEachFinalStatusOnceSignedWhenTheMerchantFailsTheFirstAttemptsAndStatusesRepeat()
            throws Exception {
        // Given a merchant whose endpoint fails each message's first two attempts, verifying with its old secret
        merchant = new MerchantServer(2, WebhookSecret.parse(OLD_SECRET));
        String declined = "txn-declined-" + run;
        String succeeded = "txn-succeeded-" + run;
        String failedEarly = "txn-failed-" + run;
        // a decline replayed, an approval (not final) then a success the provider reported twice, and a failure
        // read before its payment request
        produce(Topics.PROVIDER_EVENTS, failedEarly, Events.providerEvent(failedEarly, "e-" + run + "-3",
                ProviderStatus.FAILED));
        produce(Topics.PAYMENT_REQUESTS, "account-1", Events.request(declined, merchantId, 150_050));
        produce(Topics.PAYMENT_REQUESTS, "account-2", Events.request(succeeded, merchantId, 2_500));
        produce(Topics.RISK_DECISIONS, declined, Events.decision(declined, merchantId, Outcome.DECLINE,
                Events.reason("per-transaction-limit", Outcome.DECLINE, "amount above the per-transaction limit",
                        false)));
        produce(Topics.RISK_DECISIONS, declined, Events.decision(declined, merchantId, Outcome.DECLINE));
        produce(Topics.RISK_DECISIONS, succeeded, Events.decision(succeeded, merchantId, Outcome.APPROVE));
        produce(Topics.PROVIDER_EVENTS, succeeded, Events.providerEvent(succeeded, "e-" + run + "-1",
                ProviderStatus.SUCCEEDED));
        produce(Topics.PROVIDER_EVENTS, succeeded, Events.providerEvent(succeeded, "e-" + run + "-2",
                ProviderStatus.SUCCEEDED));

        // When the notifier runs, and the late payment request comes
        startService();
        produce(Topics.PAYMENT_REQUESTS, "account-3", Events.request(failedEarly, merchantId, 700));

        // Then each final status is acknowledged once, after two failed attempts
        List<String> webhookIds = List.of(WebhookIds.of(declined, FinalStatus.DECLINED),
                WebhookIds.of(succeeded, FinalStatus.SUCCEEDED), WebhookIds.of(failedEarly, FinalStatus.FAILED));
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (String webhookId : webhookIds) {
                assertThat(status(webhookId)).as(webhookId).isEqualTo("ACKNOWLEDGED");
            }
        });
        for (String webhookId : webhookIds) {
            assertThat(merchant.acknowledged(webhookId)).as("acknowledgements of %s", webhookId).isEqualTo(1);
            JsonObject delivery = getJson("/v1/deliveries/" + webhookId);
            assertThat(delivery.getJsonArray("attempts").stream().map(a -> ((JsonObject) a).getInteger("httpStatus")))
                    .containsExactly(503, 503, 200);
            assertThat(delivery.getString("merchantId")).isEqualTo(merchantId);
        }
        assertThat(merchant.received()).hasSize(9).allSatisfy(received -> {
            assertThat(received.signatureValid()).as("signature of %s", received.webhookId()).isTrue();
            assertThat(received.body()).doesNotContain(Events.MSISDN, "wallet-hash");
        });
        JsonObject declinedPayload = new JsonObject(merchant.received().stream()
                .filter(received -> received.webhookId().equals(webhookIds.get(0))).findFirst().orElseThrow().body());
        assertThat(declinedPayload.getString("type")).isEqualTo(NotificationPayload.EVENT_TYPE);
        assertThat(declinedPayload.getJsonObject("data").getMap()).containsEntry("transactionId", declined)
                .containsEntry("merchantReference", "order-" + declined)
                .containsEntry("status", "DECLINED")
                .containsEntry("reason", "amount above the per-transaction limit")
                .containsEntry("occurredAt", "2025-01-15T10:00:00.015Z");
        assertThat(declinedPayload.getJsonObject("data").getJsonObject("amount").getMap())
                .containsEntry("amountMinor", 150_050).containsEntry("currency", "KES");

        JsonArray ofMerchant = getJson("/v1/deliveries?merchant=" + merchantId).getJsonArray("deliveries");
        assertThat(ofMerchant).hasSize(3);
        assertThat(getJson("/v1/deliveries?transaction=" + succeeded).getJsonArray("deliveries")).hasSize(1);
        assertThat(get("/metrics").body()).contains("ngao_notifier_deliveries_total{outcome=\"acknowledged\"");
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/v1/deliveries").statusCode()).isEqualTo(400);
        assertThat(get("/v1/deliveries/msg_00000000000000000000000000000000").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldDeliverAPendingStatusWhenTheNotifierRestartsAfterFailedAttempts() throws Exception {
        // Given a merchant that is down, and a success the notifier has tried to deliver
        merchant = new MerchantServer(0, WebhookSecret.parse(NEW_SECRET));
        merchant.down.set(true);
        String transactionId = "txn-restart-" + run;
        String webhookId = WebhookIds.of(transactionId, FinalStatus.SUCCEEDED);
        produce(Topics.PAYMENT_REQUESTS, "account-4", Events.request(transactionId, merchantId, 9_900));
        produce(Topics.PROVIDER_EVENTS, transactionId, Events.providerEvent(transactionId, "e-" + run + "-r",
                ProviderStatus.SUCCEEDED));
        startService();
        await().atMost(PATIENCE).until(() -> attemptCount(webhookId) >= 2);

        // When the notifier stops, the merchant comes back, and the notifier starts again on the same data
        service.close();
        service = null;
        merchant.down.set(false);
        startService();

        // Then the pending delivery is made once, its earlier failed attempts still in the log
        await().atMost(PATIENCE).until(() -> "ACKNOWLEDGED".equals(status(webhookId)));
        assertThat(merchant.acknowledged(webhookId)).isEqualTo(1);
        JsonObject delivery = getJson("/v1/deliveries/" + webhookId);
        JsonArray attempts = delivery.getJsonArray("attempts");
        assertThat(attempts.size()).isGreaterThanOrEqualTo(3);
        assertThat(attempts.getJsonObject(attempts.size() - 1).getInteger("httpStatus")).isEqualTo(200);
        assertThat(attempts.getJsonObject(0).getInteger("httpStatus")).isEqualTo(503);
        assertThat(merchant.received()).allSatisfy(received -> assertThat(received.signatureValid()).isTrue());
    }

    private void startService() throws Exception {
        Map<String, String> environment = new HashMap<>(cluster.environment(SCOPE));
        environment.put("NGAO_NOTIFIER_DATA_DIR", dataDirectory.toString());
        environment.put("NGAO_NOTIFIER_HTTP_PORT", "0");
        environment.put("NGAO_NOTIFIER_GROUP_ID", groupId);
        environment.put("NGAO_NOTIFIER_MERCHANTS", merchantId + "=" + merchant.url());
        // Rotation: both secrets sign; each test's merchant verifies with one of them.
        environment.put("NGAO_NOTIFIER_MERCHANT_SECRETS", merchantId + "=" + NEW_SECRET + " " + OLD_SECRET);
        environment.put("NGAO_NOTIFIER_RETRY_INITIAL_BACKOFF_MS", "100");
        environment.put("NGAO_NOTIFIER_RETRY_MAX_BACKOFF_MS", "400");
        environment.put("NGAO_NOTIFIER_DISPATCH_INTERVAL_MS", "50");
        environment.put("NGAO_NOTIFIER_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        if (operator == null) {
            operator = TestSignedRoutes.saveKey(kafka, "notifier-it-operator-" + run, "ngao-operations",
                    Scopes.OPERATOR_READ);
        }
        service = new NotifierService(NotifierConfig.fromEnvironment(environment), kafka);
        service.start();
    }

    private <V> void produce(Topic<String, V> topic, String key, V value) throws Exception {
        try (KafkaProducer<String, V> producer = kafka.producer(topic, "notifier-it-producer")) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        }
    }

    private String status(String webhookId) throws Exception {
        HttpResponse<String> response = get("/v1/deliveries/" + webhookId);
        return response.statusCode() == 200 ? new JsonObject(response.body()).getString("status") : null;
    }

    private int attemptCount(String webhookId) throws Exception {
        HttpResponse<String> response = get("/v1/deliveries/" + webhookId);
        return response.statusCode() == 200 ? new JsonObject(response.body()).getInteger("attemptCount") : 0;
    }

    private JsonObject getJson(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return signed.get(URI.create("http://127.0.0.1:" + service.httpPort() + path), operator);
    }
}
