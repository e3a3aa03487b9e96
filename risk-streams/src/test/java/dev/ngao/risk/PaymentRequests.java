package dev.ngao.risk;

import dev.ngao.events.AccountKind;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;

import java.time.Instant;

/** Payment requests for tests: only what the limit rules read varies. */
public final class PaymentRequests {

    private PaymentRequests() {
    }

    public static PaymentRequest request(String transactionId, String accountId, long amountMinor, String currency,
                                         Instant requestedAt) {
        return PaymentRequest.newBuilder()
                .setTransactionId(transactionId)
                .setType(PaymentType.MOBILE_MONEY_COLLECTION)
                .setMerchantId("merchant-1")
                .setMerchantReference("order-" + transactionId)
                .setAccountKind(AccountKind.WALLET)
                .setAccountId(accountId)
                .setAmount(new Money(amountMinor, currency))
                .setProvider("mobile-money-hub")
                .setApiKeyId("key-1")
                .setRequestedAt(requestedAt)
                .build();
    }
}
