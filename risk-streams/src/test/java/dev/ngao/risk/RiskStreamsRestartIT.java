package dev.ngao.risk;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.ngao.risk.PaymentRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stops the service in the middle of a stream and starts it again (with its state directory, or with it
 * deleted so every store is restored from its changelog), replaying what was sent before: every request
 * still has exactly one INITIAL decision and no account's approvals exceed its daily limit.
 */
@ExtendWith(KafkaClusterExtension.class)
class RiskStreamsRestartIT {

    private static final Instant REQUESTED_AT = Instant.parse("2025-03-10T08:00:00Z");
    private static final long KES_DAILY = 30_000_000L;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path stateDirectory;
    @TempDir
    Path crashImage;

    private String registryScope;

    @BeforeEach
    void chooseScope() {
        registryScope = "risk-restart-it-" + UUID.randomUUID();
    }

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistry.dropScope(registryScope);
    }

    /** What the restart finds in the state directory. */
    enum StateLeft {
        /** As a clean stop leaves it. */
        KEPT,
        /** Nothing: a new machine. */
        DELETED,
        /**
         * The global stores as they were on disk while the service ran, and no clean-stop mark, as a kill -9
         * leaves them: StreamsRunner deletes them before the start and Kafka Streams restores them from their
         * topics (after a kill -9 under load, Kafka Streams 4.3 finds them marked open and its global thread dies,
         * failing every start; a run this small never flushes them, so here it is the wipe and the restore that
         * are tested, and GlobalStateGuardTest the decision to wipe).
         */
        CRASHED
    }

    @ParameterizedTest(name = "state left: {0}")
    @EnumSource(StateLeft.class)
    void shouldDecideEveryRequestOnceAndNeverOverspendAcrossARestart(
            StateLeft left, KafkaTestCluster cluster) throws Exception {
        boolean deleteState = left == StateLeft.DELETED;
        // Given the service running, and a stream of requests of three accounts of which it sees the first half
        Map<String, String> environment = new HashMap<>(cluster.environment(registryScope));
        environment.put("NGAO_RISK_APPLICATION_ID", "risk-restart-it-" + UUID.randomUUID());
        environment.put("NGAO_RISK_STATE_DIR", stateDirectory.toString());
        environment.put("NGAO_RISK_HTTP_PORT", "0");
        environment.put("NGAO_RISK_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        environment.put("NGAO_RISK_STANDBY_REPLICAS", "0");
        RiskConfig config = RiskConfig.fromEnvironment(environment);
        // Accounts of this run only: the other run's requests are on the same topic, and a new application
        // reads it from the start (with the same schema ids in another registry scope it decodes them), so
        // shared account ids would spend this run's limits.
        String accountPrefix = "acct-" + UUID.randomUUID() + "-";
        List<PaymentRequest> stream = stream(new Random(left.ordinal() + 1), accountPrefix, 40);
        List<PaymentRequest> firstHalf = stream.subList(0, 20);
        try (KafkaContext kafka = KafkaContext.connect(KafkaSettings.from(config))) {
            try (RiskStreamsService service = new RiskStreamsService(config, kafka)) {
                service.start();
                produce(kafka, firstHalf);
                if (left == StateLeft.CRASHED) {
                    // The running service's global stores, marked open in their files: what a kill -9 leaves
                    copyWhileWritten(globalState(config), crashImage);
                }
                // When it stops mid-stream (decisions of the first half still in flight)
            }
            if (deleteState) {
                deleteRecursively(stateDirectory);
            } else if (left == StateLeft.CRASHED) {
                // The tasks' stores as the clean stop left them, the global ones as the crash did, no clean-stop mark
                deleteRecursively(globalState(config));
                copyWhileWritten(crashImage, globalState(config));
                Files.deleteIfExists(globalState(config).resolveSibling(".ngao-clean-stop"));
            }
            try (RiskStreamsService restarted = new RiskStreamsService(config, kafka)) {
                restarted.start();
                // And, restarted, it receives the first half again (a producer replaying) and the second half
                produce(kafka, firstHalf);
                produce(kafka, stream.subList(20, stream.size()));

                // Then every request has exactly one decision, and no account-day is over its limit
                List<RiskDecision> decisions = readDecisions(kafka, stream.stream()
                        .map(PaymentRequest::getTransactionId).collect(java.util.stream.Collectors.toSet()));
                Map<String, Integer> perTransaction = new HashMap<>();
                Map<String, Long> approvedPerAccount = new HashMap<>();
                for (RiskDecision decision : decisions) {
                    assertThat(decision.getKind()).isEqualTo(DecisionKind.INITIAL);
                    perTransaction.merge(decision.getTransactionId(), 1, Integer::sum);
                    if (decision.getOutcome() == Outcome.APPROVE) {
                        approvedPerAccount.merge(decision.getAccountId(), decision.getAmount().getAmountMinor(),
                                Long::sum);
                    }
                }
                assertThat(perTransaction).hasSize(stream.size());
                assertThat(perTransaction.values()).allMatch(count -> count == 1);
                assertThat(approvedPerAccount.values()).allMatch(approved -> approved <= KES_DAILY);
                assertThat(approvedPerAccount.values().stream().mapToLong(Long::longValue).sum())
                        .as("approved amount; the decisions were %s", summary(decisions)).isPositive();
            }
        }
    }

    /** Outcomes with the rules that led to them, for a failure message. */
    private static Map<String, Long> summary(List<RiskDecision> decisions) {
        return decisions.stream().collect(java.util.stream.Collectors.groupingBy(decision -> decision.getOutcome()
                        + " " + decision.getReasons().stream().filter(reason -> reason.getOutcome() != Outcome.APPROVE)
                        .map(reason -> reason.getRuleId() + ": " + reason.getMessage()).toList(),
                java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    private static List<PaymentRequest> stream(Random random, String accountPrefix, int size) {
        List<PaymentRequest> requests = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            requests.add(request("tx-" + UUID.randomUUID(), accountPrefix + random.nextInt(3),
                    1_000_000L + random.nextInt(9_000_000), "KES", REQUESTED_AT));
        }
        return requests;
    }

    private static void produce(KafkaContext kafka, List<PaymentRequest> requests) throws Exception {
        try (KafkaProducer<String, PaymentRequest> producer = kafka.producer(Topics.PAYMENT_REQUESTS, "risk-restart-it")) {
            for (PaymentRequest request : requests) {
                producer.send(new ProducerRecord<>(Topics.PAYMENT_REQUESTS.name(), request.getAccountId(), request))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Reads the committed decisions of {@code transactions} (other tests share the topic) until each is
     * decided, then on to the end of the topic, so that a second decision would be read too.
     */
    private static List<RiskDecision> readDecisions(KafkaContext kafka, java.util.Set<String> transactions) {
        List<ConsumerRecord<String, RiskDecision>> read = new ArrayList<>();
        java.util.Set<String> decided = new java.util.HashSet<>();
        try (TopicReader<String, RiskDecision> reader =
                     TopicReader.fromBeginning(kafka, Topics.RISK_DECISIONS).within(READ_TIMEOUT)) {
            // Counts each transaction once: the predicate sees every record once, in order.
            read.addAll(reader.readUntil(record -> transactions.contains(record.value().getTransactionId())
                    && decided.add(record.value().getTransactionId()), transactions.size()));
            read.addAll(reader.readToEnd());
        }
        return read.stream().map(ConsumerRecord::value)
                .filter(decision -> transactions.contains(decision.getTransactionId())).toList();
    }

    private Path globalState(RiskConfig config) {
        return stateDirectory.resolve(config.applicationId()).resolve("global");
    }

    /** Copies a directory whose files RocksDB may still replace (a compaction): again if one went away mid-copy. */
    private static void copyWhileWritten(Path from, Path to) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : files.toList()) {
                    Path target = to.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                return;
            } catch (java.nio.file.NoSuchFileException | UncheckedIOException e) {
                if (attempt == 10) {
                    throw e;
                }
                deleteRecursively(to);
            }
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).filter(path -> !path.equals(directory)).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
