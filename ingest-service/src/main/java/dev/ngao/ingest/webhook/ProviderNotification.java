package dev.ngao.ingest.webhook;

import dev.ngao.events.ProviderStatus;

import java.time.Instant;
import java.util.Objects;

/**
 * A provider's webhook after its payload was read: the provider's own event id (the de-duplication key),
 * the Ngao transaction it is about, the provider's reference, the status in Ngao's terms, the amount in
 * minor units and when the provider says it happened (UTC).
 */
public record ProviderNotification(String provider, String providerEventId, String transactionId,
                                   String providerReference, ProviderStatus status, long amountMinor,
                                   String currency, Instant occurredAt) {

    public ProviderNotification {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerEventId, "providerEventId");
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
