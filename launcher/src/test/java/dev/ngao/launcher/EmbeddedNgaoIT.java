package dev.ngao.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;
import dev.ngao.platform.testing.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.ngao.launcher.NgaoClient.assertBalanced;
import static dev.ngao.launcher.NgaoClient.balance;
import static dev.ngao.launcher.NgaoClient.body;
import static dev.ngao.launcher.NgaoClient.emergencyStops;
import static dev.ngao.launcher.NgaoClient.entries;
import static dev.ngao.launcher.NgaoClient.lifecycle;
import static dev.ngao.launcher.NgaoClient.notifications;
import static dev.ngao.launcher.NgaoClient.post;
import static dev.ngao.launcher.NgaoClient.status;
import static dev.ngao.launcher.NgaoClient.stopsInForce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One payment flowing end to end on a real in-process KRaft broker: HTTP in, exactly one decision per
 * payment, a balanced ledger entry for each approval, and a status endpoint that agrees; then a restart
 * on the same data directory that keeps everything and posts nothing twice.
 */
class EmbeddedNgaoIT {

    /**
     * Any free ports for the HTTP servers; the sandbox's payments stay pending for a day, so this run sees the
     * approvals only (the provider's outcomes are {@code SandboxPipelineIT}'s).
     */
    private static final Map<String, String> SERVICE_ENVIRONMENT = Map.of(
            "NGAO_INGEST_HTTP_PORT", "0", "NGAO_LEDGER_HTTP_PORT", "0", "NGAO_RECONCILER_HTTP_PORT", "0",
            "NGAO_RISK_HTTP_PORT", "0", "NGAO_SANDBOX_HTTP_PORT", "0", "NGAO_SANDBOX_SETTLE_DELAY_MS", "86400000",
            "NGAO_NOTIFIER_HTTP_PORT", "0", "NGAO_CONSOLE_HTTP_PORT", "0");

    @TempDir
    Path dataDirectory;

    @Test
    void shouldDecideEveryPaymentOnceAndPostApprovalsWhenPaymentsArePostedOverHttp() throws Exception {
        // Given an embedded Ngao on its own data directory and ports
        LauncherConfig config = config();
        List<String> approved = new ArrayList<>();
        List<String> declined = new ArrayList<>();
        String payout;
        try (EmbeddedNgao ngao = new EmbeddedNgao(config, SERVICE_ENVIRONMENT)) {
            ngao.start();

            // When six payments are posted: four under the limits, one over the per-transaction limit,
            // and one that would take its wallet over the daily limit
            String heavyWallet = "+254700000009";
            approved.add(post(ngao, body("MOBILE_MONEY_COLLECTION", "1500.50", "+254700000001")));
            approved.add(post(ngao, body("MOBILE_MONEY_COLLECTION", "20.00", "+254700000002")));
            // (a payout, approved by risk, that the merchant cannot yet fund: nothing is available until
            // the provider confirms a collection)
            payout = post(ngao, body("MOBILE_MONEY_PAYOUT", "99.99", "+254700000003"));
            declined.add(post(ngao, body("MOBILE_MONEY_COLLECTION", "150000.01", "+254700000004")));
            approved.add(post(ngao, body("MOBILE_MONEY_COLLECTION", "150000.00", heavyWallet)));
            String secondHeavy = post(ngao, body("MOBILE_MONEY_COLLECTION", "149000.00", heavyWallet));
            approved.add(secondHeavy);
            declined.add(post(ngao, body("MOBILE_MONEY_COLLECTION", "1000.01", heavyWallet)));

            // Then each has exactly one decision, with the expected outcome
            Map<String, List<RiskDecision>> decisions = awaitDecisions(ngao, approved.size() + declined.size() + 1);
            // (risk approves the payout; the ledger's refusal then makes it one final DECLINE)
            assertThat(decisions.get(payout).get(0).getOutcome()).isEqualTo(Outcome.APPROVE);
            approved.forEach(id -> assertThat(decisions.get(id)).hasSize(1)
                    .allSatisfy(decision -> assertThat(decision.getOutcome()).isEqualTo(Outcome.APPROVE)));
            declined.forEach(id -> assertThat(decisions.get(id)).hasSize(1)
                    .allSatisfy(decision -> assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE)));

            // And the status endpoint agrees, with reasons for the declines
            for (String id : approved) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(status(ngao, id).path("status").asText()).isEqualTo("APPROVED"));
            }
            for (String id : declined) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonNode status = status(ngao, id);
                    assertThat(status.path("status").asText()).isEqualTo("DECLINED");
                    assertThat(status.path("decision").path("reasons")).isNotEmpty();
                });
            }

            // And every approval has one balanced ledger entry, declines none
            for (String id : approved) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(entries(ngao, id)).hasSize(1));
                assertBalanced(entries(ngao, id).get(0));
            }
            for (String id : declined) {
                assertThat(entries(ngao, id)).isEmpty();
            }
            // And the notifier logged each decline, a final status, for the demo merchant, which has no endpoint
            for (String id : declined) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(notifications(ngao, id))
                        .singleElement().satisfies(delivery -> {
                            assertThat(delivery.path("finalStatus").asText()).isEqualTo("DECLINED");
                            assertThat(delivery.path("status").asText()).isEqualTo("NO_ENDPOINT");
                        }));
            }
            // And the unfunded payout is refused by the ledger, as an event, with no entry
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(lifecycle(ngao, payout).path("stage").asText()).isEqualTo("REFUSED"));
            assertThat(entries(ngao, payout)).isEmpty();
            // And that refusal is the payout's final status: declined for want of funds, told to the merchant
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode status = status(ngao, payout);
                assertThat(status.path("status").asText()).isEqualTo("DECLINED");
                assertThat(status.path("decision").path("reasons").findValuesAsText("ruleId"))
                        .contains("insufficient-funds");
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(notifications(ngao, payout))
                    .singleElement().satisfies(delivery ->
                            assertThat(delivery.path("finalStatus").asText()).isEqualTo("DECLINED")));
            assertThat(awaitDecisions(ngao, 0).get(payout)).extracting(RiskDecision::getKind)
                    .containsExactly(DecisionKind.INITIAL, DecisionKind.LEDGER_REFUSAL);
            assertThat(balance(ngao, "merchant:" + ngao.demoMerchantId() + ":pending:KES"))
                    .isEqualTo(150_050L + 2_000L + 15_000_000L + 14_900_000L);
        }

        // When Ngao restarts on the same data directory
        try (EmbeddedNgao restarted = new EmbeddedNgao(config, SERVICE_ENVIRONMENT)) {
            restarted.start();

            // Then earlier payments are still known, and nothing was posted twice
            for (String id : approved) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(status(restarted, id).path("status").asText()).isEqualTo("APPROVED"));
                assertThat(entries(restarted, id)).hasSize(1);
            }
            assertThat(balance(restarted, "merchant:" + restarted.demoMerchantId() + ":pending:KES"))
                    .isEqualTo(150_050L + 2_000L + 15_000_000L + 14_900_000L);

            // And the demo operator key stops the demo merchant's payouts in one signed call, sees the stop in
            // force, and lifts it
            String stopPath = "/v1/emergency-stops/MERCHANT/" + restarted.demoMerchantId();
            String stopId = "MERCHANT|" + restarted.demoMerchantId() + "|PAYOUTS";
            HttpResponse<String> stopped = emergencyStops(restarted, "PUT", stopPath,
                    "{\"traffic\":\"PAYOUTS\",\"reason\":\"End-to-end check\"}");
            assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
            assertThat(stopsInForce(restarted)).containsExactly(stopId);
            HttpResponse<String> lifted = emergencyStops(restarted, "DELETE", stopPath + "?traffic=PAYOUTS", "");
            assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
            assertThat(stopsInForce(restarted)).isEmpty();
        }
    }

    private LauncherConfig config() {
        Map<String, String> settings = new HashMap<>();
        settings.put(LauncherConfig.DATA_DIR, dataDirectory.toString());
        settings.put(LauncherConfig.EMBEDDED_KAFKA_PORT, Integer.toString(EmbeddedKafkaBroker.freePort()));
        settings.put(LauncherConfig.EMBEDDED_CONTROLLER_PORT, Integer.toString(EmbeddedKafkaBroker.freePort()));
        return new LauncherConfig(settings);
    }

    private Map<String, List<RiskDecision>> awaitDecisions(EmbeddedNgao ngao, int expected) throws InterruptedException {
        Map<String, List<RiskDecision>> decisions = new HashMap<>();
        try (KafkaContext kafka = KafkaContext.connect(ngao.kafkaSettings());
             TopicReader<String, RiskDecision> reader =
                     TopicReader.fromBeginning(kafka, Topics.RISK_DECISIONS).within(Duration.ofSeconds(60))) {
            Set<String> decided = new HashSet<>();
            List<ConsumerRecord<String, RiskDecision>> read =
                    new ArrayList<>(reader.readUntil(record -> decided.add(record.key()), expected));
            // A little longer, so a second decision for any payment would be seen.
            Thread.sleep(2_000);
            read.addAll(reader.readToEnd());
            for (ConsumerRecord<String, RiskDecision> record : read) {
                decisions.computeIfAbsent(record.key(), ignored -> new ArrayList<>()).add(record.value());
            }
        }
        return decisions;
    }
}
