package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.invariant.Invariants;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ledger-service end to end against a real KRaft broker: decisions in, entries, balances and ledger.entries out. */
class LedgerServiceIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String MERCHANT_PENDING_KES = "merchant:m-1:pending:KES";

    /** One registry scope for the class: every test reads the same topics, so they must agree on schema ids. */
    private static final String SCOPE = "ledger-it-" + UUID.randomUUID();

    private static KafkaTestCluster cluster;

    @TempDir
    Path dataDirectory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean halted = new AtomicBoolean();
    private KafkaContext kafka;
    private LedgerConfig config;
    private LedgerService service;
    private Runnable previousHalt;

    @BeforeAll
    static void startCluster() {
        cluster = KafkaTestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
        InMemorySchemaRegistry.dropScope(SCOPE);
    }

    @BeforeEach
    void setUp() {
        previousHalt = Invariants.onHalt(() -> halted.set(true));
        Map<String, String> environment = new HashMap<>(cluster.environment(SCOPE));
        environment.put("NGAO_LEDGER_DATA_DIR", dataDirectory.toString());
        environment.put("NGAO_LEDGER_HTTP_PORT", "0");
        environment.put("NGAO_LEDGER_GROUP_ID", "ledger-it-" + UUID.randomUUID());
        config = LedgerConfig.fromEnvironment(environment);
        kafka = KafkaContext.connect(KafkaSettings.from(config));
        kafka.ensureTopics(List.of(Topics.RISK_DECISIONS, Topics.LEDGER_ENTRIES), "ledger-it-admin");
    }

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        kafka.close();
        Invariants.onHalt(previousHalt);
    }

    @Test
    void shouldPostEachApprovedPaymentExactlyOnceWhenDecisionsArriveAndServiceRestarts() throws Exception {
        // Given decisions on risk.decisions, two of them delivered twice
        produce(List.of(
                Decisions.approvedCollection("tx-1", 150_000),
                Decisions.approvedCollection("tx-1", 150_000),
                Decisions.approvedPayout("tx-2", 40_000),
                Decisions.decision("tx-3", PaymentType.MOBILE_MONEY_COLLECTION, Outcome.DECLINE, 99_999, "KES"),
                Decisions.decision("tx-4", PaymentType.MOBILE_MONEY_PAYOUT, Outcome.REVIEW, 5_000, "KES"),
                Decisions.approvedPayout("tx-2", 40_000),
                Decisions.decision("tx-5", PaymentType.MOBILE_MONEY_COLLECTION, Outcome.APPROVE, 20_000, "UGX")));

        // When the ledger starts
        startService();

        // Then every approved payment is posted once, declines and reviews not at all
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(get("/v1/trial-balance").getJsonArray("currencies")).hasSize(2));
        JsonObject merchantPending = get("/v1/balances/" + MERCHANT_PENDING_KES);
        assertThat(merchantPending.getLong("creditsMinor")).isEqualTo(150_000L);
        assertThat(merchantPending.getLong("debitsMinor")).isZero();
        assertThat(merchantPending.getLong("balanceMinor")).isEqualTo(150_000L);
        assertThat(merchantPending.getString("currency")).isEqualTo("KES");
        assertThat(get("/v1/balances/provider:mobile-money-hub:clearing:KES").getLong("balanceMinor"))
                .as("debit-normal").isEqualTo(150_000L);
        assertThat(get("/v1/balances/merchant:m-1:available:KES").getLong("balanceMinor"))
                .as("credit-normal, debited by the payout").isEqualTo(-40_000L);
        assertThat(get("/v1/balances/payouts:mobile-money-hub:in-flight:KES").getLong("creditsMinor")).isEqualTo(40_000L);
        assertThat(get("/v1/balances/merchant:m-1:pending:UGX").getLong("creditsMinor")).isEqualTo(20_000L);
        assertThat(entryIdsOf("tx-1")).containsExactly("je:tx-1:approved");
        assertThat(entryIdsOf("tx-2")).containsExactly("je:tx-2:approved");
        assertThat(entryIdsOf("tx-3")).isEmpty();
        assertThat(entryIdsOf("tx-4")).isEmpty();
        JsonObject trialBalance = get("/v1/trial-balance");
        assertThat(trialBalance.getBoolean("balanced")).isTrue();
        JsonObject kes = trialBalance.getJsonArray("currencies").getJsonObject(0);
        assertThat(kes.getString("currency")).isEqualTo("KES");
        assertThat(kes.getLong("debitsMinor")).isEqualTo(190_000L);
        assertThat(kes.getLong("creditsMinor")).isEqualTo(190_000L);
        assertThat(get("/health").getLong("lastSequence")).isEqualTo(3L);

        // And ledger.entries received each entry
        try (KafkaConsumer<String, JournalEntry> entries = ledgerEntriesConsumer()) {
            List<JournalEntry> published = readEntries(entries, 3);
            assertThat(published).extracting(JournalEntry::getEntryId)
                    .containsExactlyInAnyOrder("je:tx-1:approved", "je:tx-2:approved", "je:tx-5:approved");

            // When the service restarts on the same data and one more duplicate and one new payment arrive
            service.close();
            produce(List.of(Decisions.approvedCollection("tx-1", 150_000), Decisions.approvedCollection("tx-6", 1_000)));
            startService();

            // Then nothing is posted again: the new payment continues the chain at sequence 4
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(entryIdsOf("tx-6")).hasSize(1));
            JsonObject sixth = entriesOf("tx-6").getJsonObject(0);
            assertThat(sixth.getLong("sequence")).isEqualTo(4L);
            assertThat(get("/health").getLong("lastSequence")).isEqualTo(4L);
            assertThat(entryIdsOf("tx-1")).containsExactly("je:tx-1:approved");
            assertThat(get("/v1/balances/" + MERCHANT_PENDING_KES).getLong("creditsMinor")).isEqualTo(151_000L);
            assertThat(get("/v1/trial-balance").getBoolean("balanced")).isTrue();

            // And ledger.entries got the new entry only: the restart republished nothing
            List<JournalEntry> afterRestart = readEntries(entries, 1);
            Thread.sleep(1_000);
            afterRestart.addAll(poll(entries));
            assertThat(afterRestart).extracting(JournalEntry::getEntryId).containsExactly("je:tx-6:approved");
        }
        assertThat(halted).isFalse();
    }

    @Test
    void shouldAnswerProblemsWhenAccountIsMalformedOrUnknown() throws Exception {
        // Given
        startService();

        // When
        HttpResponse<String> malformed = request("/v1/balances/merchant:M_1:pending:KES");
        HttpResponse<String> unknown = request("/v1/balances/merchant:nobody:pending:KES");
        HttpResponse<String> noRoute = request("/v1/nothing-here");
        HttpResponse<String> health = request("/health");

        // Then
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(new JsonObject(malformed.body()).getString("type")).endsWith("/invalid-account-name");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(new JsonObject(unknown.body()).getString("type")).endsWith("/unknown-account");
        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("UP");
    }

    private void startService() throws Exception {
        service = new LedgerService(config, kafka);
        service.start();
    }

    private void produce(List<RiskDecision> decisions) throws Exception {
        try (KafkaProducer<String, RiskDecision> producer = kafka.producer(Topics.RISK_DECISIONS, "ledger-it-decisions")) {
            for (RiskDecision decision : decisions) {
                producer.send(new ProducerRecord<>(Topics.RISK_DECISIONS.name(), decision.getTransactionId(), decision))
                        .get();
            }
        }
    }

    private KafkaConsumer<String, JournalEntry> ledgerEntriesConsumer() {
        KafkaConsumer<String, JournalEntry> consumer = kafka.consumer(Topics.LEDGER_ENTRIES, "ledger-it-entries", null);
        List<TopicPartition> partitions = IntStream.range(0, Topics.LEDGER_ENTRIES.partitions())
                .mapToObj(partition -> new TopicPartition(Topics.LEDGER_ENTRIES.name(), partition)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static List<JournalEntry> readEntries(KafkaConsumer<String, JournalEntry> consumer, int count) {
        List<JournalEntry> read = new ArrayList<>();
        await().atMost(PATIENCE).until(() -> {
            read.addAll(poll(consumer));
            return read.size() >= count;
        });
        return read;
    }

    private static List<JournalEntry> poll(KafkaConsumer<String, JournalEntry> consumer) {
        List<JournalEntry> read = new ArrayList<>();
        for (ConsumerRecord<String, JournalEntry> record : consumer.poll(Duration.ofMillis(200))) {
            assertThat(record.key()).isEqualTo(record.value().getTransactionId());
            read.add(record.value());
        }
        return read;
    }

    private List<String> entryIdsOf(String transactionId) throws Exception {
        JsonArray entries = entriesOf(transactionId);
        List<String> ids = new ArrayList<>();
        for (int index = 0; index < entries.size(); index++) {
            ids.add(entries.getJsonObject(index).getString("entryId"));
        }
        return ids;
    }

    private JsonArray entriesOf(String transactionId) throws Exception {
        return get("/v1/entries/" + transactionId).getJsonArray("entries");
    }

    private JsonObject get(String path) throws Exception {
        HttpResponse<String> response = request(path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private HttpResponse<String> request(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
