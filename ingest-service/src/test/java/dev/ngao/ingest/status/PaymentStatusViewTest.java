package dev.ngao.ingest.status;

import dev.ngao.events.AccountKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaymentStatusViewTest {

    private static final Instant REQUESTED_AT = Instant.parse("2026-03-01T10:15:30.123Z");
    private static final Instant DECIDED_AT = Instant.parse("2026-03-01T10:15:30.456Z");

    private final PaymentStatusView view = new PaymentStatusView(3);

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
    void shouldRefuseBoundBelowOne() {
        assertThatThrownBy(() -> new PaymentStatusView(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static PaymentRequest request(String transactionId) {
        return PaymentRequest.newBuilder()
                .setTransactionId(transactionId)
                .setType(PaymentType.MOBILE_MONEY_COLLECTION)
                .setMerchantId("merchant-a")
                .setMerchantReference("order-1")
                .setAccountKind(AccountKind.WALLET)
                .setAccountId("msisdn:0123456789abcdef0123456789abcdef")
                .setAmount(new Money(150_050L, "KES"))
                .setProvider("mobile-money-hub")
                .setApiKeyId("key-a")
                .setRequestedAt(REQUESTED_AT)
                .build();
    }

    private static RiskDecision decision(String transactionId, Outcome outcome) {
        List<DecisionReason> reasons = outcome == Outcome.APPROVE ? List.of()
                : List.of(new DecisionReason("wallet-daily-limit", "v7", outcome, "daily limit exceeded"));
        return RiskDecision.newBuilder()
                .setTransactionId(transactionId)
                .setType(PaymentType.MOBILE_MONEY_COLLECTION)
                .setMerchantId("merchant-a")
                .setAccountKind(AccountKind.WALLET)
                .setAccountId("msisdn:0123456789abcdef0123456789abcdef")
                .setAmount(new Money(150_050L, "KES"))
                .setProvider("mobile-money-hub")
                .setOutcome(outcome)
                .setReasons(reasons)
                .setRequestedAt(REQUESTED_AT)
                .setDecidedAt(DECIDED_AT)
                .build();
    }
}
