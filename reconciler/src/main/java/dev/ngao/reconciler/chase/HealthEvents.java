package dev.ngao.reconciler.chase;

import dev.ngao.events.ProviderHealthEvent;
import dev.ngao.providers.health.HealthTransition;

/** The providers' heartbeat reports a change of health; {@code providers.health} carries it as an event. */
public final class HealthEvents {

    private HealthEvents() {
    }

    public static ProviderHealthEvent of(HealthTransition transition) {
        return ProviderHealthEvent.newBuilder()
                .setProvider(transition.provider())
                .setStatus(transition.current())
                .setPreviousStatus(transition.previous())
                .setConsecutiveFailures(transition.consecutiveFailures())
                .setDetail(transition.detail())
                .setObservedAt(transition.observedAt())
                .build();
    }
}
