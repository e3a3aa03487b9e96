package dev.ngao.notifier;

import java.time.Instant;

/**
 * A final status read from risk.decisions or providers.events, before it is matched with its payment
 * request.
 *
 * @param reason free of PII (rule messages are written so), null where the source gives none
 */
public record FinalStatusEvent(String transactionId, FinalStatus status, String reason, Instant occurredAt) {

    /** The Standard Webhooks message id of this status: the same for every copy of it, so it is sent once. */
    public String webhookId() {
        return WebhookIds.of(transactionId, status);
    }
}
