package dev.ngao.ingest;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;
import dev.ngao.ingest.webhook.StatusQueryIntake;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.schemas.SampleEvents;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Status-query results on providers.status-queries reach providers.events, judged like webhooks, on a real broker. */
@ExtendWith(KafkaClusterExtension.class)
class StatusQueryIntakeIT {

    private static final ProviderCalls PROVIDER = ProviderCalls.PAGOEFECTIVO;
    /** Results in the backlog measurement: enough for a rate, few enough for one record at a time. */
    private static final int BACKLOG = 400;

    private static KafkaContext kafka;
    private static IngestService service;
    private static HttpTestClient client;
    private static KafkaProducer<String, ProviderEvent> reconciler;

    @BeforeAll
    static void startService(KafkaTestCluster cluster) throws Exception {
        Map<String, String> environment = cluster.environment("status-query-it-" + UUID.randomUUID());
        environment.put("NGAO_INGEST_HTTP_PORT", "0");
        environment.put("NGAO_INGEST_KEYS_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
        environment.put("NGAO_INGEST_PII_PEPPER", "integration-test-pepper-0123");
        environment.put(EnvironmentConfig.variableName(PROVIDER.secretsKey), ProviderCalls.SECRET);
        IngestConfig config = IngestConfig.fromEnvironment(environment);
        kafka = KafkaContext.connect(KafkaSettings.from(config));
        service = new IngestService(config, kafka);
        service.start();
        client = new HttpTestClient(service.httpPort());
        reconciler = kafka.producer(Topics.PROVIDER_STATUS_QUERIES, "it-reconciler");
    }

    @AfterAll
    static void stop() {
        if (reconciler != null) {
            reconciler.close();
        }
        if (service != null) {
            service.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldApplyASucceededQueryResultToAPendingPaymentOnceEvenWhenWrittenTwice() throws Exception {
        // Given a payment Ngao accepted, which the provider's webhook made PENDING
        String transactionId = "txn_it_" + UUID.randomUUID().toString().replace("-", "");
        submit(transactionId);
        String body = PROVIDER.body("pe-" + transactionId, transactionId, ProviderStatus.PENDING);
        HttpResponse<String> pending = client.post(PROVIDER.path,
                PROVIDER.signed(body, Instant.now(), ProviderCalls.SECRET), body);
        assertThat(pending.statusCode()).isEqualTo(200);

        // When the reconciler writes a SUCCEEDED status-query result for it
        ProviderEvent result = queryResult(transactionId, ProviderStatus.SUCCEEDED);
        reconciler.send(new ProducerRecord<>(Topics.PROVIDER_STATUS_QUERIES.name(), transactionId, result))
                .get(10, TimeUnit.SECONDS);

        // Then providers.events gets it as the one APPLIED SUCCEEDED of the transaction, from the status query
        await().atMost(Duration.ofSeconds(60)).until(() -> providerEventsOf(transactionId).size() == 2);
        List<ProviderEvent> events = providerEventsOf(transactionId);
        assertThat(events.get(0).getSource()).isEqualTo(ProviderEventSource.WEBHOOK);
        ProviderEvent applied = events.get(1);
        assertThat(applied.getSource()).isEqualTo(ProviderEventSource.STATUS_QUERY);
        assertThat(applied.getStatus()).isEqualTo(ProviderStatus.SUCCEEDED);
        assertThat(applied.getTransition()).isEqualTo(StatusTransition.APPLIED);
        assertThat(applied.getPreviousStatus()).isEqualTo(ProviderStatus.PENDING);
        assertThat(applied.getEventId()).isEqualTo(result.getEventId());
        assertThat(applied.getProviderEventId()).isEqualTo(result.getProviderEventId());
        assertThat(applied.getReceivedAt()).isAfter(result.getReceivedAt());

        // When the same result is written again (the reconciler asked again, or redelivered)
        reconciler.send(new ProducerRecord<>(Topics.PROVIDER_STATUS_QUERIES.name(), transactionId, result))
                .get(10, TimeUnit.SECONDS);

        // Then it is recorded as a duplicate: still exactly one APPLIED SUCCEEDED
        await().atMost(Duration.ofSeconds(60)).until(() -> providerEventsOf(transactionId).size() == 3);
        events = providerEventsOf(transactionId);
        assertThat(events.get(2).getTransition()).isEqualTo(StatusTransition.DUPLICATE_STATUS);
        assertThat(events.get(2).getPreviousStatus()).isEqualTo(ProviderStatus.SUCCEEDED);
        assertThat(events).filteredOn(event -> event.getTransition() == StatusTransition.APPLIED
                && event.getStatus() == ProviderStatus.SUCCEEDED).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> readAll(Topics.AUDIT_INGEST,
                record -> record.getSubjectId().equals(transactionId)
                        && record.getAction().equals(StatusQueryIntake.ACTION)).size() == 2);
        List<AuditRecord> audited = readAll(Topics.AUDIT_INGEST, record -> record.getSubjectId().equals(transactionId)
                && record.getAction().equals(StatusQueryIntake.ACTION));
        assertThat(audited).extracting(AuditRecord::getActor).containsOnly(StatusQueryIntake.ACTOR);
    }

    @Test
    void shouldSkipAnUnreadableResultAndTakeTheNextOne() throws Exception {
        // Given a result without a value and one of a provider nobody serves
        String transactionId = "txn_it_" + UUID.randomUUID().toString().replace("-", "");
        reconciler.send(new ProducerRecord<>(Topics.PROVIDER_STATUS_QUERIES.name(), transactionId, null))
                .get(10, TimeUnit.SECONDS);
        ProviderEvent unknown = ProviderEvent.newBuilder(queryResult(transactionId, ProviderStatus.FAILED))
                .setProvider("no-such-provider").build();
        reconciler.send(new ProducerRecord<>(Topics.PROVIDER_STATUS_QUERIES.name(), transactionId, unknown))
                .get(10, TimeUnit.SECONDS);

        // When a valid result follows
        reconciler.send(new ProducerRecord<>(Topics.PROVIDER_STATUS_QUERIES.name(), transactionId,
                queryResult(transactionId, ProviderStatus.EXPIRED))).get(10, TimeUnit.SECONDS);

        // Then only the valid one is written, first status of the transaction
        await().atMost(Duration.ofSeconds(60)).until(() -> providerEventsOf(transactionId).size() == 1);
        ProviderEvent written = providerEventsOf(transactionId).get(0);
        assertThat(written.getStatus()).isEqualTo(ProviderStatus.EXPIRED);
        assertThat(written.getTransition()).isEqualTo(StatusTransition.APPLIED);
        assertThat(written.getPreviousStatus()).isNull();
    }

    /**
     * A measurement, not a bound: how fast the intake applies a backlog of results of different transactions, as
     * the reconciler's chaser leaves them after every submission's first answer. Prints the rate; the assertion is
     * only that every result reaches providers.events, each once.
     */
    @Test
    void shouldApplyABacklogOfResultsOfManyTransactions() throws Exception {
        // Given a backlog of results, one per transaction, written at once
        String prefix = "txn_it_backlog_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
        List<Future<?>> sent = new ArrayList<>();
        for (int n = 0; n < BACKLOG; n++) {
            String transactionId = prefix + n;
            sent.add(reconciler.send(new ProducerRecord<>(Topics.PROVIDER_STATUS_QUERIES.name(), transactionId,
                    queryResult(transactionId, ProviderStatus.SUCCEEDED))));
        }
        for (Future<?> send : sent) {
            send.get(30, TimeUnit.SECONDS);
        }
        long writtenNs = System.nanoTime();

        // When the intake takes it in, then every result becomes one provider event
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> readAll(Topics.PROVIDER_EVENTS, event -> event.getTransactionId().startsWith(prefix))
                        .size() >= BACKLOG);
        double seconds = (System.nanoTime() - writtenNs) / 1e9;
        System.out.printf("StatusQueryIntakeIT: %d status-query results applied in %.1f s (%.0f a minute)%n",
                BACKLOG, seconds, BACKLOG * 60 / seconds);
        List<ProviderEvent> events = readAll(Topics.PROVIDER_EVENTS,
                event -> event.getTransactionId().startsWith(prefix));
        assertThat(events).extracting(ProviderEvent::getTransactionId).doesNotHaveDuplicates().hasSize(BACKLOG);
        assertThat(events).extracting(ProviderEvent::getTransition).containsOnly(StatusTransition.APPLIED);
    }

    /** Writes a payment request of {@code transactionId} to payments.requests, as an instance accepting it does. */
    private static void submit(String transactionId) throws Exception {
        PaymentRequest request = SampleEvents.paymentRequest(transactionId)
                .setMerchantId("merchant-a")
                .setAccountId("msisdn:0123456789abcdef0123456789abcdef")
                .setAmount(new Money(5_000L, "KES"))
                .setApiKeyId("key-a")
                .setRequestedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
        try (KafkaProducer<String, PaymentRequest> payments = kafka.producer(Topics.PAYMENT_REQUESTS, "it-payments")) {
            payments.send(new ProducerRecord<>(Topics.PAYMENT_REQUESTS.name(), request.getAccountId(), request))
                    .get(10, TimeUnit.SECONDS);
        }
    }

    /** A result as the reconciler's chaser builds it. */
    private static ProviderEvent queryResult(String transactionId, ProviderStatus status) {
        String provider = PROVIDER.scheme.provider();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return ProviderEvent.newBuilder()
                .setEventId("sq:" + provider + ":" + transactionId + ":" + status.name())
                .setProvider(provider)
                .setProviderEventId("status-query:" + transactionId + ":" + status.name())
                .setTransactionId(transactionId)
                .setProviderReference("2026030112345")
                .setStatus(status)
                .setAmount(new Money(5_000L, "PEN"))
                .setFee(null)
                .setSource(ProviderEventSource.STATUS_QUERY)
                .setOccurredAt(now.minusSeconds(60))
                .setReceivedAt(now.minusSeconds(30))
                .setTransition(StatusTransition.APPLIED)
                .setPreviousStatus(ProviderStatus.PENDING)
                .build();
    }

    private static List<ProviderEvent> providerEventsOf(String transactionId) {
        return readAll(Topics.PROVIDER_EVENTS, event -> event.getTransactionId().equals(transactionId));
    }

    /** Everything on {@code topic} up to its current end, as a read_committed reader sees it. */
    private static <V> List<V> readAll(Topic<String, V> topic, Predicate<V> wanted) {
        return TopicReader.values(kafka, topic, wanted);
    }
}
