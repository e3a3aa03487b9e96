package dev.ngao.ingest.payment;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.platform.pii.PiiProtector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SealedPaymentRequestsTest {

    private static final byte[] MASTER_KEY = new byte[32];
    private static final String MSISDN = "+254712345678";

    private final SealedPaymentRequests sealer = SealedPaymentRequests.withAvroBinary(MASTER_KEY);
    private final PaymentRequest event = new PaymentRequestEvents(
            new PiiProtector("test-pepper-0123456789".getBytes(StandardCharsets.UTF_8)),
            Clock.fixed(Instant.parse("2026-03-01T10:15:30Z"), ZoneOffset.UTC))
            .create("txn_00000000000000000000000000000001", new ValidPaymentRequest(
                    PaymentType.MOBILE_MONEY_COLLECTION, 150_050L, "KES", MSISDN, MobileMoneyOperator.MPESA, "KE",
                    "order-42", null), "merchant-a", "key-a");

    @Test
    void shouldOpenTheSameEventWhenSealedForItsTransaction() {
        byte[] sealed = sealer.seal(event);

        assertThat(sealer.open(event.getTransactionId(), sealed)).isEqualTo(event);
    }

    @Test
    void shouldCarryNoClearMsisdnWhenSealed() {
        String sealed = new String(sealer.seal(event), StandardCharsets.ISO_8859_1);

        assertThat(sealed).doesNotContain("712345678").doesNotContain("order-42");
    }

    @Test
    void shouldRefuseToOpenWhenMovedToAnotherTransactionOrKey() {
        byte[] sealed = sealer.seal(event);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;

        assertThatThrownBy(() -> sealer.open("txn_00000000000000000000000000000002", sealed))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SealedPaymentRequests.withAvroBinary(otherKey).open(event.getTransactionId(), sealed))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSealWithAFreshNonceEachTime() {
        assertThat(sealer.seal(event)).isNotEqualTo(sealer.seal(event));
    }
}
