package dev.ngao.reconciler;

import dev.ngao.events.BreakKind;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.Money;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.ngao.reconciler.DecisionsAndEntries.approval;
import static dev.ngao.reconciler.DecisionsAndEntries.approvalEntry;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KafkaClusterExtension.class)
class ReconcilerServiceIT {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    /** Several punctuations past the grace period: time enough for a second break to show, if one were made. */
    private static final Duration SETTLE_TIME = Duration.ofSeconds(4);

    @TempDir
    Path stateDirectory;

    private String registryScope;

    @BeforeEach
    void chooseScope() {
        registryScope = "reconciler-it-" + UUID.randomUUID();
    }

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistry.dropScope(registryScope);
    }

    @Test
    @SuppressWarnings("try") // close() is called inside try-with-resources on purpose: it must be idempotent
    void shouldReportOnlyTheApprovalWithoutEntryWhenRunningAgainstABroker(KafkaTestCluster cluster) throws Exception {
        // Given the service running against a real broker with a grace period of 2 s, checked every second
        Map<String, String> environment = new HashMap<>(cluster.environment(registryScope));
        environment.put("NGAO_RECONCILER_APPLICATION_ID", "reconciler-it-" + UUID.randomUUID());
        environment.put("NGAO_RECONCILER_STATE_DIR", stateDirectory.toString());
        environment.put("NGAO_RECONCILER_GRACE_PERIOD_SECONDS", "2");
        environment.put("NGAO_RECONCILER_PUNCTUATE_INTERVAL_SECONDS", "1");
        environment.put("NGAO_RECONCILER_HTTP_PORT", "0");
        environment.put("NGAO_RECONCILER_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        environment.put("NGAO_RECONCILER_PROVIDERS_ENABLED", "false");
        ReconcilerConfig config = ReconcilerConfig.fromEnvironment(environment);
        try (KafkaContext kafka = KafkaContext.connect(KafkaSettings.from(config));
             ReconcilerService service = new ReconcilerService(config, kafka)) {
            service.start();
            assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);

            // When one approval is posted by the ledger and a second one is not
            produceDecision(kafka, approval("tx-posted", 1_250L, "KES"));
            produceEntry(kafka, approvalEntry("tx-posted", 1_250L, "KES"));
            produceDecision(kafka, approval("tx-unposted", 5_000L, "UGX"));

            // Then exactly one committed break is read: APPROVED_NOT_POSTED for the second, none for the first
            List<ReconciliationBreak> breaks = readBreaksUntil(kafka, "tx-unposted");
            Thread.sleep(SETTLE_TIME.toMillis());
            breaks = readBreaksUntil(kafka, "tx-unposted");
            assertThat(breaks).hasSize(1);
            ReconciliationBreak unposted = breaks.get(0);
            assertThat(unposted.getKind()).isEqualTo(BreakKind.APPROVED_NOT_POSTED);
            assertThat(unposted.getBreakId()).isEqualTo("APPROVED_NOT_POSTED:tx-unposted");
            assertThat(unposted.getExpected()).isEqualTo(new Money(5_000L, "UGX"));
            assertThat(unposted.getActual()).isNull();

            // When the service is closed, twice
            service.close();
            service.close();

            // Then Kafka Streams has stopped cleanly
            assertThat(service.terminated().get(30, TimeUnit.SECONDS)).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        }
    }

    private static void produceDecision(KafkaContext kafka, RiskDecision decision) throws Exception {
        try (KafkaProducer<String, RiskDecision> producer = kafka.producer(Topics.RISK_DECISIONS, "reconciler-it-risk")) {
            producer.send(new ProducerRecord<>(Topics.RISK_DECISIONS.name(), decision.getTransactionId(), decision))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static void produceEntry(KafkaContext kafka, JournalEntry entry) throws Exception {
        try (KafkaProducer<String, JournalEntry> producer = kafka.producer(Topics.LEDGER_ENTRIES, "reconciler-it-ledger")) {
            producer.send(new ProducerRecord<>(Topics.LEDGER_ENTRIES.name(), entry.getTransactionId(), entry))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Reads every committed break from the beginning until one for {@code transactionId} appears, then on to
     * the end of every partition, so that any other committed break is read too.
     */
    private static List<ReconciliationBreak> readBreaksUntil(KafkaContext kafka, String transactionId) {
        List<ConsumerRecord<String, ReconciliationBreak>> read = new ArrayList<>();
        try (TopicReader<String, ReconciliationBreak> reader =
                     TopicReader.fromBeginning(kafka, Topics.RECON_BREAKS).within(READ_TIMEOUT)) {
            read.addAll(reader.readUntil(record -> record.value().getTransactionId().equals(transactionId), 1));
            read.addAll(reader.readToEnd());
        }
        List<ReconciliationBreak> breaks = new ArrayList<>();
        for (ConsumerRecord<String, ReconciliationBreak> record : read) {
            assertThat(record.key()).isEqualTo(record.value().getTransactionId());
            breaks.add(record.value());
        }
        return breaks;
    }
}
