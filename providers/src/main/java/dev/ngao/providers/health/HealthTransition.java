package dev.ngao.providers.health;

import dev.ngao.events.ProviderHealth;

import java.time.Instant;

/**
 * A provider's health changed: what the reconciler publishes as a {@code ProviderHealthEvent}.
 *
 * @param detail why, free of secrets and bodies: e.g. "probe at card-network: HTTP 503"
 */
public record HealthTransition(String provider, ProviderHealth previous, ProviderHealth current,
                               int consecutiveFailures, String detail, Instant observedAt) {
}
