package dev.ngao.ingest.webhook;

import dev.ngao.events.ProviderStatus;

import java.time.Instant;
import java.util.Objects;

/**
 * A provider's webhook after its payload was read: the provider's own event id (the de-duplication key),
 * the Ngao transaction it is about, the provider's reference, the status in Ngao's terms, the amount in
 * minor units, the fee it charged when it says so (minor units, same currency; null when it does not) and when
 * the provider says it happened (UTC).
 */
public record ProviderNotification(String provider, String providerEventId, String transactionId,
                                   String providerReference, ProviderStatus status, long amountMinor,
                                   String currency, Instant occurredAt, Long feeMinor) {

    /** A notification that names no fee. */
    public ProviderNotification(String provider, String providerEventId, String transactionId,
                                String providerReference, ProviderStatus status, long amountMinor,
                                String currency, Instant occurredAt) {
        this(provider, providerEventId, transactionId, providerReference, status, amountMinor, currency, occurredAt,
                null);
    }

    public ProviderNotification {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerEventId, "providerEventId");
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (feeMinor != null && feeMinor < 0) {
            throw new IllegalArgumentException("a fee cannot be negative");
        }
    }
}
