package dev.ngao.notifier;

import io.vertx.core.json.JsonObject;

/**
 * The body a merchant receives, in the Standard Webhooks payload shape ({@code type}, {@code timestamp},
 * {@code data}). Built once, when the delivery is scheduled, and stored: every attempt sends the same bytes.
 * Money stays integer minor units with its currency; times are UTC ISO-8601. No personal data.
 */
final class NotificationPayload {

    static final String EVENT_TYPE = "transaction.final_status";

    private NotificationPayload() {
    }

    static String body(String webhookId, TransactionFacts facts, FinalStatusEvent event) {
        JsonObject data = new JsonObject()
                .put("transactionId", facts.transactionId())
                .put("merchantId", facts.merchantId())
                .put("merchantReference", facts.merchantReference())
                .put("paymentType", facts.paymentType())
                .put("amount", new JsonObject()
                        .put("amountMinor", facts.amountMinor())
                        .put("currency", facts.currency()))
                .put("status", event.status().name())
                .put("reason", event.reason())
                .put("occurredAt", event.occurredAt().toString());
        return new JsonObject()
                .put("type", EVENT_TYPE)
                .put("id", webhookId)
                .put("timestamp", event.occurredAt().toString())
                .put("data", data)
                .encode();
    }
}
