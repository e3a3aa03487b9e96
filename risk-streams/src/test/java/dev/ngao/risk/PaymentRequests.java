package dev.ngao.risk;

import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;

import dev.ngao.schemas.SampleEvents;
import java.time.Instant;

/** Payment requests for tests: only what the limit rules read varies. */
public final class PaymentRequests {

    private PaymentRequests() {
    }

    public static PaymentRequest request(String transactionId, String accountId, long amountMinor, String currency,
                                         Instant requestedAt) {
        return SampleEvents.paymentRequest(transactionId)
                .setAccountId(accountId)
                .setAmount(new Money(amountMinor, currency))
                .setRequestedAt(requestedAt)
                .build();
    }
}
