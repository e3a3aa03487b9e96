package dev.ngao.ledger;

import dev.ngao.events.RiskDecision;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.invariant.Invariants;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.observability.ServiceMetrics;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topics;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ledger-service's Prometheus metrics against a real broker: counts that agree with the books. */
@ExtendWith(KafkaClusterExtension.class)
class LedgerMetricsIT {

    @TempDir
    Path dataDirectory;

    @Test
    void shouldCountPostedEntriesRefusalsAndConsumerMetricsWhenScraped(KafkaTestCluster cluster) throws Exception {
        String scope = "ledger-metrics-it-" + UUID.randomUUID();
        AtomicBoolean halted = new AtomicBoolean();
        Runnable previousHalt = Invariants.onHalt(() -> halted.set(true));
        try {
            Map<String, String> environment = new HashMap<>(cluster.environment(scope));
            environment.put("NGAO_LEDGER_DATA_DIR", dataDirectory.toString());
            environment.put("NGAO_LEDGER_HTTP_PORT", "0");
            environment.put("NGAO_LEDGER_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
            LedgerConfig config = LedgerConfig.fromEnvironment(environment);
            try (KafkaContext kafka = KafkaContext.connect(KafkaSettings.from(config));
                 LedgerService service = new LedgerService(config, kafka)) {
                // Given two approved collections and a payout the merchant cannot fund
                service.start();
                produce(kafka, List.of(Decisions.approvedCollection("tx-1", 150_000),
                        Decisions.approvedCollection("tx-2", 20_000), Decisions.approvedPayout("tx-3", 900_000)));

                // When the metrics are scraped once the ledger applied them
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(scrape(service))
                        .contains("ngao_ledger_entries_total{service=\"ledger-service\"} 2.0")
                        .contains("ngao_ledger_refusals_total{service=\"ledger-service\"} 1.0"));

                // Then the consumers' own metrics (lag among them) and the JVM's are there too
                String metrics = scrape(service);
                assertThat(metrics).contains("kafka_consumer_fetch_manager_records_lag")
                        .contains("ngao_ledger_rejected_events_total{service=\"ledger-service\"} 0.0")
                        .contains("jvm_memory_used_bytes");
            }
        } finally {
            Invariants.onHalt(previousHalt);
            InMemorySchemaRegistry.dropScope(scope);
        }
        assertThat(halted).isFalse();
    }

    private static void produce(KafkaContext kafka, List<RiskDecision> decisions) throws Exception {
        try (KafkaProducer<String, RiskDecision> producer = kafka.producer(Topics.RISK_DECISIONS, "metrics-it")) {
            for (RiskDecision decision : decisions) {
                producer.send(new ProducerRecord<>(Topics.RISK_DECISIONS.name(), decision.getTransactionId(),
                        decision)).get();
            }
        }
    }

    private static String scrape(LedgerService service) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + service.httpPort() + ServiceMetrics.PATH)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
