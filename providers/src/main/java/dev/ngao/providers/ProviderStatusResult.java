package dev.ngao.providers;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;

import java.time.Instant;
import java.util.Objects;

/**
 * What a provider answered to a status query, normalised: status, its reference, amount and fee in minor
 * units, and when the provider says the status took effect (UTC).
 */
public record ProviderStatusResult(String transactionId, String providerReference, ProviderStatus status,
                                   Money amount, Money fee, Instant occurredAt) {

    public ProviderStatusResult {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(status, "status");
    }

    public boolean isFinal() {
        return status == ProviderStatus.SUCCEEDED || status == ProviderStatus.FAILED
                || status == ProviderStatus.EXPIRED || status == ProviderStatus.REVERSED;
    }
}
