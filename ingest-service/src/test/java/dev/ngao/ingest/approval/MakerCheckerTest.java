package dev.ngao.ingest.approval;

import dev.ngao.events.ApprovalRequest;
import dev.ngao.events.ApprovalStatus;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.CardEvent;
import dev.ngao.events.CardEventType;
import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.ApiFixture;
import dev.ngao.ingest.RouteHarness;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.TestKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Maker-checker behind the real door (signatures, scopes, idempotency, audit), on MockProducers and the
 * approval log in memory: payouts above their merchant's threshold and card batches wait for a second key.
 */
@ExtendWith(RouteHarness.class)
class MakerCheckerTest {

    private static final String MAKER = ApiFixture.KEY_ID;
    private static final String CHECKER = "key-checker";
    private static final String CHECKER_SECRET = "secret-of-the-checker-000000001";
    private static final String SECOND_CHECKER = "key-checker-2";
    private static final String SECOND_CHECKER_SECRET = "secret-of-checker-two-000000001";
    private static final String OTHER_MERCHANTS_CHECKER = "key-other-checker";
    private static final String OTHER_MERCHANTS_SECRET = "secret-of-other-checker-0000001";
    private static final String MSISDN = "+254712345678";

    private ApiFixture api;

    @BeforeEach
    void start(ApiFixture api) {
        this.api = api;
        // The maker may approve too: what refuses its own request is that it made it, not a missing scope.
        api.grantScopes(Set.of(Scopes.CARDS_ISSUE, Scopes.CARDS_MANAGE, Scopes.APPROVALS_APPROVE));
        saveChecker(CHECKER, ApiFixture.MERCHANT_ID, CHECKER_SECRET);
        saveChecker(SECOND_CHECKER, ApiFixture.MERCHANT_ID, SECOND_CHECKER_SECRET);
        saveChecker(OTHER_MERCHANTS_CHECKER, "merchant-b", OTHER_MERCHANTS_SECRET);
    }

    @Test
    void shouldHoldPayoutAboveThresholdAndPublishNothingWhenRequested() {
        // When merchant-a asks for a KES 20,000.00 payout (threshold 10,000.00)
        HttpResponse<String> response = payout("20000.00", UUID.randomUUID().toString());

        // Then it is accepted as waiting for approval, and nothing goes to payments.requests
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getString("status")).isEqualTo("PENDING_APPROVAL");
        String approvalId = body.getString("approvalId");
        assertThat(approvalId).isEqualTo("apv_" + body.getString("transactionId"));
        assertThat(body.getJsonObject("links").getString("approval")).isEqualTo("/v1/approvals/" + approvalId);
        assertThat(api.paymentProducer.history()).isEmpty();

        // And the approval is pending on the log, the payout sealed in it, audited as requested without the MSISDN
        ApprovalRequest pending = api.approvalView.find(approvalId).orElseThrow();
        assertThat(pending.getStatus()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(pending.getRequestedBy()).isEqualTo(MAKER);
        assertThat(pending.getAmountMinor()).isEqualTo(2_000_000L);
        assertThat(new String(bytes(pending), StandardCharsets.ISO_8859_1)).doesNotContain(MSISDN);
        assertThat(audited("approval.requested")).singleElement().satisfies(record -> {
            assertThat(record.getActor()).isEqualTo(MAKER);
            assertThat(record.getSubjectId()).isEqualTo(approvalId);
            assertThat(record.getDetails().toString()).doesNotContain(MSISDN).doesNotContain("712345");
        });

        // And the payment reads as pending approval, the approval as PENDING
        HttpResponse<String> payment = send(MAKER, ApiFixture.SECRET, "GET",
                "/v1/payments/" + body.getString("transactionId"), null);
        assertThat(new JsonObject(payment.body()).getString("status")).isEqualTo("PENDING_APPROVAL");
        HttpResponse<String> approval = send(CHECKER, CHECKER_SECRET, "GET", "/v1/approvals/" + approvalId, null);
        assertThat(new JsonObject(approval.body()).getString("status")).isEqualTo("PENDING");
        assertThat(approval.body()).doesNotContain(MSISDN).doesNotContain("sealed");
    }

    @Test
    void shouldRefuseApprovalWhenTheRequestingKeyApprovesItsOwnPayout() {
        // Given a held payout made by the maker, which also holds approvals:approve
        String approvalId = heldPayout();

        // When the maker approves it
        HttpResponse<String> response = send(MAKER, ApiFixture.SECRET, "POST", "/v1/approvals/" + approvalId + "/approve",
                null);

        // Then 403 with its own problem type, nothing published, still pending
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(new JsonObject(response.body()).getString("type"))
                .isEqualTo("https://ngao.dev/problems/approval-by-requester");
        assertThat(api.paymentProducer.history()).isEmpty();
        assertThat(api.approvalView.find(approvalId).orElseThrow().getStatus()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(audited("approval.approved")).isEmpty();
    }

    @Test
    void shouldRefuseApprovalWhenTheKeyLacksTheApproverScope() {
        String approvalId = heldPayout();
        api.keys.save(TestKeys.key("key-plain", ApiFixture.MERCHANT_ID, "secret-of-a-plain-key-00000001",
                Instant.now()));

        HttpResponse<String> response = send("key-plain", "secret-of-a-plain-key-00000001", "POST",
                "/v1/approvals/" + approvalId + "/approve", null);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(response.body()).getString("type")).endsWith("/insufficient-scope");
        assertThat(api.paymentProducer.history()).isEmpty();
    }

    @Test
    void shouldPublishPayoutExactlyOnceWhenTwoCheckersApproveConcurrently() {
        // Given a held payout
        String approvalId = heldPayout();

        // When two checkers approve it at once, and one of them retries
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() ->
                send(CHECKER, CHECKER_SECRET, "POST", "/v1/approvals/" + approvalId + "/approve", null));
        CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() ->
                send(SECOND_CHECKER, SECOND_CHECKER_SECRET, "POST", "/v1/approvals/" + approvalId + "/approve", null));
        List<HttpResponse<String>> answers = List.of(first.join(), second.join(),
                send(CHECKER, CHECKER_SECRET, "POST", "/v1/approvals/" + approvalId + "/approve", null));

        // Then each is answered with the approved approval, the payout is published once, as it was accepted
        answers.forEach(answer -> {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(new JsonObject(answer.body()).getString("status")).isEqualTo("APPROVED");
        });
        ApprovalRequest approved = api.approvalView.find(approvalId).orElseThrow();
        List<ProducerRecord<String, PaymentRequest>> published = api.paymentProducer.history();
        assertThat(published).singleElement().satisfies(record -> {
            assertThat(record.value().getTransactionId()).isEqualTo(approved.getTransactionId());
            assertThat(record.value().getAmount().getAmountMinor()).isEqualTo(2_000_000L);
            assertThat(record.value().getMobileMoney().getMsisdn()).isEqualTo(MSISDN);
            assertThat(record.value().getApiKeyId()).isEqualTo(MAKER);
        });
        assertThat(approved.getStatus()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(approved.getDeliveredAt()).isNotNull();
        assertThat(Set.of(CHECKER, SECOND_CHECKER)).contains(approved.getDecidedBy());
        assertThat(audited("approval.approved")).singleElement()
                .satisfies(record -> assertThat(record.getActor()).isEqualTo(approved.getDecidedBy()));

        // And the payment's status is now the payment's own
        HttpResponse<String> payment = send(MAKER, ApiFixture.SECRET, "GET",
                "/v1/payments/" + approved.getTransactionId(), null);
        assertThat(new JsonObject(payment.body()).getString("status")).isNotEqualTo("PENDING_APPROVAL");
    }

    @Test
    void shouldNeverPublishPayoutWhenItIsRejected() {
        String approvalId = heldPayout();

        // A rejection needs a reason
        HttpResponse<String> noReason = send(CHECKER, CHECKER_SECRET, "POST", "/v1/approvals/" + approvalId + "/reject",
                null);
        assertThat(noReason.statusCode()).isEqualTo(422);

        HttpResponse<String> rejected = send(CHECKER, CHECKER_SECRET, "POST", "/v1/approvals/" + approvalId + "/reject",
                "{\"reason\": \"Beneficiary not on the payout list\"}");
        HttpResponse<String> approvedAfter = send(SECOND_CHECKER, SECOND_CHECKER_SECRET, "POST",
                "/v1/approvals/" + approvalId + "/approve", null);

        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
        assertThat(new JsonObject(rejected.body()).getString("status")).isEqualTo("REJECTED");
        assertThat(new JsonObject(rejected.body()).getString("reason")).isEqualTo("Beneficiary not on the payout list");
        assertThat(approvedAfter.statusCode()).isEqualTo(409);
        assertThat(new JsonObject(approvedAfter.body()).getString("type")).endsWith("/approval-decided");
        assertThat(api.paymentProducer.history()).isEmpty();
        assertThat(audited("approval.rejected")).singleElement().satisfies(record ->
                assertThat(record.getDetails()).containsEntry("reason", "Beneficiary not on the payout list"));
        ApprovalRequest approval = api.approvalView.find(approvalId).orElseThrow();
        HttpResponse<String> payment = send(MAKER, ApiFixture.SECRET, "GET",
                "/v1/payments/" + approval.getTransactionId(), null);
        assertThat(new JsonObject(payment.body()).getString("status")).isEqualTo("REJECTED");
    }

    @Test
    void shouldNeverPublishPayoutWhenItExpiredBeforeApproval() {
        // Given a held payout, and its time to live gone by
        String approvalId = heldPayout();
        api.approvalClock.advance(ApiFixture.APPROVAL_TIME_TO_LIVE.plusSeconds(1));

        // Then reads say EXPIRED before any sweep wrote it
        HttpResponse<String> read = send(CHECKER, CHECKER_SECRET, "GET", "/v1/approvals/" + approvalId, null);
        assertThat(new JsonObject(read.body()).getString("status")).isEqualTo("EXPIRED");

        // When a checker approves it
        HttpResponse<String> approve = send(CHECKER, CHECKER_SECRET, "POST", "/v1/approvals/" + approvalId + "/approve",
                null);

        // Then it is refused as expired, closed EXPIRED by the service, audited, and never published
        assertThat(approve.statusCode()).as(approve.body()).isEqualTo(409);
        assertThat(new JsonObject(approve.body()).getString("type")).endsWith("/approval-expired");
        ApprovalRequest expired = api.approvalView.find(approvalId).orElseThrow();
        assertThat(expired.getStatus()).isEqualTo(ApprovalStatus.EXPIRED);
        assertThat(expired.getDecidedBy()).isEqualTo(ApprovalDesk.SYSTEM_ACTOR);
        assertThat(audited("approval.expired")).singleElement()
                .satisfies(record -> assertThat(record.getActor()).isEqualTo(ApprovalDesk.SYSTEM_ACTOR));
        assertThat(api.paymentProducer.history()).isEmpty();
    }

    @Test
    void shouldExpireOverdueApprovalsWhenTheSweepRuns() {
        String approvalId = heldPayout();
        String stillPending = heldPayout();
        api.approvalClock.advance(ApiFixture.APPROVAL_TIME_TO_LIVE.minusSeconds(1));
        heldPayoutWithClockAt();
        api.approvalClock.advance(Duration.ofSeconds(2));

        int expired = api.approvals.expireOverdue();

        assertThat(expired).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(audited("approval.expired")).hasSize(2));
        assertThat(api.approvalView.find(approvalId).orElseThrow().getStatus()).isEqualTo(ApprovalStatus.EXPIRED);
        assertThat(api.approvalView.find(stillPending).orElseThrow().getStatus()).isEqualTo(ApprovalStatus.EXPIRED);
        assertThat(api.approvals.view().pendingCount(ApiFixture.MERCHANT_ID, api.approvalClock.instant())).isEqualTo(1);
        assertThat(api.paymentProducer.history()).isEmpty();
    }

    @Test
    void shouldPassPayoutsAtOrBelowThresholdAndCollectionsStraightThrough() {
        HttpResponse<String> atThreshold = payout("10000.00", UUID.randomUUID().toString());
        HttpResponse<String> collection = send(MAKER, ApiFixture.SECRET, "POST", "/v1/payments",
                paymentBody("MOBILE_MONEY_COLLECTION", "50000.00", "KES"));
        HttpResponse<String> otherCurrency = send(MAKER, ApiFixture.SECRET, "POST", "/v1/payments",
                paymentBody("MOBILE_MONEY_PAYOUT", "40000", "UGX"));

        for (HttpResponse<String> response : List.of(atThreshold, collection, otherCurrency)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(new JsonObject(response.body()).getString("status")).isEqualTo("PENDING");
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(api.paymentProducer.history()).hasSize(3));
        assertThat(api.approvalView.size()).isZero();
    }

    @Test
    void shouldHoldMerchantsOwnCurrencyThresholdWhenItHasOne() {
        // merchant-a's UGX payouts above 50,000 wait; there is no threshold for UGX for anyone else
        HttpResponse<String> response = send(MAKER, ApiFixture.SECRET, "POST", "/v1/payments",
                paymentBody("MOBILE_MONEY_PAYOUT", "50001", "UGX"));

        assertThat(new JsonObject(response.body()).getString("status")).isEqualTo("PENDING_APPROVAL");
        assertThat(api.paymentProducer.history()).isEmpty();
    }

    @Test
    void shouldReplayTheHeldAnswerAndHoldOnceWhenThePayoutIsRetriedWithItsKey() {
        String key = UUID.randomUUID().toString();
        String body = paymentBody("MOBILE_MONEY_PAYOUT", "20000.00", "KES");

        HttpResponse<String> first = send(MAKER, ApiFixture.SECRET, "POST", "/v1/payments", body, key);
        HttpResponse<String> retry = send(MAKER, ApiFixture.SECRET, "POST", "/v1/payments", body, key);

        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue(Idempotency.REPLAYED_HEADER)).contains("true");
        assertThat(api.approvalView.size()).isEqualTo(1);
        assertThat(audited("approval.requested")).hasSize(1);
    }

    @Test
    void shouldRefuseNewHeldPayoutsWhenTheMerchantHasAsManyPendingAsItMay() {
        for (int index = 0; index < ApiFixture.MAX_PENDING_APPROVALS; index++) {
            heldPayout();
        }

        HttpResponse<String> refused = payout("20000.00", UUID.randomUUID().toString());

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(new JsonObject(refused.body()).getString("type")).endsWith("/approvals-limit-reached");
        assertThat(api.approvalView.size()).isEqualTo(ApiFixture.MAX_PENDING_APPROVALS);
    }

    @Test
    void shouldAnswerAnotherMerchantsApprovalAsUnknown() {
        String approvalId = heldPayout();

        HttpResponse<String> read = send(OTHER_MERCHANTS_CHECKER, OTHER_MERCHANTS_SECRET, "GET",
                "/v1/approvals/" + approvalId, null);
        HttpResponse<String> approve = send(OTHER_MERCHANTS_CHECKER, OTHER_MERCHANTS_SECRET, "POST",
                "/v1/approvals/" + approvalId + "/approve", null);
        HttpResponse<String> list = send(OTHER_MERCHANTS_CHECKER, OTHER_MERCHANTS_SECRET, "GET", "/v1/approvals", null);

        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(approve.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(list.body()).getJsonArray("approvals")).isEmpty();
        assertThat(api.paymentProducer.history()).isEmpty();
    }

    @Test
    void shouldListPendingApprovalsNewestFirstWhenFilteredByStatus() {
        String older = heldPayout();
        api.approvalClock.advance(Duration.ofSeconds(1));
        String newer = heldPayoutWithClockAt();
        String rejected = heldPayout();
        send(CHECKER, CHECKER_SECRET, "POST", "/v1/approvals/" + rejected + "/reject", "{\"reason\": \"Duplicate\"}");

        HttpResponse<String> pending = send(CHECKER, CHECKER_SECRET, "GET", "/v1/approvals?status=PENDING", null);
        HttpResponse<String> badFilter = send(CHECKER, CHECKER_SECRET, "GET", "/v1/approvals?status=MAYBE", null);

        assertThat(pending.statusCode()).isEqualTo(200);
        JsonArray approvals = new JsonObject(pending.body()).getJsonArray("approvals");
        assertThat(approvals.stream().map(item -> ((JsonObject) item).getString("approvalId")).toList())
                .containsExactly(newer, older);
        assertThat(badFilter.statusCode()).isEqualTo(422);
    }

    @Test
    void shouldIssueExactlyTheBatchCardsOnceWhenTheBatchIsApproved() {
        // When the maker asks for a batch of two cards
        HttpResponse<String> requested = send(MAKER, ApiFixture.SECRET, "POST", "/v1/cards/batches",
                "{\"cards\": [" + card("holder-1") + ", " + card("holder-2") + "]}");

        // Then nothing is issued yet, the ids are known, the cards are not
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
        JsonObject body = new JsonObject(requested.body());
        String approvalId = body.getString("approvalId");
        List<String> cardIds = body.getJsonArray("cardIds").stream().map(String.class::cast).toList();
        assertThat(cardIds).hasSize(2);
        assertThat(api.cardEventProducer.history()).isEmpty();
        assertThat(send(MAKER, ApiFixture.SECRET, "GET", "/v1/cards/" + cardIds.get(0), null).statusCode())
                .isEqualTo(404);
        assertThat(send(MAKER, ApiFixture.SECRET, "POST", "/v1/approvals/" + approvalId + "/approve", null)
                .statusCode()).isEqualTo(403);

        // When a checker approves it, twice
        HttpResponse<String> approved = send(CHECKER, CHECKER_SECRET, "POST", "/v1/approvals/" + approvalId + "/approve",
                "{\"reason\": \"Payroll cards for March\"}");
        send(SECOND_CHECKER, SECOND_CHECKER_SECRET, "POST", "/v1/approvals/" + approvalId + "/approve", null);

        // Then exactly the batch's cards are issued, once each, and readable
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        List<CardEvent> issued = api.cardEventProducer.history().stream().map(ProducerRecord::value).toList();
        assertThat(issued).extracting(CardEvent::getCardId).containsExactlyInAnyOrderElementsOf(cardIds);
        assertThat(issued).extracting(CardEvent::getType).containsOnly(CardEventType.ISSUED);
        assertThat(send(MAKER, ApiFixture.SECRET, "GET", "/v1/cards/" + cardIds.get(1), null).statusCode())
                .isEqualTo(200);
        assertThat(audited("approval.approved")).singleElement()
                .satisfies(record -> assertThat(record.getDetails()).containsEntry("cardCount", "2"));
    }

    @Test
    void shouldRefuseBatchesTooLargeOrWithAnUnverifiedCardholder() {
        StringBuilder tooMany = new StringBuilder("{\"cards\": [");
        for (int index = 0; index <= ApiFixture.MAX_CARD_BATCH; index++) {
            tooMany.append(index == 0 ? "" : ", ").append(card("holder-" + index));
        }
        HttpResponse<String> tooLarge = send(MAKER, ApiFixture.SECRET, "POST", "/v1/cards/batches",
                tooMany.append("]}").toString());
        HttpResponse<String> empty = send(MAKER, ApiFixture.SECRET, "POST", "/v1/cards/batches", "{\"cards\": []}");
        HttpResponse<String> unverified = send(MAKER, ApiFixture.SECRET, "POST", "/v1/cards/batches",
                "{\"cards\": [" + card("holder-1") + ", " + card("holder-2").replace("VERIFIED", "PENDING") + "]}");
        HttpResponse<String> badItem = send(MAKER, ApiFixture.SECRET, "POST", "/v1/cards/batches",
                "{\"cards\": [" + card("holder-1").replace("KES", "KESX") + "]}");

        assertThat(tooLarge.statusCode()).isEqualTo(422);
        assertThat(empty.statusCode()).isEqualTo(422);
        assertThat(unverified.statusCode()).isEqualTo(422);
        assertThat(new JsonObject(unverified.body()).getString("type")).endsWith("/kyc-incomplete");
        assertThat(unverified.body()).contains("cards[1].kycStatus");
        assertThat(badItem.statusCode()).isEqualTo(422);
        assertThat(badItem.body()).contains("cards[0].currency");
        assertThat(api.approvalView.size()).isZero();
    }

    @Test
    void shouldKeepPendingAndDecidedApprovalsWhenTheLogIsReadAgainAfterARestart() {
        // Given one pending and one approved payout, then an instance that starts and reads the log
        String pending = heldPayout();
        String approved = heldPayout();
        send(CHECKER, CHECKER_SECRET, "POST", "/v1/approvals/" + approved + "/approve", null);
        ApprovalView restarted = api.approvalLog.replay(1_000);

        // Then it knows both as they were
        assertThat(restarted.find(pending)).contains(api.approvalView.find(pending).orElseThrow());
        assertThat(restarted.find(pending).orElseThrow().getStatus()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(restarted.find(approved).orElseThrow().getStatus()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(restarted.find(approved).orElseThrow().getDeliveredAt()).isNotNull();

        // And a desk over it decides the pending one as the first would have
        List<AuditRecord> audit = new java.util.ArrayList<>();
        ApprovalDesk desk = new ApprovalDesk(new InMemoryApprovalLog(restarted), restarted, api.approvalClock,
                ApiFixture.APPROVAL_TIME_TO_LIVE, ApiFixture.MAX_PENDING_APPROVALS, audit::add);
        ApprovalDesk.Decision own = desk.decide(pending, MAKER, ApprovalStatus.APPROVED, null).join();
        ApprovalDesk.Decision rejected = desk.decide(pending, CHECKER, ApprovalStatus.REJECTED, "Too large").join();
        assertThat(own).isInstanceOf(ApprovalDesk.Decision.OwnRequest.class);
        assertThat(rejected).isInstanceOf(ApprovalDesk.Decision.Decided.class);
        assertThat(restarted.find(pending).orElseThrow().getStatus()).isEqualTo(ApprovalStatus.REJECTED);
    }

    private String heldPayout() {
        HttpResponse<String> response = payout("20000.00", UUID.randomUUID().toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return new JsonObject(response.body()).getString("approvalId");
    }

    /** A held payout made at the approval clock's current time (the clock is moved by the caller). */
    private String heldPayoutWithClockAt() {
        return heldPayout();
    }

    private HttpResponse<String> payout(String amount, String idempotencyKey) {
        return send(MAKER, ApiFixture.SECRET, "POST", "/v1/payments", paymentBody("MOBILE_MONEY_PAYOUT", amount, "KES"),
                idempotencyKey);
    }

    private static String paymentBody(String type, String amount, String currency) {
        return new JsonObject().put("type", type).put("amount", amount).put("currency", currency)
                .put("msisdn", currency.equals("UGX") ? "+256712345678" : MSISDN)
                .put("operator", currency.equals("UGX") ? "MTN_MOMO" : "MPESA")
                .put("country", currency.equals("UGX") ? "UG" : "KE")
                .put("merchantReference", "payout-" + UUID.randomUUID().toString().substring(0, 8)).encode();
    }

    private static String card(String holder) {
        return "{\"cardholderReference\": \"" + holder + "\", \"kycStatus\": \"VERIFIED\", \"currency\": \"KES\"}";
    }

    private void saveChecker(String keyId, String merchantId, String secret) {
        Set<String> scopes = new HashSet<>(TestKeys.PAYMENT_SCOPES);
        scopes.add(Scopes.APPROVALS_APPROVE);
        scopes.add(Scopes.CARDS_ISSUE);
        api.keys.save(TestKeys.withScopes(TestKeys.key(keyId, merchantId, secret, Instant.now()), scopes));
    }

    private List<AuditRecord> audited(String action) {
        return api.approvalAudit.stream().filter(record -> record.getAction().equals(action)).toList();
    }

    private static byte[] bytes(ApprovalRequest approval) {
        java.nio.ByteBuffer sealed = approval.getSealedPayout().duplicate();
        byte[] content = new byte[sealed.remaining()];
        sealed.get(content);
        return content;
    }

    private HttpResponse<String> send(String keyId, String secret, String method, String path, String body) {
        return send(keyId, secret, method, path, body, "POST".equals(method) ? UUID.randomUUID().toString() : null);
    }

    private HttpResponse<String> send(String keyId, String secret, String method, String path, String body,
                                      String idempotencyKey) {
        return api.sendSigned(keyId, secret, method, path, body, idempotencyKey);
    }
}
