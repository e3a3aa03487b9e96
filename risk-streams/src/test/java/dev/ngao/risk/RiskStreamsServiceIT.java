package dev.ngao.risk;

import dev.ngao.events.DecisionReason;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.rules.DefaultRuleSet;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.ngao.risk.PaymentRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KafkaClusterExtension.class)
class RiskStreamsServiceIT {

    /** Event time of every request: fixed, so the test never straddles a real midnight. */
    private static final Instant REQUESTED_AT = Instant.parse("2025-03-10T08:00:00Z");
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path stateDirectory;

    private String registryScope;

    @BeforeEach
    void chooseScope() {
        registryScope = "risk-it-" + UUID.randomUUID();
    }

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistry.dropScope(registryScope);
    }

    @Test
    void shouldEmitExactlyOneDecisionPerRequestWhenRunningAgainstABroker(KafkaTestCluster cluster) throws Exception {
        // Given the service running against a real broker, with the default limits
        Map<String, String> environment = new HashMap<>(cluster.environment(registryScope));
        environment.put("NGAO_RISK_APPLICATION_ID", "risk-it-" + UUID.randomUUID());
        environment.put("NGAO_RISK_STATE_DIR", stateDirectory.toString());
        environment.put("NGAO_RISK_HTTP_PORT", "0");
        environment.put("NGAO_RISK_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        RiskConfig config = RiskConfig.fromEnvironment(environment);
        try (KafkaContext kafka = KafkaContext.connect(KafkaSettings.from(config));
             RiskStreamsService service = new RiskStreamsService(config, kafka)) {
            service.start();
            assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);

            // When requests are produced, one of them twice, the last one after the duplicate on its partition
            PaymentRequest first = request("tx-a1", "acct-a", 15_000_000L, "KES", REQUESTED_AT);
            produce(kafka, List.of(
                    first,
                    request("tx-a2", "acct-a", 15_000_000L, "KES", REQUESTED_AT),
                    first,
                    request("tx-b1", "acct-b", 15_000_001L, "KES", REQUESTED_AT),
                    request("tx-c1", "acct-c", 10_000L, "USD", REQUESTED_AT),
                    request("tx-a3", "acct-a", 1L, "KES", REQUESTED_AT)));

            // Then every request has exactly one committed decision with the right outcome
            List<RiskDecision> decisions = readDecisionsUntil(kafka, "tx-a3");
            assertThat(decisions).extracting(RiskDecision::getTransactionId)
                    .containsExactlyInAnyOrder("tx-a1", "tx-a2", "tx-b1", "tx-c1", "tx-a3");
            Map<String, RiskDecision> byTransaction = new HashMap<>();
            decisions.forEach(decision -> byTransaction.put(decision.getTransactionId(), decision));
            assertThat(byTransaction.get("tx-a1").getOutcome()).isEqualTo(Outcome.APPROVE);
            assertThat(byTransaction.get("tx-a2").getOutcome()).isEqualTo(Outcome.APPROVE);
            assertThat(byTransaction.get("tx-c1").getOutcome()).isEqualTo(Outcome.APPROVE);
            assertThat(byTransaction.get("tx-b1").getOutcome()).isEqualTo(Outcome.DECLINE);
            assertThat(ruleIds(byTransaction.get("tx-b1"))).containsExactly(DefaultRuleSet.PER_TRANSACTION_LIMIT);
            assertThat(byTransaction.get("tx-a3").getOutcome()).isEqualTo(Outcome.DECLINE);
            assertThat(ruleIds(byTransaction.get("tx-a3"))).containsExactly(DefaultRuleSet.DAILY_LIMIT);
            assertThat(byTransaction.get("tx-a3").getReasons().get(0).getRuleSetVersion()).isEqualTo("limits-v1");

            // And its metrics count the decisions by outcome and the rules that declined, beside Kafka Streams' own
            String metrics = get("http://127.0.0.1:" + service.httpPort() + "/metrics");
            assertThat(metrics).contains("ngao_risk_decisions_total{kind=\"initial\",outcome=\"approve\",service=\"risk-streams\"} 3.0");
            assertThat(metrics).contains("ngao_risk_decisions_total{kind=\"initial\",outcome=\"decline\",service=\"risk-streams\"} 2.0");
            assertThat(metrics).containsPattern("ngao_risk_rule_matches_total\\{outcome=\"decline\",rule=\""
                    + DefaultRuleSet.DAILY_LIMIT + "\",service=\"risk-streams\",shadow=\"false\"} 1.0");
            assertThat(metrics).contains("kafka_stream_thread_commit_latency_avg");

            // When the service is closed, twice
            service.close();
            service.close();

            // Then Kafka Streams has stopped cleanly
            assertThat(service.terminated().get(30, TimeUnit.SECONDS)).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        }
    }

    private static String get(String url) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(java.time.Duration.ofSeconds(10))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    private static void produce(KafkaContext kafka, List<PaymentRequest> requests) throws Exception {
        try (KafkaProducer<String, PaymentRequest> producer = kafka.producer(Topics.PAYMENT_REQUESTS, "risk-it-producer")) {
            for (PaymentRequest request : requests) {
                producer.send(new ProducerRecord<>(Topics.PAYMENT_REQUESTS.name(), request.getAccountId(), request))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Reads committed decisions until {@code lastTransactionId} appears, then on to the end of every
     * partition: the last request was produced after the duplicate on the same partition, so once its
     * decision is committed, any decision of the duplicate would be committed too and read here.
     */
    private static List<RiskDecision> readDecisionsUntil(KafkaContext kafka, String lastTransactionId) {
        List<ConsumerRecord<String, RiskDecision>> read = new ArrayList<>();
        try (TopicReader<String, RiskDecision> reader =
                     TopicReader.fromBeginning(kafka, Topics.RISK_DECISIONS).within(READ_TIMEOUT)) {
            read.addAll(reader.readUntil(record -> record.value().getTransactionId().equals(lastTransactionId), 1));
            read.addAll(reader.readToEnd());
        }
        List<RiskDecision> decisions = new ArrayList<>();
        for (ConsumerRecord<String, RiskDecision> record : read) {
            assertThat(record.key()).isEqualTo(record.value().getTransactionId());
            decisions.add(record.value());
        }
        return decisions;
    }


    private static List<String> ruleIds(RiskDecision decision) {
        return decision.getReasons().stream().map(DecisionReason::getRuleId).toList();
    }
}
