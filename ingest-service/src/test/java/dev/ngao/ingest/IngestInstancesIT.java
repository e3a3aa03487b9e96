package dev.ngao.ingest;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;
import dev.ngao.ingest.audit.RequestAudit;
import dev.ngao.ingest.webhook.WebhookRoutes;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two ingest-service instances on one real KRaft broker, as two pods behind a load balancer: idempotency
 * keys and webhook de-duplication hold across them and across a restart, because both follow
 * ingest.idempotency and judge claims by the same fold.
 */
@ExtendWith(KafkaClusterExtension.class)
class IngestInstancesIT {

    private static final String KEY_A = "key-a";
    private static final String SECRET_A = "secret-of-merchant-a-000000001";
    private static final String KEY_B = "key-b";
    private static final String SECRET_B = "secret-of-merchant-b-000000002";

    private static Map<String, String> environment;
    private static KafkaContext kafka;
    private static IngestService first;
    private static IngestService second;
    private static HttpTestClient toFirst;
    private static HttpTestClient toSecond;

    @BeforeAll
    static void startTwoInstances(KafkaTestCluster cluster) throws Exception {
        environment = cluster.environment("ingest-instances-it-" + UUID.randomUUID());
        environment.put("NGAO_INGEST_HTTP_PORT", "0");
        environment.put("NGAO_INGEST_KEYS_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
        environment.put("NGAO_INGEST_PII_PEPPER", "integration-test-pepper-0123");
        for (ProviderCalls provider : ProviderCalls.values()) {
            environment.put(dev.ngao.platform.config.EnvironmentConfig.variableName(provider.secretsKey),
                    ProviderCalls.SECRET + "," + ProviderCalls.OLD_SECRET);
        }
        IngestConfig config = IngestConfig.fromEnvironment(environment);
        kafka = KafkaContext.connect(KafkaSettings.from(config));
        IntegrationKeys.create(kafka, config, Map.of(KEY_A, new String[] {"merchant-a", SECRET_A},
                KEY_B, new String[] {"merchant-b", SECRET_B}));
        first = new IngestService(config, kafka);
        first.start();
        second = new IngestService(config, kafka);
        second.start();
        toFirst = new HttpTestClient(first.httpPort());
        toSecond = new HttpTestClient(second.httpPort());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[]{first, second}) {
            if (closeable != null) {
                ((IngestService) closeable).close();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldReplayByteForByteAndWriteOneEventWhenRetriedOnTheOtherInstance() {
        // Given a payment accepted by the first instance
        String reference = uniqueReference();
        String body = body(reference);
        HttpResponse<String> accepted = toFirst.postPaymentWithKey(KEY_A, SECRET_A, body, reference);

        // When the retry reaches the second instance
        HttpResponse<String> retry = toSecond.postPaymentWithKey(KEY_A, SECRET_A, body, reference);

        // Then it gets the first answer, and payments.requests holds one event for it
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.body()).isEqualTo(accepted.body());
        assertThat(retry.headers().firstValue("Location")).isEqualTo(accepted.headers().firstValue("Location"));
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertOneRequestOf(reference);
    }

    @Test
    void shouldWriteOneEventWhenBothInstancesRaceTheSameKey() throws Exception {
        // Given sixteen identical requests spread over both instances at once
        String reference = uniqueReference();
        String body = body(reference);
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int index = 0; index < 16; index++) {
            HttpTestClient client = index % 2 == 0 ? toFirst : toSecond;
            responses.add(client.postPaymentWithKeyAsync(KEY_A, SECRET_A, body, reference));
        }

        // Then every one gets the same 202, and one event was written
        List<String> bodies = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            HttpResponse<String> answer = response.get(60, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            bodies.add(answer.body());
        }
        assertThat(bodies).containsOnly(bodies.get(0));
        PaymentRequest event = assertOneRequestOf(reference);
        assertThat(new JsonObject(bodies.get(0)).getString("transactionId")).isEqualTo(event.getTransactionId());
    }

    @Test
    void shouldAcceptOneBodyAndRefuseTheOtherWhenBothInstancesRaceDifferentBodiesUnderOneKey() throws Exception {
        // Given two different bodies under one key, eight of each, spread over both instances at once
        String key = uniqueReference();
        String winnerOrLoser = key + "-a";
        String other = key + "-b";
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int index = 0; index < 16; index++) {
            HttpTestClient client = index % 2 == 0 ? toFirst : toSecond;
            String reference = index % 4 < 2 ? winnerOrLoser : other;
            responses.add(client.postPaymentWithKeyAsync(KEY_A, SECRET_A, body(reference), key));
        }

        // Then the first claim in the log decided for both instances: one body accepted (every one of its
        // requests gets the same 202), the other refused as a reuse, and one event carries the accepted body
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            answers.add(response.get(60, TimeUnit.SECONDS));
        }
        List<HttpResponse<String>> accepted = answers.stream().filter(answer -> answer.statusCode() == 202).toList();
        assertThat(accepted).hasSize(8);
        assertThat(accepted).extracting(HttpResponse::body).containsOnly(accepted.get(0).body());
        assertThat(answers.stream().filter(answer -> answer.statusCode() == 422)).hasSize(8);
        String transactionId = new JsonObject(accepted.get(0).body()).getString("transactionId");
        List<PaymentRequest> events = new ArrayList<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            events.clear();
            events.addAll(readAll(Topics.PAYMENT_REQUESTS, request -> request.getTransactionId().equals(transactionId)));
            return !events.isEmpty();
        });
        assertThat(events).hasSize(1);
        int acceptedIndex = answers.indexOf(accepted.get(0));
        assertThat(events.get(0).getMerchantReference()).isEqualTo(acceptedIndex % 4 < 2 ? winnerOrLoser : other);
    }

    @Test
    void shouldRefuseAReuseWithAnotherBodyOnTheOtherInstance() {
        String reference = uniqueReference();
        toFirst.postPaymentWithKey(KEY_A, SECRET_A, body(reference), reference);

        HttpResponse<String> reused = toSecond.postPaymentWithKey(KEY_A, SECRET_A, body(reference + "-other"), reference);

        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(new JsonObject(reused.body()).getString("type")).endsWith("/idempotency-key-reused");
    }

    @Test
    void shouldKeepMerchantsApartWhenTheyUseTheSameKey() {
        String reference = uniqueReference();

        HttpResponse<String> ofA = toFirst.postPaymentWithKey(KEY_A, SECRET_A, body(reference), "shared-" + reference);
        HttpResponse<String> ofB = toSecond.postPaymentWithKey(KEY_B, SECRET_B, body(reference), "shared-" + reference);

        assertThat(ofA.statusCode()).isEqualTo(202);
        assertThat(ofB.statusCode()).isEqualTo(202);
        assertThat(ofA.body()).isNotEqualTo(ofB.body());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> requestsOf(reference).size() == 2);
    }

    @Test
    void shouldReplayFromANewInstanceWhenStartedAfterTheAnswerWasRecorded() {
        // Given an answer recorded by the running instances
        String reference = uniqueReference();
        HttpResponse<String> accepted = toFirst.postPaymentWithKey(KEY_A, SECRET_A, body(reference), reference);

        // When a new instance starts (a restart, or a new pod) and the retry reaches it
        try (IngestService restarted = new IngestService(IngestConfig.fromEnvironment(environment), kafka)) {
            startQuietly(restarted);
            HttpResponse<String> retry = new HttpTestClient(restarted.httpPort())
                    .postPaymentWithKey(KEY_A, SECRET_A, body(reference), reference);

            // Then it replays the first answer and writes nothing
            assertThat(retry.statusCode()).isEqualTo(202);
            assertThat(retry.body()).isEqualTo(accepted.body());
        }
        assertOneRequestOf(reference);
    }

    @Test
    void shouldWriteEachProvidersSignedEventForReadCommittedReaders() {
        for (ProviderCalls provider : ProviderCalls.values()) {
            // Given a signed status from the provider about a payment Ngao accepted
            String transactionId = acceptedPayment();
            String body = provider.body("evt-" + transactionId, transactionId, ProviderStatus.SUCCEEDED);

            // When it is delivered, and delivered again to the other instance
            HttpResponse<String> accepted = deliver(toFirst, provider, body);
            HttpResponse<String> redelivered = deliver(toSecond, provider, body);

            // Then both are answered 200 and providers.events holds one normalised event
            assertThat(accepted.statusCode()).as(provider.name()).isEqualTo(200);
            assertThat(redelivered.body()).isEqualTo(accepted.body());
            List<ProviderEvent> events = providerEventsOf(transactionId);
            assertThat(events).as(provider.name()).hasSize(1);
            assertThat(events.get(0).getProvider()).isEqualTo(provider.scheme.provider());
            assertThat(events.get(0).getStatus()).isEqualTo(ProviderStatus.SUCCEEDED);
            assertThat(events.get(0).getTransition()).isEqualTo(StatusTransition.APPLIED);
        }
    }

    @Test
    void shouldRecordAConflictWhenTheOtherInstanceReceivesSucceededAfterExpired() {
        // Given the first instance recorded an expiry
        ProviderCalls provider = ProviderCalls.PAGOEFECTIVO;
        String transactionId = acceptedPayment();
        assertThat(deliver(toFirst, provider, provider.body("pe-1-" + transactionId, transactionId,
                ProviderStatus.EXPIRED)).statusCode()).isEqualTo(200);

        // When the late payment reaches the second instance
        HttpResponse<String> late = deliver(toSecond, provider, provider.body("pe-2-" + transactionId, transactionId,
                ProviderStatus.SUCCEEDED));

        // Then the second instance judges it against the first one's write: a conflict, not applied
        assertThat(late.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(late.body()).getString("transition")).isEqualTo("CONFLICT");
        assertThat(providerEventsOf(transactionId)).extracting(ProviderEvent::getTransition)
                .containsExactly(StatusTransition.APPLIED, StatusTransition.CONFLICT);
    }

    @Test
    void shouldWriteNothingWhenAWebhookIsForged() {
        ProviderCalls provider = ProviderCalls.MOBILE_MONEY;
        String transactionId = "txn_it_" + UUID.randomUUID().toString().replace("-", "");
        String body = provider.body("evt-forged", transactionId, ProviderStatus.SUCCEEDED);

        HttpResponse<String> forged = toFirst.post(provider.path,
                provider.signed(body, Instant.now(), "a-guessed-secret-of-enough-length"), body);

        assertThat(forged.statusCode()).isEqualTo(401);
        // A later valid event of another transaction shows the topic was read up to after the forged call.
        String marker = acceptedPayment();
        deliver(toFirst, provider, provider.body("evt-" + marker, marker, ProviderStatus.PENDING));
        assertThat(providerEventsOf(marker)).hasSize(1);
        assertThat(providerEventsOf(transactionId)).isEmpty();
    }

    @Test
    void shouldRefuseEachProvidersEventForATransactionNeverSubmittedAuditItAndWriteNothing() {
        for (ProviderCalls provider : ProviderCalls.values()) {
            // Given a validly signed status naming a transaction no instance ever accepted
            String transactionId = "txn_" + UUID.randomUUID().toString().replace("-", "");
            String body = provider.body("evt-" + transactionId, transactionId, ProviderStatus.SUCCEEDED);

            // When it is delivered to each instance
            HttpResponse<String> toOne = deliver(toFirst, provider, body);
            HttpResponse<String> toOther = deliver(toSecond, provider, body);

            // Then both refuse it, audit it under the provider with the transaction, and write nothing
            for (HttpResponse<String> refused : List.of(toOne, toOther)) {
                assertThat(refused.statusCode()).as(provider.name()).isEqualTo(404);
                assertThat(new JsonObject(refused.body()).getString("type"))
                        .endsWith("/" + WebhookRoutes.UNKNOWN_TRANSACTION);
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> readAll(Topics.AUDIT_INGEST,
                    record -> transactionId.equals(record.getSubjectId())).size() == 2);
            assertThat(readAll(Topics.AUDIT_INGEST, record -> transactionId.equals(record.getSubjectId())))
                    .allSatisfy(record -> {
                        assertThat(record.getActor()).isEqualTo("provider:" + provider.scheme.provider());
                        assertThat(record.getDetails()).containsEntry(RequestAudit.REASON_DETAIL,
                                WebhookRoutes.UNKNOWN_TRANSACTION);
                        assertThat(record.getDetails()).containsEntry(WebhookRoutes.PROVIDER_EVENT_DETAIL,
                                "evt-" + transactionId);
                    });
            // A later accepted event shows providers.events was read past both refusals.
            String marker = acceptedPayment();
            assertThat(deliver(toFirst, provider, provider.body("evt-" + marker, marker, ProviderStatus.PENDING))
                    .statusCode()).isEqualTo(200);
            assertThat(providerEventsOf(marker)).hasSize(1);
            assertThat(providerEventsOf(transactionId)).as(provider.name()).isEmpty();
        }
    }

    @Test
    void shouldApplyAWebhookForAPaymentTheOtherInstanceAcceptedAndAfterARestart() {
        // Given a payment the first instance accepted
        String transactionId = acceptedPayment();
        ProviderCalls provider = ProviderCalls.MOBILE_MONEY;

        // When its provider's status reaches the second instance at once
        HttpResponse<String> pending = deliver(toSecond, provider, provider.body("evt-p-" + transactionId,
                transactionId, ProviderStatus.PENDING));

        // Then it applies
        assertThat(pending.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(pending.body()).getString("transition")).isEqualTo("APPLIED");

        // When a new instance starts (a restart, or a new pod) and the final status reaches it
        try (IngestService restarted = new IngestService(IngestConfig.fromEnvironment(environment), kafka)) {
            startQuietly(restarted);
            HttpResponse<String> succeeded = deliver(new HttpTestClient(restarted.httpPort()), provider,
                    provider.body("evt-s-" + transactionId, transactionId, ProviderStatus.SUCCEEDED));

            // Then it knows the payment from the topics it rebuilt from, and applies the status too
            assertThat(succeeded.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(succeeded.body()).getString("transition")).isEqualTo("APPLIED");
        }
        assertThat(providerEventsOf(transactionId)).extracting(ProviderEvent::getStatus)
                .containsExactly(ProviderStatus.PENDING, ProviderStatus.SUCCEEDED);
    }

    /** A payment the first instance accepted: its transaction id. */
    private static String acceptedPayment() {
        String reference = uniqueReference();
        HttpResponse<String> accepted = toFirst.postPaymentWithKey(KEY_A, SECRET_A, body(reference), reference);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return new JsonObject(accepted.body()).getString("transactionId");
    }

    private static HttpResponse<String> deliver(HttpTestClient client, ProviderCalls provider, String body) {
        return client.post(provider.path, provider.signed(body, Instant.now(), ProviderCalls.SECRET), body);
    }

    private static void startQuietly(IngestService service) {
        try {
            service.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String uniqueReference() {
        return "order-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String body(String reference) {
        return HttpTestClient.VALID_BODY.replace("order-42", reference);
    }

    /**
     * The one event of {@code reference}: the 202 follows the claim's acknowledgement, and the event is
     * published right after it, so it is awaited; then there must be exactly one.
     */
    private static PaymentRequest assertOneRequestOf(String reference) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !requestsOf(reference).isEmpty());
        List<PaymentRequest> events = requestsOf(reference);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private static List<PaymentRequest> requestsOf(String reference) {
        return readAll(Topics.PAYMENT_REQUESTS, request -> request.getMerchantReference().equals(reference));
    }

    private static List<ProviderEvent> providerEventsOf(String transactionId) {
        return readAll(Topics.PROVIDER_EVENTS, event -> event.getTransactionId().equals(transactionId));
    }

    /** Everything on {@code topic} up to its current end, as a read_committed reader sees it. */
    private static <V> List<V> readAll(Topic<String, V> topic, Predicate<V> wanted) {
        return TopicReader.values(kafka, topic, wanted);
    }
}
