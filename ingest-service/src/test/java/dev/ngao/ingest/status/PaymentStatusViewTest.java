package dev.ngao.ingest.status;

import dev.ngao.ingest.state.IngestStateStores;
import dev.ngao.ingest.state.SharedTestStateStores;
import dev.ngao.ingest.state.StoreFiles;
import dev.ngao.events.AccountKind;
import dev.ngao.events.AuthorizationDecider;
import dev.ngao.events.CardAuthorizationAnswer;
import dev.ngao.events.CipDetails;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import dev.ngao.schemas.SampleEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaymentStatusViewTest {

    private static final Instant REQUESTED_AT = Instant.parse("2026-03-01T10:15:30.123Z");
    private static final Instant DECIDED_AT = Instant.parse("2026-03-01T10:15:30.456Z");

    private final PaymentStatusView view = new PaymentStatusView(SharedTestStateStores.get(), 3);

    @Test
    void shouldShowPendingWhenOnlyRequestIsKnown() {
        // When a request is recorded
        view.recordRequest(request("txn_1"));

        // Then its status is pending, with the money facts and no decision
        PaymentStatus status = view.find("txn_1").orElseThrow();
        assertThat(status.state()).isEqualTo(PaymentState.PENDING);
        assertThat(status.merchantId()).isEqualTo("merchant-a");
        assertThat(status.merchantReference()).isEqualTo("order-1");
        assertThat(status.amountMinor()).isEqualTo(150_050L);
        assertThat(status.currency()).isEqualTo("KES");
        assertThat(status.decision()).isNull();
        assertThat(status.requestedAt()).isEqualTo(REQUESTED_AT);
    }

    @Test
    void shouldShowDecisionWithReasonsWhenDecided() {
        // Given a pending request
        view.recordRequest(request("txn_1"));

        // When its decline arrives
        view.recordDecision(decision("txn_1", Outcome.DECLINE));

        // Then the status is declined, with the matched rule
        PaymentStatus status = view.find("txn_1").orElseThrow();
        assertThat(status.state()).isEqualTo(PaymentState.DECLINED);
        assertThat(status.decision().outcome()).isEqualTo(Outcome.DECLINE);
        assertThat(status.decision().decidedAt()).isEqualTo(DECIDED_AT);
        assertThat(status.decision().reasons()).containsExactly(
                new PaymentStatus.Reason("wallet-daily-limit", "v7", Outcome.DECLINE, "daily limit exceeded"));
    }

    @Test
    void shouldKeepDecisionWhenRequestArrivesAfterIt() {
        // Given a decision seen before its request (two topics, two readers)
        view.recordDecision(decision("txn_1", Outcome.REVIEW));

        // When the request is recorded afterwards, e.g. by the HTTP handler or the request reader
        view.recordRequest(request("txn_1"));

        // Then the decision stands and the merchant reference is filled in
        PaymentStatus status = view.find("txn_1").orElseThrow();
        assertThat(status.state()).isEqualTo(PaymentState.IN_REVIEW);
        assertThat(status.merchantReference()).isEqualTo("order-1");
    }

    @Test
    void shouldShowApprovedWhenApprovedWithoutReasons() {
        view.recordRequest(request("txn_1"));
        view.recordDecision(decision("txn_1", Outcome.APPROVE));

        assertThat(view.find("txn_1").orElseThrow().state()).isEqualTo(PaymentState.APPROVED);
    }

    @Test
    void shouldEvictOldestWhenBoundIsExceeded() {
        // Given a view bounded to three transactions, full
        view.recordRequest(request("txn_1"));
        view.recordRequest(request("txn_2"));
        view.recordRequest(request("txn_3"));

        // When the oldest is updated and a fourth arrives
        view.recordDecision(decision("txn_1", Outcome.APPROVE));
        view.recordRequest(request("txn_4"));

        // Then the first seen is evicted (an update does not make it younger) and the bound holds
        assertThat(view.size()).isEqualTo(3);
        assertThat(view.find("txn_1")).isEmpty();
        assertThat(view.find("txn_2")).isPresent();
        assertThat(view.find("txn_4")).isPresent();
    }

    @Test
    void shouldLetNetworkAnswerWinOverRiskDecisionWhatEverOrderTheyArriveIn() {
        // Given a card authorization answered by the timeout default
        view.recordRequest(request("txn_1"));
        view.recordAnswer(answer("txn_1", Outcome.DECLINE, AuthorizationDecider.TIMEOUT_DEFAULT));

        // When risk-streams approves it late
        view.recordDecision(decision("txn_1", Outcome.APPROVE));

        // Then the status is what the network was told, and risk's late decision is kept beside it
        PaymentStatus status = view.find("txn_1").orElseThrow();
        assertThat(status.state()).isEqualTo(PaymentState.DECLINED);
        assertThat(status.answer().decidedBy()).isEqualTo(AuthorizationDecider.TIMEOUT_DEFAULT);
        assertThat(status.decision().outcome()).isEqualTo(Outcome.APPROVE);
    }

    @Test
    void shouldApplyResolutionOverReviewAndKeepItWhenDecisionIsReadAgain() {
        view.recordRequest(request("txn_1"));
        view.recordDecision(decision("txn_1", Outcome.REVIEW));

        view.recordResolution(resolution("txn_1", Outcome.DECLINE));
        view.recordDecision(decision("txn_1", Outcome.REVIEW));

        PaymentStatus status = view.find("txn_1").orElseThrow();
        assertThat(status.state()).isEqualTo(PaymentState.DECLINED);
        assertThat(status.resolution().outcome()).isEqualTo(Outcome.DECLINE);
    }

    @Test
    void shouldKeepCipCodeAndAccountFromTheRequest() {
        PaymentRequest cip = PaymentRequest.newBuilder(request("txn_1"))
                .setType(PaymentType.CIP_PAYMENT)
                .setAccountKind(AccountKind.CUSTOMER)
                .setAccountId("dni:00ff")
                .setCip(CipDetails.newBuilder().setDocumentType("DNI").setDocumentHash("dni:00ff")
                        .setDocumentMasked("*****912").setPaymentCode("123").setExpiresAt(DECIDED_AT).build())
                .build();

        view.recordRequest(cip);

        PaymentStatus status = view.find("txn_1").orElseThrow();
        assertThat(status.cip()).isEqualTo(new PaymentStatus.Cip("123", DECIDED_AT));
        assertThat(status.account()).isEqualTo(new PaymentStatus.Account(AccountKind.CUSTOMER, "dni:00ff",
                "mobile-money-hub"));
    }

    @Test
    void shouldCountEachRefundOnceWhetherReservedOrReadBack() {
        // Given a refund reserved by its handler
        assertThat(view.reserveRefund("txn_1", "txn_r1", 100_000L, 150_050L)).isTrue();

        // When the same refund is read back from Kafka
        view.recordRequest(refund("txn_r1", "txn_1", 100_000L));

        // Then it counts once, and what is left is the limit of the next reservation
        assertThat(view.refundedMinor("txn_1")).isEqualTo(100_000L);
        assertThat(view.reserveRefund("txn_1", "txn_r2", 50_051L, 150_050L)).isFalse();
        assertThat(view.reserveRefund("txn_1", "txn_r2", 50_050L, 150_050L)).isTrue();
        assertThat(view.refundedMinor("txn_1")).isEqualTo(150_050L);
    }

    @Test
    void shouldUncountRefundWhenReleased() {
        view.reserveRefund("txn_1", "txn_r1", 150_050L, 150_050L);

        view.releaseRefund("txn_1", "txn_r1");

        assertThat(view.refundedMinor("txn_1")).isZero();
    }

    @Test
    void shouldTellDecisionListenersAfterRecordingTheDecision() {
        List<String> seen = new java.util.ArrayList<>();
        view.onDecision(decision -> seen.add(decision.getTransactionId() + ":"
                + view.find(decision.getTransactionId()).orElseThrow().state()));

        view.recordDecision(decision("txn_1", Outcome.APPROVE));

        assertThat(seen).containsExactly("txn_1:APPROVED");
    }

    @Test
    void shouldKeepStatusesInItsStoreFilesWhenRecorded(@TempDir Path directory) {
        // Given a view in a configured state directory, with a decided payment and an evicted one
        try (IngestStateStores stores = IngestStateStores.open(Optional.of(directory), 8L * 1024 * 1024)) {
            PaymentStatusView bounded = new PaymentStatusView(stores, 2);
            bounded.recordRequest(request("txn_1"));
            bounded.recordRequest(request("txn_2"));
            bounded.recordDecision(decision("txn_2", Outcome.APPROVE));
            bounded.recordRequest(request("txn_3"));
        }

        // Then another reader of its files finds the statuses the view kept, and not the one it evicted
        Map<String, byte[]> statuses = StoreFiles.entries(StoreFiles.onlyStoreDirectory(directory),
                List.of("statuses", "statuses-order", "answers", "answers-order", "resolutions", "resolutions-order",
                        "refunds", "refunds-order"), "statuses");
        assertThat(statuses).containsOnlyKeys("txn_2", "txn_3");
        assertThat(new String(statuses.get("txn_2"), StandardCharsets.UTF_8)).contains("\"state\":\"APPROVED\"");
    }

    @Test
    void shouldRefuseBoundBelowOne() {
        assertThatThrownBy(() -> new PaymentStatusView(SharedTestStateStores.get(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static PaymentRequest request(String transactionId) {
        return SampleEvents.paymentRequest(transactionId)
                .setMerchantId("merchant-a")
                .setMerchantReference("order-1")
                .setAccountId("msisdn:0123456789abcdef0123456789abcdef")
                .setAmount(new Money(150_050L, "KES"))
                .setApiKeyId("key-a")
                .setRequestedAt(REQUESTED_AT)
                .build();
    }

    private static PaymentRequest refund(String transactionId, String original, long amountMinor) {
        return PaymentRequest.newBuilder(request(transactionId))
                .setType(PaymentType.REFUND)
                .setOriginalTransactionId(original)
                .setAmount(new Money(amountMinor, "KES"))
                .build();
    }

    private static CardAuthorizationAnswer answer(String transactionId, Outcome outcome, AuthorizationDecider decidedBy) {
        return CardAuthorizationAnswer.newBuilder()
                .setTransactionId(transactionId)
                .setCardId("card_1")
                .setMerchantId("merchant-a")
                .setAmount(new Money(150_050L, "KES"))
                .setOutcome(outcome)
                .setDecidedBy(decidedBy)
                .setReason("no risk decision within 2000 ms")
                .setDeadlineMs(2_000L)
                .setAnsweredAt(DECIDED_AT)
                .build();
    }

    private static ReviewResolution resolution(String transactionId, Outcome outcome) {
        return ReviewResolution.newBuilder()
                .setResolutionId("rev_1")
                .setTransactionId(transactionId)
                .setMerchantId("merchant-a")
                .setOutcome(outcome)
                .setAnalystKeyId("key-analyst")
                .setResolvedAt(DECIDED_AT)
                .build();
    }

    private static RiskDecision decision(String transactionId, Outcome outcome) {
        List<DecisionReason> reasons = outcome == Outcome.APPROVE ? List.of()
                : List.of(new DecisionReason("wallet-daily-limit", "v7", outcome, "daily limit exceeded", false, null));
        return SampleEvents.riskDecision(request(transactionId), outcome)
                .setReasons(reasons)
                .setDecidedAt(DECIDED_AT)
                .build();
    }
}
