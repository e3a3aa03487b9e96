package dev.ngao.ingest.refund;

import dev.ngao.events.AccountKind;
import dev.ngao.events.PaymentType;
import dev.ngao.ingest.status.PaymentState;
import dev.ngao.ingest.status.PaymentStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RefundRulesTest {

    private static final RefundRequest REFUND =
            new RefundRequest("txn_1", 50_000L, "KES", RefundReason.REQUESTED_BY_CUSTOMER, null);

    @Test
    void shouldAllowRefundWhenOriginalIsAnApprovedCollectionWithEnoughLeft() {
        assertThat(RefundRules.check(original(PaymentType.MOBILE_MONEY_COLLECTION, PaymentState.APPROVED), REFUND, 0))
                .isEmpty();
        assertThat(RefundRules.check(original(PaymentType.CIP_PAYMENT, PaymentState.APPROVED), REFUND, 100_000L))
                .isEmpty();
    }

    @Test
    void shouldRefuseWith422WhenAmountExceedsTheOriginal() {
        RefundRequest tooMuch = new RefundRequest("txn_1", 150_001L, "KES", RefundReason.OTHER, null);

        RefundRules.Refusal refusal = RefundRules.check(original(PaymentType.MOBILE_MONEY_COLLECTION,
                PaymentState.APPROVED), tooMuch, 0).orElseThrow();

        assertThat(refusal.status()).isEqualTo(422);
        assertThat(refusal.type()).isEqualTo("refund-exceeds-original");
        assertThat(refusal.field()).isEqualTo("amount");
        assertThat(refusal.message()).contains("1500.00 KES");
    }

    @Test
    void shouldRefuseWith422WhenEarlierRefundsLeaveTooLittle() {
        RefundRules.Refusal refusal = RefundRules.check(original(PaymentType.MOBILE_MONEY_COLLECTION,
                PaymentState.APPROVED), REFUND, 120_000L).orElseThrow();

        assertThat(refusal.type()).isEqualTo("refund-exceeds-original");
        assertThat(refusal.message()).contains("300.00 KES");
    }

    @Test
    void shouldRefuseWith409WhenOriginalIsNotApproved() {
        for (PaymentState state : new PaymentState[]{PaymentState.PENDING, PaymentState.DECLINED, PaymentState.IN_REVIEW}) {
            RefundRules.Refusal refusal = RefundRules.check(original(PaymentType.MOBILE_MONEY_COLLECTION, state),
                    REFUND, 0).orElseThrow();
            assertThat(refusal.status()).as(state.name()).isEqualTo(409);
            assertThat(refusal.type()).isEqualTo("not-refundable");
        }
    }

    @Test
    void shouldRefuseWith422WhenOriginalIsPayoutRefundOrLoad() {
        for (PaymentType type : new PaymentType[]{PaymentType.MOBILE_MONEY_PAYOUT, PaymentType.REFUND, PaymentType.CARD_LOAD}) {
            RefundRules.Refusal refusal = RefundRules.check(original(type, PaymentState.APPROVED), REFUND, 0).orElseThrow();
            assertThat(refusal.status()).as(type.name()).isEqualTo(422);
            assertThat(refusal.field()).isEqualTo("originalTransactionId");
        }
    }

    @Test
    void shouldRefuseWith422WhenCurrencyIsNotTheOriginals() {
        RefundRequest inUgx = new RefundRequest("txn_1", 500L, "UGX", RefundReason.OTHER, null);

        RefundRules.Refusal refusal = RefundRules.check(original(PaymentType.MOBILE_MONEY_COLLECTION,
                PaymentState.APPROVED), inUgx, 0).orElseThrow();

        assertThat(refusal.field()).isEqualTo("currency");
        assertThat(refusal.status()).isEqualTo(422);
    }

    private static PaymentStatus original(PaymentType type, PaymentState state) {
        return new PaymentStatus("txn_1", "merchant-a", "order-1", type, 150_000L, "KES", state, null,
                Instant.parse("2026-03-01T10:00:00Z"),
                new PaymentStatus.Account(AccountKind.WALLET, "msisdn:00ff", "mobile-money-hub"), null, null, null, null);
    }
}
