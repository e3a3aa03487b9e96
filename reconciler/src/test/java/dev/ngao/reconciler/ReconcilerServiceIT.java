package dev.ngao.reconciler;

import dev.ngao.events.BreakKind;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.Money;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

class ReconcilerServiceIT {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    /** Several punctuations past the grace period: time enough for a second break to show, if one were made. */
    private static final Duration SETTLE_TIME = Duration.ofSeconds(4);

    private static KafkaTestCluster cluster;

    @TempDir
    Path stateDirectory;

    private String registryScope;

    @BeforeAll
    static void startCluster() {
        cluster = KafkaTestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

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
    void shouldReportOnlyTheApprovalWithoutEntryWhenRunningAgainstABroker() throws Exception {
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
        List<ReconciliationBreak> breaks = new ArrayList<>();
        try (KafkaConsumer<String, ReconciliationBreak> consumer =
                     kafka.consumer(Topics.RECON_BREAKS, "reconciler-it-reader", null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.RECON_BREAKS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (breaks.stream().noneMatch(found -> found.getTransactionId().equals(transactionId))) {
                assertThat(System.nanoTime()).as("break of %s within %s", transactionId, READ_TIMEOUT)
                        .isLessThan(deadline);
                poll(consumer, breaks);
            }
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < endOffsets.get(partition))) {
                assertThat(System.nanoTime()).as("end of the breaks topic within %s", READ_TIMEOUT)
                        .isLessThan(deadline);
                poll(consumer, breaks);
            }
        }
        return breaks;
    }

    private static void poll(KafkaConsumer<String, ReconciliationBreak> consumer, List<ReconciliationBreak> breaks) {
        for (ConsumerRecord<String, ReconciliationBreak> record : consumer.poll(Duration.ofMillis(200))) {
            assertThat(record.key()).isEqualTo(record.value().getTransactionId());
            breaks.add(record.value());
        }
    }
}
