package dev.ngao.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ngao.events.BreakKind;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ngao tail} and {@code ngao explain} against a real in-process broker holding the records two
 * transactions left on the request, decision, ledger and reconciliation topics.
 */
@ExtendWith(KafkaClusterExtension.class)
class AnalystCommandsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");
    private static KafkaContext kafka;

    @BeforeAll
    static void recordTwoTransactions(KafkaTestCluster cluster) throws Exception {
        kafka = KafkaContext.connect(cluster.settings("analyst-commands-it"));
        kafka.ensureTopics(ExplainCommand.TOPICS, "analyst-commands-it");
        PaymentRequest approved = AnalystRecords.request("txn-approved", "merchant-a", 150_050, T0);
        PaymentRequest declined = AnalystRecords.request("txn-declined", "merchant-b", 20_000_000, T0.plusSeconds(1));
        send(Topics.PAYMENT_REQUESTS, approved.getAccountId(), approved);
        send(Topics.PAYMENT_REQUESTS, declined.getAccountId(), declined);
        send(Topics.RISK_DECISIONS, "txn-approved", AnalystRecords.decision(approved, Outcome.APPROVE,
                List.of(AnalystRecords.reason("off-hours", Outcome.REVIEW, "large amount at 03:00 in Lima", true)),
                T0.plusMillis(40)));
        send(Topics.RISK_DECISIONS, "txn-declined", AnalystRecords.decision(declined, Outcome.DECLINE,
                List.of(AnalystRecords.reason("per-transaction-limit", Outcome.DECLINE, "over 150000.00 KES", false)),
                T0.plusSeconds(1).plusMillis(30)));
        send(Topics.LEDGER_ENTRIES, "txn-approved", AnalystRecords.entry("txn-approved", "merchant-a", 150_050,
                T0.plusMillis(90)));
        send(Topics.RECON_BREAKS, "txn-approved", ReconciliationBreak.newBuilder()
                .setBreakId("break-1").setKind(BreakKind.AMOUNT_MISMATCH).setTransactionId("txn-approved")
                .setExpected(new Money(150_050L, "KES")).setActual(new Money(150_000L, "KES"))
                .setDetail("report amount differs").setDetectedAt(T0.plusSeconds(3600))
                .setSettlementDay("2026-12-02").build());
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void shouldPrintOnlyTheTransactionsRowsAsJsonLinesWhenTailIsFilteredByTransaction() throws Exception {
        // When the decisions topic is tailed for one transaction
        List<JsonNode> lines = tail(List.of(Topics.RISK_DECISIONS.name(), "--transaction", "txn-declined"));

        // Then one JSON line, that decision, with where it lies on the topic
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).path("topic").asText()).isEqualTo(Topics.RISK_DECISIONS.name());
        assertThat(lines.get(0).path("offset").isNumber()).isTrue();
        assertThat(lines.get(0).path("value").path("outcome").asText()).isEqualTo("DECLINE");
        assertThat(lines.get(0).path("value").path("reasons").get(0).path("ruleId").asText())
                .isEqualTo("per-transaction-limit");
    }

    @Test
    void shouldFilterByMerchantAndOutcomeWhenTailIsAskedFor() throws Exception {
        // When requests are tailed for one merchant, and decisions for one outcome
        List<JsonNode> ofMerchantA = tail(List.of(Topics.PAYMENT_REQUESTS.name(), "--merchant", "merchant-a"));
        List<JsonNode> approvals = tail(List.of(Topics.RISK_DECISIONS.name(), "--outcome", "approve"));

        // Then each holds only what matches, and a request shows no MSISDN in clear
        assertThat(ofMerchantA).extracting(line -> line.path("value").path("transactionId").asText())
                .containsExactly("txn-approved");
        assertThat(ofMerchantA.get(0).toString()).doesNotContain(AnalystRecords.MSISDN);
        assertThat(approvals).extracting(line -> line.path("value").path("transactionId").asText())
                .containsExactly("txn-approved");
    }

    @Test
    void shouldStopAfterMaxRowsWhenTailHasAMaximum() throws Exception {
        // When every request is tailed with --max 1
        List<JsonNode> lines = tail(List.of(Topics.PAYMENT_REQUESTS.name(), "--max", "1"));

        // Then one line only, though two requests are on the topic
        assertThat(lines).hasSize(1);
    }

    @Test
    void shouldRefuseAnUnknownTopicOrOptionWhenTailIsCalledWrongly() {
        assertThatThrownBy(() -> tail(List.of("payments.nothing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown topic 'payments.nothing'")
                .hasMessageContaining(Topics.RISK_DECISIONS.name());
        assertThatThrownBy(() -> tail(List.of(Topics.RISK_DECISIONS.name(), "--colour", "red")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --colour");
        assertThatThrownBy(() -> tail(List.of(Topics.RISK_DECISIONS.name(), "--max", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--max must be a positive");
    }

    @Test
    void shouldTellTheTransactionsStoryInTimeOrderWhenExplained() {
        // When one transaction is explained
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = ExplainCommand.run(List.of("txn-approved"), kafka, print(bytes));
        String text = bytes.toString(StandardCharsets.UTF_8);

        // Then the request, the decision with its (shadow) rule, the entry with postings, and the break, in order
        assertThat(exit).isEqualTo(ExplainCommand.EXIT_FOUND);
        assertThat(text).contains("request MOBILE_MONEY_COLLECTION 1500.50 KES, merchant merchant-a")
                .contains("decision INITIAL APPROVE")
                .contains("rule off-hours@v7 REVIEW [ACCOUNT]: large amount at 03:00 in Lima (shadow, not enforced)")
                .contains("ledger entry je:txn-approved:approved collection.approved")
                .contains("DEBIT  provider:mobile-money-hub:clearing:KES 1500.50 KES")
                .contains("CREDIT merchant:merchant-a:pending:KES 1500.50 KES")
                .contains("break AMOUNT_MISMATCH on 2026-12-02, expected 1500.50 KES, actual 1500.00 KES")
                .doesNotContain("txn-declined").doesNotContain(AnalystRecords.MSISDN);
        assertThat(text.indexOf("request ")).isLessThan(text.indexOf("decision "));
        assertThat(text.indexOf("decision ")).isLessThan(text.indexOf("ledger entry"));
        assertThat(text.indexOf("ledger entry")).isLessThan(text.indexOf("break "));
    }

    @Test
    void shouldSayNothingIsKnownWhenAnUnknownTransactionIsExplained() {
        // When a transaction no topic mentions is explained
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = ExplainCommand.run(List.of("txn-unknown"), kafka, print(bytes));

        // Then it says so, with the not-found exit code
        assertThat(exit).isEqualTo(ExplainCommand.EXIT_NOT_FOUND);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("No topic mentions transaction txn-unknown");
    }

    @Test
    void shouldPrintJsonLinesInTimeOrderWhenExplainedWithJson() throws Exception {
        // When explained with --json
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ExplainCommand.run(List.of("txn-declined", "--json"), kafka, print(bytes));

        // Then the request line comes before the decision line
        List<JsonNode> lines = lines(bytes);
        assertThat(lines).extracting(line -> line.path("topic").asText())
                .containsExactly(Topics.PAYMENT_REQUESTS.name(), Topics.RISK_DECISIONS.name());
    }

    private static <K, V> void send(Topic<K, V> topic, K key, V value) throws Exception {
        try (KafkaProducer<K, V> producer = kafka.producer(topic, "analyst-commands-it")) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        }
    }

    private static List<JsonNode> tail(List<String> arguments) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TailCommand.run(arguments, kafka, () -> false, print(bytes));
        return lines(bytes);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static List<JsonNode> lines(ByteArrayOutputStream bytes) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }
}
