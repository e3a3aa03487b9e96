package dev.ngao.ingest;

import dev.ngao.events.ApprovalRequest;
import dev.ngao.events.ApprovalStatus;
import dev.ngao.events.PaymentRequest;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Maker-checker on a real broker: a held payout's approval lives on {@code ingest.approvals}, so it survives a
 * restart and every instance sees it; approved on two instances at once, the payout is published once.
 */
@ExtendWith(KafkaClusterExtension.class)
class MakerCheckerIT {

    private static ApprovalsHarness harness;

    @BeforeAll
    static void start(KafkaTestCluster cluster) throws Exception {
        harness = ApprovalsHarness.start(cluster, "*:KES:1000000");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void shouldKeepAPendingPayoutAcrossARestartAndPublishItOnceWhenTwoInstancesApproveIt() {
        // Given a payout above the threshold, held by an instance that then stops
        HttpResponse<String> held;
        try (ApprovalsHarness.Instance first = harness.instance()) {
            held = first.client().postPaymentWithKey(ApprovalsHarness.MAKER, ApprovalsHarness.MAKER_SECRET,
                    ApprovalsHarness.payout("20000.00", "payout-it-1"), "payout-it-1");
        }
        assertThat(held.statusCode()).as(held.body()).isEqualTo(202);
        JsonObject answer = new JsonObject(held.body());
        assertThat(answer.getString("status")).isEqualTo("PENDING_APPROVAL");
        String approvalId = answer.getString("approvalId");
        String transactionId = answer.getString("transactionId");

        try (ApprovalsHarness.Instance restarted = harness.instance();
             ApprovalsHarness.Instance other = harness.instance()) {
            // When an instance starts again, then the approval is still pending, and nothing was published
            HttpResponse<String> read = restarted.client().get("/v1/approvals/" + approvalId,
                    ApprovalsHarness.CHECKER, ApprovalsHarness.CHECKER_SECRET);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(new JsonObject(read.body()).getString("status")).isEqualTo("PENDING");
            assertThat(harness.requestsOf(transactionId)).isEmpty();

            // And the maker cannot approve its own payout on any instance
            HttpResponse<String> own = other.client().postSigned("/v1/approvals/" + approvalId + "/approve",
                    ApprovalsHarness.MAKER, ApprovalsHarness.MAKER_SECRET, null);
            assertThat(own.statusCode()).isEqualTo(403);
            assertThat(new JsonObject(own.body()).getString("type")).endsWith("/approval-by-requester");

            // When the checker approves it on both instances at once
            List<CompletableFuture<HttpResponse<String>>> approvals = List.of(restarted, other).stream()
                    .map(instance -> CompletableFuture.supplyAsync(() -> instance.client().postSigned(
                            "/v1/approvals/" + approvalId + "/approve", ApprovalsHarness.CHECKER,
                            ApprovalsHarness.CHECKER_SECRET, null)))
                    .toList();

            // Then both answer it approved, and the payout is on payments.requests exactly once, as accepted
            approvals.forEach(approval -> {
                HttpResponse<String> approved = approval.join();
                assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
                assertThat(new JsonObject(approved.body()).getString("status")).isEqualTo("APPROVED");
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> !harness.requestsOf(transactionId).isEmpty());
            List<PaymentRequest> published = harness.requestsOf(transactionId);
            assertThat(published).singleElement().satisfies(event -> {
                assertThat(event.getAmount().getAmountMinor()).isEqualTo(2_000_000L);
                assertThat(event.getApiKeyId()).isEqualTo(ApprovalsHarness.MAKER);
            });
            // And the log says approved and delivered, whoever won (the delivery is logged after the publish)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<ApprovalRequest> records = harness.approvalRecordsOf(approvalId);
                ApprovalRequest latest = records.get(records.size() - 1);
                assertThat(latest.getStatus()).isEqualTo(ApprovalStatus.APPROVED);
                assertThat(latest.getDeliveredAt()).isNotNull();
            });
        }
    }

    @Test
    void shouldPassAPayoutBelowTheThresholdStraightToPaymentsRequests() {
        try (ApprovalsHarness.Instance instance = harness.instance()) {
            HttpResponse<String> accepted = instance.client().postPaymentWithKey(ApprovalsHarness.MAKER,
                    ApprovalsHarness.MAKER_SECRET, ApprovalsHarness.payout("9999.99", "payout-it-2"), "payout-it-2");

            assertThat(new JsonObject(accepted.body()).getString("status")).isEqualTo("PENDING");
            String transactionId = new JsonObject(accepted.body()).getString("transactionId");
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.requestsOf(transactionId).size() == 1);
        }
    }
}
