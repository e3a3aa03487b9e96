package dev.ngao.reconciler.chase;

import dev.ngao.events.ProviderEvent;

/** Where status-query results go: {@code providers.status-queries}. Returns once acknowledged. */
@FunctionalInterface
public interface StatusQuerySink {

    /** @throws RuntimeException if the event was not acknowledged; the payment is chased again */
    void publish(ProviderEvent event);
}
