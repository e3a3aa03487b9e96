package dev.ngao.notifier;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One notification of one final status, and its history: the entry of the delivery log.
 *
 * @param merchantId    null while the payment request is not yet seen
 * @param body          the exact bytes every attempt sends (UTF-8 JSON); null while waiting for the request
 * @param nextAttemptAt when PENDING, when the next attempt is due; null otherwise
 */
record Delivery(String webhookId, String transactionId, String merchantId, FinalStatus finalStatus, String reason,
                Instant occurredAt, DeliveryStatus status, String body, Instant createdAt, Instant nextAttemptAt,
                List<DeliveryAttempt> attempts) {

    /**
     * Attempts recorded per delivery at most (the default schedule makes about 150 in 72 hours): past the cap
     * the second oldest makes way, so the first, from which the give-up deadline counts, stays.
     */
    static final int MAX_RECORDED_ATTEMPTS = 1_000;

    Delivery {
        attempts = List.copyOf(attempts);
    }

    static Delivery waiting(FinalStatusEvent event, Instant now) {
        return new Delivery(event.webhookId(), event.transactionId(), null, event.status(), event.reason(),
                event.occurredAt(), DeliveryStatus.WAITING_FOR_REQUEST, null, now, null, List.of());
    }

    /** The delivery once its request is known: pending from {@code now}, or NO_ENDPOINT. */
    Delivery scheduled(TransactionFacts facts, boolean merchantHasEndpoint, Instant now) {
        FinalStatusEvent event = new FinalStatusEvent(transactionId, finalStatus, reason, occurredAt);
        String payload = NotificationPayload.body(webhookId, facts, event);
        return merchantHasEndpoint
                ? new Delivery(webhookId, transactionId, facts.merchantId(), finalStatus, reason, occurredAt,
                        DeliveryStatus.PENDING, payload, createdAt, now, attempts)
                : new Delivery(webhookId, transactionId, facts.merchantId(), finalStatus, reason, occurredAt,
                        DeliveryStatus.NO_ENDPOINT, payload, createdAt, null, attempts);
    }

    /** After an attempt: acknowledged, pending again at {@code next}, or given up when {@code next} is null. */
    Delivery after(DeliveryAttempt attempt, Instant next) {
        List<DeliveryAttempt> all = new ArrayList<>(attempts);
        all.add(attempt);
        if (all.size() > MAX_RECORDED_ATTEMPTS) {
            all.remove(1);
        }
        DeliveryStatus outcome = attempt.acknowledged() ? DeliveryStatus.ACKNOWLEDGED
                : next == null ? DeliveryStatus.GAVE_UP : DeliveryStatus.PENDING;
        return new Delivery(webhookId, transactionId, merchantId, finalStatus, reason, occurredAt, outcome, body,
                createdAt, outcome == DeliveryStatus.PENDING ? next : null, all);
    }

    /** When the first attempt was made, from which the give-up deadline counts; {@code fallback} before any. */
    Instant firstAttemptAt(Instant fallback) {
        return attempts.isEmpty() ? fallback : attempts.get(0).attemptedAt();
    }

    JsonObject toJson() {
        JsonArray history = new JsonArray();
        attempts.forEach(attempt -> history.add(attempt.toJson()));
        return new JsonObject()
                .put("webhookId", webhookId)
                .put("transactionId", transactionId)
                .put("merchantId", merchantId)
                .put("finalStatus", finalStatus.name())
                .put("reason", reason)
                .put("occurredAt", occurredAt.toString())
                .put("status", status.name())
                .put("body", body)
                .put("createdAt", createdAt.toString())
                .put("nextAttemptAt", nextAttemptAt == null ? null : nextAttemptAt.toString())
                .put("attempts", history);
    }

    static Delivery fromJson(JsonObject json) {
        List<DeliveryAttempt> attempts = new ArrayList<>();
        json.getJsonArray("attempts").forEach(item -> attempts.add(DeliveryAttempt.fromJson((JsonObject) item)));
        String next = json.getString("nextAttemptAt");
        return new Delivery(json.getString("webhookId"), json.getString("transactionId"), json.getString("merchantId"),
                FinalStatus.valueOf(json.getString("finalStatus")), json.getString("reason"),
                Instant.parse(json.getString("occurredAt")), DeliveryStatus.valueOf(json.getString("status")),
                json.getString("body"), Instant.parse(json.getString("createdAt")),
                next == null ? null : Instant.parse(next), attempts);
    }
}
