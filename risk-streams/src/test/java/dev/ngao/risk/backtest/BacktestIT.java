package dev.ngao.risk.backtest;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.rules.RuleSetFiles;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.ngao.risk.backtest.BacktestTest.ruleSet;
import static org.assertj.core.api.Assertions.assertThat;

/** The backtest command against a real broker: the recorded requests and the live rule set come from topics. */
@ExtendWith(KafkaClusterExtension.class)
class BacktestIT {

    @TempDir
    Path directory;

    private String registryScope;

    @BeforeEach
    void chooseScope() {
        registryScope = "backtest-it-" + UUID.randomUUID();
    }

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistry.dropScope(registryScope);
    }

    @Test
    void shouldReplayATimeRangeOfRecordedRequestsAgainstTheLiveRuleSetOnTheTopic(
            KafkaTestCluster cluster) throws Exception {
        // Given the live rule set on risk.rulesets and recorded requests on payments.requests, one the next day
        try (KafkaContext kafka = new KafkaContext(cluster.settings(registryScope),
                InMemorySchemaRegistry.scope(registryScope))) {
            kafka.ensureTopics(List.of(Topics.PAYMENT_REQUESTS, Topics.RISK_RULESETS, Topics.CARD_EVENTS,
                    Topics.RISK_LISTS), "backtest-it-admin");
            RuleSetPublished live = RuleSetFiles.parse(ruleSet("live-1", 50_000L), "live.yaml");
            try (KafkaProducer<String, RuleSetPublished> producer = kafka.producer(Topics.RISK_RULESETS, "backtest-it")) {
                producer.send(new ProducerRecord<>(Topics.RISK_RULESETS.name(), live.getMerchantId(), live))
                        .get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, PaymentRequest> producer = kafka.producer(Topics.PAYMENT_REQUESTS, "backtest-it")) {
                for (RecordedInput input : BacktestTest.requests()) {
                    PaymentRequest request = (PaymentRequest) input.value();
                    producer.send(new ProducerRecord<>(Topics.PAYMENT_REQUESTS.name(), null,
                            input.timestamp().toEpochMilli(), input.key(), request)).get(30, TimeUnit.SECONDS);
                }
            }
        }
        Path candidate = directory.resolve("candidate.yaml");
        Files.writeString(candidate, ruleSet("candidate-2", 25_000L));

        // When the morning of 2026-03-10 is backtested with a candidate allowing 250.00 KES a day
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Backtest.run(new String[]{"--candidate", candidate.toString(),
                        "--from-time", "2026-03-10T00:00:00Z", "--to-time", "2026-03-11T00:00:00Z"},
                cluster.environment(registryScope), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        // Then the four requests of that day are replayed, and the third of acct-a flips to DECLINE
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(Backtest.OK);
        assertThat(report).contains("Backtest of 4 requests: candidate merchant-1 candidate-2 against live "
                        + "merchant-1 live-1")
                .containsPattern("APPROVE\\s+4\\s+3")
                .containsPattern("DECLINE\\s+0\\s+1")
                .contains("outcome changed: 1", "e.g. tx-a3");
    }

    @Test
    void shouldRefuseARangeLargerThanTheBound(KafkaTestCluster cluster) throws Exception {
        // Given the same kind of recorded requests, more than the bound allows
        try (KafkaContext kafka = new KafkaContext(cluster.settings(registryScope),
                InMemorySchemaRegistry.scope(registryScope))) {
            kafka.ensureTopics(List.of(Topics.PAYMENT_REQUESTS, Topics.RISK_RULESETS, Topics.CARD_EVENTS,
                    Topics.RISK_LISTS), "backtest-it-admin");
            try (KafkaProducer<String, PaymentRequest> producer = kafka.producer(Topics.PAYMENT_REQUESTS, "backtest-it")) {
                for (RecordedInput input : BacktestTest.requests()) {
                    producer.send(new ProducerRecord<>(Topics.PAYMENT_REQUESTS.name(), input.key(),
                            (PaymentRequest) input.value())).get(30, TimeUnit.SECONDS);
                }
            }
        }
        Path candidate = directory.resolve("candidate.yaml");
        Files.writeString(candidate, ruleSet("candidate-2", 25_000L));

        // When the whole topic is backtested with at most two requests
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Backtest.run(new String[]{"--candidate", candidate.toString(), "--max-requests", "2"},
                cluster.environment(registryScope), new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        // Then it refuses, asking for a narrower range
        assertThat(status).isEqualTo(Backtest.BAD_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("more than --max-requests 2");
    }
}
