package dev.ngao.providers.health;

import dev.ngao.events.ProviderHealth;
import dev.ngao.events.ProviderHealthEvent;

import java.time.Instant;

/**
 * A provider's health changed: what the reconciler publishes as a {@code ProviderHealthEvent}.
 *
 * @param detail why, free of secrets and bodies: e.g. "probe at card-network: HTTP 503"
 */
public record HealthTransition(String provider, ProviderHealth previous, ProviderHealth current,
                               int consecutiveFailures, String detail, Instant observedAt) {

    /** The event for {@code providers.health}, keyed by provider. */
    public ProviderHealthEvent toEvent() {
        return new ProviderHealthEvent(provider, current, previous, consecutiveFailures, detail, observedAt);
    }
}
