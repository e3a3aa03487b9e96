package dev.ngao.notifier;

import dev.ngao.events.PaymentRequest;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * What a notification needs from the payment request and no final status carries: the merchant, its
 * reference, the type and the amount. Nothing personal: no account id, MSISDN, document or card.
 */
record TransactionFacts(String transactionId, String merchantId, String merchantReference, String paymentType,
                        long amountMinor, String currency, Instant seenAt) {

    static TransactionFacts of(PaymentRequest request, Instant seenAt) {
        return new TransactionFacts(request.getTransactionId(), request.getMerchantId(),
                request.getMerchantReference(), request.getType().name(), request.getAmount().getAmountMinor(),
                request.getAmount().getCurrency(), seenAt);
    }

    JsonObject toJson() {
        return new JsonObject()
                .put("transactionId", transactionId)
                .put("merchantId", merchantId)
                .put("merchantReference", merchantReference)
                .put("paymentType", paymentType)
                .put("amountMinor", amountMinor)
                .put("currency", currency)
                .put("seenAt", seenAt.toEpochMilli());
    }

    static TransactionFacts fromJson(JsonObject json) {
        return new TransactionFacts(json.getString("transactionId"), json.getString("merchantId"),
                json.getString("merchantReference"), json.getString("paymentType"), json.getLong("amountMinor"),
                json.getString("currency"), Instant.ofEpochMilli(json.getLong("seenAt")));
    }
}
