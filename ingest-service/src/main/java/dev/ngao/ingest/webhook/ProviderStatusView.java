package dev.ngao.ingest.webhook;

import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;
import dev.ngao.ingest.state.IngestStateStores;
import dev.ngao.ingest.state.InsertionOrderedStore;
import dev.ngao.platform.rocksdb.RocksCodec;
import dev.ngao.platform.rocksdb.RocksStore;

import java.util.Optional;

/**
 * Transaction id to its provider status, as {@code providers.events} says in log order: only
 * {@link StatusTransition#APPLIED} events move it. A cache of the topic, rebuilt from offset zero at every
 * start ({@link ProviderStatusFeed}) into an empty RocksDB store among ingest's state stores (off the Java
 * heap), and bounded: beyond {@code maxEntries} the transactions first seen longest ago are evicted, and a later
 * status for one of them is judged as its first (documented).
 *
 * <p>Thread-safe.
 */
public final class ProviderStatusView {

    private static final String STATUSES = "provider-statuses";

    private final InsertionOrderedStore byTransactionId;

    /** An empty view in a store of its own among {@code stores}, closed with them. */
    public ProviderStatusView(IngestStateStores stores, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        RocksStore rocks = stores.open("provider-status-view", InsertionOrderedStore.families(STATUSES),
                IllegalStateException::new);
        this.byTransactionId = InsertionOrderedStore.in(stores, rocks, STATUSES, maxEntries);
    }

    public synchronized void apply(ProviderEvent event) {
        if (event.getTransition() == StatusTransition.APPLIED) {
            byTransactionId.put(RocksCodec.utf8(event.getTransactionId()), RocksCodec.utf8(event.getStatus().name()));
        }
    }

    public Optional<ProviderStatus> find(String transactionId) {
        return Optional.ofNullable(byTransactionId.get(RocksCodec.utf8(transactionId)))
                .map(name -> ProviderStatus.valueOf(RocksCodec.string(name)));
    }

    public int size() {
        return (int) byTransactionId.size();
    }
}
