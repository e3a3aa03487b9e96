package dev.ngao.ingest.webhook;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;
import dev.ngao.ingest.idempotency.Fingerprints;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Turns a read notification and its judged transition into the {@link ProviderEvent} ingest-service writes. */
public final class ProviderEvents {

    public static final String EVENT_ID_PREFIX = "pev_";

    private ProviderEvents() {
    }

    /** Deterministic from provider and provider event id: a redelivery, on any instance, has the same id. */
    public static String eventId(String provider, String providerEventId) {
        return EVENT_ID_PREFIX + Fingerprints.of(provider, providerEventId).substring(0, 32);
    }

    /**
     * What identifies a notification's content, whatever the delivery's own bytes (providers may re-sign
     * a redelivery with a new timestamp): the same event id with another content is a reuse, not a retry.
     */
    public static String fingerprint(ProviderNotification notification) {
        String content = Fingerprints.of(notification.provider(), notification.providerEventId(),
                notification.transactionId(), String.valueOf(notification.providerReference()),
                notification.status().name(), Long.toString(notification.amountMinor()), notification.currency(),
                notification.occurredAt().toString());
        // A fee joins the fingerprint only when named, so events without one keep the fingerprints they had.
        return notification.feeMinor() == null ? content
                : Fingerprints.of(content, "fee", Long.toString(notification.feeMinor()));
    }

    public static ProviderEvent create(ProviderNotification notification, ProviderStatus previous,
                                       StatusTransition transition, Instant receivedAt) {
        return ProviderEvent.newBuilder()
                .setEventId(eventId(notification.provider(), notification.providerEventId()))
                .setProvider(notification.provider())
                .setProviderEventId(notification.providerEventId())
                .setTransactionId(notification.transactionId())
                .setProviderReference(notification.providerReference())
                .setStatus(notification.status())
                .setAmount(new Money(notification.amountMinor(), notification.currency()))
                .setFee(notification.feeMinor() == null ? null : new Money(notification.feeMinor(), notification.currency()))
                .setSource(ProviderEventSource.WEBHOOK)
                // Avro keeps milliseconds.
                .setOccurredAt(notification.occurredAt().truncatedTo(ChronoUnit.MILLIS))
                .setReceivedAt(receivedAt.truncatedTo(ChronoUnit.MILLIS))
                .setTransition(transition)
                .setPreviousStatus(previous)
                .build();
    }
}
