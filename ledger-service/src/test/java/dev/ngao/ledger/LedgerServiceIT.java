package dev.ngao.ledger;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.auth.TestSignedRoutes;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.invariant.Invariants;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ledger-service end to end against a real KRaft broker: decisions in, entries, balances and ledger.entries out. */
@ExtendWith(KafkaClusterExtension.class)
class LedgerServiceIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String MERCHANT_PENDING_KES = "merchant:m-1:pending:KES";

    /** One registry scope for the class: every test reads the same topics, so they must agree on schema ids. */
    private static final String SCOPE = "ledger-it-" + UUID.randomUUID();

    @TempDir
    Path dataDirectory;

    private final TestSignedRoutes signed = new TestSignedRoutes();
    private final AtomicBoolean halted = new AtomicBoolean();
    private KafkaContext kafka;
    private LedgerConfig config;
    private RequestSigner operator;
    private LedgerService service;
    private Runnable previousHalt;

    @AfterAll
    static void dropRegistryScope() {
        InMemorySchemaRegistry.dropScope(SCOPE);
    }

    @BeforeEach
    void setUp(KafkaTestCluster cluster) throws Exception {
        previousHalt = Invariants.onHalt(() -> halted.set(true));
        Map<String, String> environment = new HashMap<>(cluster.environment(SCOPE));
        environment.put("NGAO_LEDGER_DATA_DIR", dataDirectory.toString());
        environment.put("NGAO_LEDGER_HTTP_PORT", "0");
        environment.put("NGAO_LEDGER_GROUP_ID", "ledger-it-" + UUID.randomUUID());
        environment.put("NGAO_LEDGER_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        config = LedgerConfig.fromEnvironment(environment);
        kafka = KafkaContext.connect(KafkaSettings.from(config));
        operator = TestSignedRoutes.saveKey(kafka, "ledger-it-operator", "ngao-operations", Scopes.OPERATOR_READ);
        kafka.ensureTopics(List.of(Topics.RISK_DECISIONS, Topics.PROVIDER_EVENTS, Topics.LEDGER_ENTRIES,
                Topics.AUDIT_LEDGER), "ledger-it-admin");
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
    void shouldPostEachPaymentExactlyOnceWhenDecisionsAndProviderEventsArriveAndServiceRestarts() throws Exception {
        // Given decisions on risk.decisions, two of them delivered twice, and the provider's confirmation
        // (with its fee) of the collection, delivered twice
        produce(List.of(
                Decisions.approvedCollection("tx-1", 150_000),
                Decisions.approvedCollection("tx-1", 150_000),
                Decisions.approvedPayout("tx-2", 40_000),
                Decisions.decision("tx-3", PaymentType.MOBILE_MONEY_COLLECTION, Outcome.DECLINE, 99_999, "KES"),
                Decisions.decision("tx-4", PaymentType.MOBILE_MONEY_PAYOUT, Outcome.REVIEW, 5_000, "KES"),
                Decisions.approvedPayout("tx-2", 40_000),
                Decisions.decision("tx-5", PaymentType.MOBILE_MONEY_COLLECTION, Outcome.APPROVE, 20_000, "UGX")));
        ProviderEvent confirmed = Decisions.withFee(Decisions.status("tx-1", "ev-1", ProviderStatus.SUCCEEDED), 500);
        produceEvents(List.of(confirmed, confirmed));

        // When the ledger starts
        startService();

        // Then the collection is posted, confirmed and charged once; the payout, which the merchant could not
        // afford when it came, is refused; declines and reviews post nothing
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(entryIdsOf("tx-1")).hasSize(3);
            assertThat(entryIdsOf("tx-5")).hasSize(1);
            assertThat(get("/v1/lifecycles/tx-2").getString("stage")).isIn("REFUSED", "OPEN");
        });
        assertThat(entryIdsOf("tx-1")).as("the fee posts whenever its event comes")
                .containsExactlyInAnyOrder("je:tx-1:approved", "je:tx-1:fee:ev-1", "je:tx-1:succeeded");
        assertThat(get("/v1/balances/" + MERCHANT_PENDING_KES).getLong("balanceMinor")).isZero();
        assertThat(get("/v1/balances/provider:mobile-money-hub:clearing:KES").getLong("balanceMinor"))
                .as("debit-normal, less the fee").isEqualTo(149_500L);
        assertThat(get("/v1/balances/fees:mobile-money-hub:charged:KES").getLong("balanceMinor")).isEqualTo(500L);
        assertThat(get("/v1/balances/merchant:m-1:pending:UGX").getLong("creditsMinor")).isEqualTo(20_000L);
        assertThat(entryIdsOf("tx-3")).isEmpty();
        assertThat(entryIdsOf("tx-4")).isEmpty();
        JsonObject merchant = get("/v1/owners/merchant/m-1/balances/KES");
        String tx2Stage = get("/v1/lifecycles/tx-2").getString("stage");
        long paidOut = tx2Stage.equals("OPEN") ? 40_000L : 0L;
        assertThat(merchant.getLong("availableMinor")).isEqualTo(150_000L - paidOut);
        assertThat(merchant.getLong("pendingMinor")).isZero();
        assertThat(merchant.getLong("totalMinor")).isEqualTo(150_000L - paidOut);
        if (tx2Stage.equals("REFUSED")) {
            assertThat(get("/v1/refusals").getJsonArray("refusals").getJsonObject(0).getString("transactionId"))
                    .isEqualTo("tx-2");
            assertThat(readAudit()).extracting(AuditRecord::getSubjectId).contains("tx-2");
        }
        JsonObject trialBalance = get("/v1/trial-balance");
        assertThat(trialBalance.getBoolean("balanced")).isTrue();
        JsonObject kes = trialBalance.getJsonArray("currencies").getJsonObject(0);
        assertThat(kes.getString("currency")).isEqualTo("KES");
        assertThat(kes.getLong("debitsMinor")).isEqualTo(300_500L + paidOut);
        assertThat(kes.getLong("netMinor")).isZero();
        long entries = 4 + (paidOut > 0 ? 1 : 0);
        assertThat(get("/health").getLong("lastSequence")).isEqualTo(entries);

        // And the account's history pages, and the day's CSV export lists every posting
        JsonObject firstPage = get("/v1/accounts/" + MERCHANT_PENDING_KES + "/entries?limit=1");
        assertThat(firstPage.getJsonArray("entries")).hasSize(1);
        JsonObject secondPage = get("/v1/accounts/" + MERCHANT_PENDING_KES + "/entries?limit=1&after="
                + firstPage.getLong("nextAfter"));
        assertThat(secondPage.getJsonArray("entries").getJsonObject(0).getString("entryId"))
                .isEqualTo("je:tx-1:succeeded");
        HttpResponse<String> csv = request("/v1/exports/entries/" + LocalDate.now(ZoneOffset.UTC) + ".csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body().lines()).hasSize(1 + 2 * (int) entries);

        // And ledger.entries received each entry
        try (TopicReader<String, JournalEntry> entriesReader =
                     TopicReader.fromBeginning(kafka, Topics.LEDGER_ENTRIES).within(PATIENCE)) {
            List<JournalEntry> published = entries(entriesReader.readUntil(record -> true, (int) entries));
            assertThat(published).extracting(JournalEntry::getEntryId)
                    .contains("je:tx-1:approved", "je:tx-1:fee:ev-1", "je:tx-1:succeeded", "je:tx-5:approved");

            // When the service restarts on the same data and one more duplicate and one new payment arrive
            service.close();
            produce(List.of(Decisions.approvedCollection("tx-1", 150_000), Decisions.approvedCollection("tx-6", 1_000)));
            produceEvents(List.of(confirmed));
            startService();

            // Then nothing is posted again: the new payment continues the chain
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(entryIdsOf("tx-6")).hasSize(1));
            JsonObject sixth = entriesOf("tx-6").getJsonObject(0);
            assertThat(sixth.getLong("sequence")).isEqualTo(entries + 1);
            assertThat(get("/health").getLong("lastSequence")).isEqualTo(entries + 1);
            assertThat(entryIdsOf("tx-1")).hasSize(3);
            assertThat(get("/v1/balances/" + MERCHANT_PENDING_KES).getLong("creditsMinor")).isEqualTo(151_000L);
            assertThat(get("/v1/trial-balance").getBoolean("balanced")).isTrue();

            // And ledger.entries got the new entry only: the restart republished nothing
            List<JournalEntry> afterRestart = entries(entriesReader.readUntil(record -> true, 1));
            Thread.sleep(1_000);
            afterRestart.addAll(entries(entriesReader.readToEnd()));
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

    @Test
    void shouldVerifyKeysFromTheKeyTopicWhenStartedAndLeaveHealthAndMetricsOpen() throws Exception {
        // Given the ledger started with the key topic's master key, and a merchant's key saved after the start
        startService();
        RequestSigner merchant = TestSignedRoutes.saveKey(kafka, "ledger-it-m-1", "m-1", Scopes.LEDGER_READ);
        URI trialBalance = URI.create("http://127.0.0.1:" + service.httpPort() + "/v1/trial-balance");

        // Then an unsigned request is refused, the merchant's key reaches its own data once the store follows,
        // but not the operators' views; health and metrics need no key
        assertThat(signed.get(trialBalance, null).statusCode()).isEqualTo(401);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(signed.get(URI.create("http://127.0.0.1:"
                + service.httpPort() + "/v1/owners/merchant/m-1/balances/KES"), merchant).statusCode()).isEqualTo(200));
        assertThat(signed.get(trialBalance, merchant).statusCode()).isEqualTo(403);
        assertThat(signed.get(trialBalance, operator).statusCode()).isEqualTo(200);
        assertThat(signed.get(URI.create("http://127.0.0.1:" + service.httpPort() + "/health"), null).statusCode())
                .isEqualTo(200);
        assertThat(signed.get(URI.create("http://127.0.0.1:" + service.httpPort() + "/metrics"), null).statusCode())
                .isEqualTo(200);
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

    private void produceEvents(List<ProviderEvent> events) throws Exception {
        try (KafkaProducer<String, ProviderEvent> producer = kafka.producer(Topics.PROVIDER_EVENTS, "ledger-it-events")) {
            for (ProviderEvent event : events) {
                producer.send(new ProducerRecord<>(Topics.PROVIDER_EVENTS.name(), event.getTransactionId(), event)).get();
            }
        }
    }

    /** The first audit records on audit.ledger, waited for while there are none. */
    private List<AuditRecord> readAudit() {
        try (TopicReader<String, AuditRecord> reader =
                     TopicReader.fromBeginning(kafka, Topics.AUDIT_LEDGER).within(PATIENCE)) {
            return reader.readUntil(record -> true, 1).stream().map(ConsumerRecord::value).toList();
        }
    }

    /** The entries of ledger.entries records, each keyed by its transaction. */
    private static List<JournalEntry> entries(List<ConsumerRecord<String, JournalEntry>> records) {
        List<JournalEntry> read = new ArrayList<>();
        for (ConsumerRecord<String, JournalEntry> record : records) {
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
        return signed.get(URI.create("http://127.0.0.1:" + service.httpPort() + path), operator);
    }
}
