package dev.ngao.ingest.webhook;

import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Transaction id to its provider status, as {@code providers.events} says in log order: only
 * {@link StatusTransition#APPLIED} events move it. A cache of the topic, rebuilt from offset zero at every
 * start ({@link ProviderStatusFeed}) and bounded: beyond {@code maxEntries} the transactions first seen
 * longest ago are evicted, and a later status for one of them is judged as its first (documented).
 *
 * <p>Thread-safe.
 */
public final class ProviderStatusView {

    private final int maxEntries;
    private final Map<String, ProviderStatus> byTransactionId;

    public ProviderStatusView(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        this.byTransactionId = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ProviderStatus> eldest) {
                return size() > ProviderStatusView.this.maxEntries;
            }
        };
    }

    public synchronized void apply(ProviderEvent event) {
        if (event.getTransition() == StatusTransition.APPLIED) {
            byTransactionId.put(event.getTransactionId(), event.getStatus());
        }
    }

    public synchronized Optional<ProviderStatus> find(String transactionId) {
        return Optional.ofNullable(byTransactionId.get(transactionId));
    }

    public synchronized int size() {
        return byTransactionId.size();
    }
}
