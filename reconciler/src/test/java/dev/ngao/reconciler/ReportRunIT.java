package dev.ngao.reconciler;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.BreakKind;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderHealth;
import dev.ngao.events.ProviderHealthEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.auth.TestSignedRoutes;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.report.SettlementReportFormat;
import dev.ngao.reconciler.report.TestReportFormat;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.ngao.reconciler.ProviderFixtures.approval;
import static dev.ngao.reconciler.ProviderFixtures.event;
import static dev.ngao.reconciler.ProviderFixtures.money;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(KafkaClusterExtension.class)
class ReportRunIT {

    private static final String HUB = ProviderKind.MOBILE_MONEY_HUB.id();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path stateDirectory;

    @Test
    void shouldReconcileAnUploadedReportAgainstTheLedgerViewAndChaseAStuckPaymentWhenRunningAgainstABroker(
            KafkaTestCluster cluster)
            throws Exception {
        // Given the reconciler on a real broker with an adapter of the hub, which says every queried payment succeeded
        String scope = "report-run-it-" + UUID.randomUUID();
        Map<String, String> environment = new HashMap<>(cluster.environment(scope));
        environment.put("NGAO_RECONCILER_APPLICATION_ID", scope);
        environment.put("NGAO_RECONCILER_STATE_DIR", stateDirectory.toString());
        environment.put("NGAO_RECONCILER_HTTP_PORT", "0");
        environment.put("NGAO_RECONCILER_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        environment.put("NGAO_RECONCILER_CHASE_INTERVAL_SECONDS", "1");
        environment.put("NGAO_PROVIDERS_MOBILE_MONEY_HUB_PENDING_TIMEOUT_SECONDS", "1");
        environment.put("NGAO_PROVIDERS_HEARTBEAT_INTERVAL_MS", "500");
        ReconcilerConfig config = ReconcilerConfig.fromEnvironment(environment);
        Instant morning = Instant.now().minus(Duration.ofHours(1));
        try (KafkaContext kafka = KafkaContext.connect(KafkaSettings.from(config));
             ReconcilerService service = new ReconcilerService(config, kafka, Map.of(HUB, new SucceedingHub()),
                     Clock.systemUTC())) {
            service.start();
            RequestSigner uploader = TestSignedRoutes.saveKey(kafka, "report-run-it-" + scope, "ngao-operations",
                    Scopes.REPORTS_UPLOAD);

            // When two payments are approved and settled at the provider, and a third stays pending
            produce(kafka, Topics.RISK_DECISIONS, "t1", approval("t1", HUB, 10_000, "KES", morning));
            produce(kafka, Topics.RISK_DECISIONS, "t2", approval("t2", HUB, 5_000, "KES", morning));
            produce(kafka, Topics.PROVIDER_EVENTS, "t1",
                    event("t1", HUB, "R1", ProviderStatus.SUCCEEDED, morning.plusSeconds(5), money(100, "KES")));
            produce(kafka, Topics.PROVIDER_EVENTS, "t2",
                    event("t2", HUB, "R2", ProviderStatus.SUCCEEDED, morning.plusSeconds(5), null));
            produce(kafka, Topics.RISK_DECISIONS, "t3", approval("t3", HUB, 700, "KES", morning));
            await().atMost(WAIT).until(() -> service.view().payment("t2")
                    .map(payment -> payment.status() == ProviderStatus.SUCCEEDED).orElse(false));

            // And a report of the day with t1 and its fee right, t2 at another amount, and an R9 the ledger lacks
            String report = String.join("\n", TestReportFormat.HEADER,
                    TestReportFormat.line("PAYMENT", "R1", "t1", 10_000, "KES", ProviderStatus.SUCCEEDED, morning),
                    TestReportFormat.line("FEE", "R1", "t1", 100, "KES", ProviderStatus.SUCCEEDED, morning),
                    TestReportFormat.line("PAYMENT", "R2", "t2", 5_500, "KES", ProviderStatus.SUCCEEDED, morning),
                    TestReportFormat.line("PAYMENT", "R9", "t9", 900, "KES", ProviderStatus.SUCCEEDED, morning), "");
            String day = morning.atZone(java.time.ZoneOffset.UTC).toLocalDate().toString();
            HttpResponse<String> first = upload(service.httpPort(), day, report, uploader);
            HttpResponse<String> again = upload(service.httpPort(), day, report, uploader);

            // Then the run answers its summary, and recon.breaks holds one AMOUNT_MISMATCH and one MISSING_IN_LEDGER
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).contains("\"matched\":1", "\"breaks\":2", "\"newBreaks\":2");
            assertThat(again.body()).contains("\"breaks\":2", "\"newBreaks\":0");
            String runId = "recon:" + HUB + ":" + day;
            List<ReconciliationBreak> breaks = readUntil(kafka, Topics.RECON_BREAKS,
                    found -> runId.equals(found.getRunId()), 2);
            assertThat(breaks).filteredOn(found -> runId.equals(found.getRunId()))
                    .extracting(ReconciliationBreak::getKind)
                    .containsExactlyInAnyOrder(BreakKind.AMOUNT_MISMATCH, BreakKind.MISSING_IN_LEDGER);

            // And audit.reconciler holds each break raised, and both runs by the uploader's key under one id (the
            // same caller, file and outcome: a reader takes the second for a repeat of the first)
            List<AuditRecord> audited = readUntil(kafka, Topics.AUDIT_RECONCILER,
                    record -> runId.equals(record.getDetails().get("runId")), 4);
            assertThat(audited).filteredOn(record -> record.getAction().equals("break.raised"))
                    .extracting(AuditRecord::getAuditId)
                    .containsExactlyInAnyOrderElementsOf(breaks.stream()
                            .filter(found -> runId.equals(found.getRunId()))
                            .map(found -> "break-raised:" + found.getBreakId()).toList());
            List<AuditRecord> runs = audited.stream().filter(record -> record.getAction().equals("report.run"))
                    .toList();
            assertThat(runs).hasSize(2).extracting(AuditRecord::getActor).containsOnly("report-run-it-" + scope);
            assertThat(runs.get(0).getAuditId()).isEqualTo(runs.get(1).getAuditId());
            assertThat(runs.get(0).getDetails()).containsEntry("source", "upload").containsEntry("matched", "1")
                    .containsEntry("breaks", "2").containsKey("fileSha256");

            // And /metrics counts the run's breaks by kind, provider and source, beside Kafka Streams' and the clients'
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + service.httpPort() + "/metrics")).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("ngao_reconciler_breaks_total\\{kind=\"AMOUNT_MISMATCH\",provider=\""
                    + HUB + "\",service=\"reconciler\",source=\"report\"} [1-9]");
            assertThat(metrics).containsPattern("ngao_reconciler_breaks_total\\{kind=\"MISSING_IN_LEDGER\",provider=\""
                    + HUB + "\",service=\"reconciler\",source=\"report\"} [1-9]");
            assertThat(metrics).contains("kafka_stream_thread_commit_latency_avg", "kafka_consumer_fetch_manager_records_lag");

            // And the stuck t3 was queried and its answer sent as a status-query event, and the hub's health told once
            List<ProviderEvent> queries = readUntil(kafka, Topics.PROVIDER_STATUS_QUERIES,
                    found -> found.getTransactionId().equals("t3"), 1);
            assertThat(queries).singleElement().satisfies(query -> {
                assertThat(query.getSource()).isEqualTo(ProviderEventSource.STATUS_QUERY);
                assertThat(query.getStatus()).isEqualTo(ProviderStatus.SUCCEEDED);
            });
            List<ProviderHealthEvent> health = readUntil(kafka, Topics.PROVIDER_HEALTH,
                    found -> found.getProvider().equals(HUB), 1);
            assertThat(health).extracting(ProviderHealthEvent::getStatus).containsExactly(ProviderHealth.UP);
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    private static HttpResponse<String> upload(int port, String day, String report, RequestSigner uploader)
            throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/reports/" + HUB + "/" + day);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString(report)).timeout(WAIT);
        uploader.sign("POST", uri, report).applyTo(request);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static <V> void produce(KafkaContext kafka, Topic<String, V> topic, String key, V value) throws Exception {
        try (KafkaProducer<String, V> producer = kafka.producer(topic, "report-run-it")) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads the topic from the beginning until {@code count} matching records came, then to its end. */
    private static <V> List<V> readUntil(KafkaContext kafka, Topic<String, V> topic, Predicate<V> matching,
                                         int count) {
        List<ConsumerRecord<String, V>> read = new ArrayList<>();
        try (TopicReader<String, V> reader = TopicReader.fromBeginning(kafka, topic).within(WAIT)) {
            read.addAll(reader.readUntil(record -> matching.test(record.value()), count));
            read.addAll(reader.readToEnd());
        }
        return read.stream().map(ConsumerRecord::value).filter(matching).toList();
    }

    /** A hub that answers every probe and says every queried payment succeeded; reads reports in the test format. */
    private static final class SucceedingHub implements ProviderAdapter {

        @Override
        public ProviderKind kind() {
            return ProviderKind.MOBILE_MONEY_HUB;
        }

        @Override
        public CompletionStage<dev.ngao.providers.ProviderStatusResult> submit(PaymentRequest request, String idempotencyKey) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("not used"));
        }

        @Override
        public CompletionStage<dev.ngao.providers.ProviderStatusResult> queryStatus(String transactionId,
                                                                                   String providerReference) {
            return CompletableFuture.completedFuture(new dev.ngao.providers.ProviderStatusResult(transactionId,
                    "R-" + transactionId, ProviderStatus.SUCCEEDED, null, null, Instant.now()));
        }

        @Override
        public CompletionStage<Boolean> probe() {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public SettlementReportFormat reportFormat() {
            return new TestReportFormat(HUB);
        }
    }
}
