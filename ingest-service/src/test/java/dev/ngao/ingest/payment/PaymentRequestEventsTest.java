package dev.ngao.ingest.payment;

import dev.ngao.events.AccountKind;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.platform.pii.PiiProtector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class PaymentRequestEventsTest {

    private static final String MSISDN = "+254712345678";
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123456Z");

    private final PiiProtector piiProtector = new PiiProtector("test-pepper-0123456789".getBytes(StandardCharsets.UTF_8));
    private final PaymentRequestEvents events = new PaymentRequestEvents(piiProtector, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldCountWalletUnderHashedMsisdnWhenCreatingEvent() {
        // Given a valid collection request
        ValidPaymentRequest request = new ValidPaymentRequest(PaymentType.MOBILE_MONEY_COLLECTION, 150_050L, "KES",
                MSISDN, MobileMoneyOperator.MPESA, "KE", "order-42", null);

        // When the event is created
        PaymentRequest event = events.create("txn_abc", request, "merchant-a", "key-a");

        // Then the account id is the keyed hash of the MSISDN, never the number itself
        assertThat(event.getAccountKind()).isEqualTo(AccountKind.WALLET);
        assertThat(event.getAccountId()).isEqualTo(piiProtector.hash("msisdn", MSISDN)).doesNotContain("712345678");
        assertThat(event.getMobileMoney().getMsisdn()).isEqualTo(MSISDN);
        assertThat(event.getMobileMoney().getMsisdnMasked()).isEqualTo("+2547******78");
        assertThat(event.getMobileMoney().getOperator()).isEqualTo("MPESA");
        // And the money, the parties and the time are carried as given, the time in whole milliseconds
        assertThat(event.getAmount().getAmountMinor()).isEqualTo(150_050L);
        assertThat(event.getAmount().getCurrency()).isEqualTo("KES");
        assertThat(event.getMerchantId()).isEqualTo("merchant-a");
        assertThat(event.getApiKeyId()).isEqualTo("key-a");
        assertThat(event.getProvider()).isEqualTo("mobile-money-hub");
        assertThat(event.getCountry()).isEqualTo("KE");
        assertThat(event.getMerchantReference()).isEqualTo("order-42");
        assertThat(event.getRequestedAt()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123Z"));
        // And without a payer object there are no signals
        assertThat(event.getSignals()).isNull();
    }

    @Test
    void shouldMakeUniqueTransactionIdsWithoutDashes() {
        String first = PaymentRequestEvents.newTransactionId();
        String second = PaymentRequestEvents.newTransactionId();

        assertThat(first).matches("txn_[0-9a-f]{32}");
        assertThat(second).isNotEqualTo(first);
    }
}
