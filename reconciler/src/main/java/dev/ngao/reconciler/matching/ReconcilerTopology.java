package dev.ngao.reconciler.matching;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.RiskDecision;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The matching topology, built by a pure function (no configuration read, no I/O) so that
 * TopologyTestDriver can test it:
 * <pre>
 * risk.decisions (key: transactionId) ─┐                                 ┌─> recon.breaks
 *                                      ├─> match-decisions-with-entries ─┤
 * ledger.entries (key: transactionId) ─┘   [open-items, closed-items]    └─> audit.reconciler
 * (both outputs keyed by transactionId)
 * </pre>
 * Each break and its audit record leave the processor together, in the exactly-once transaction that settled it.
 */
public final class ReconcilerTopology {

    /** Transaction id -> what is known of a transaction not yet matched or broken. */
    public static final String OPEN_ITEMS_STORE = "open-items";
    /** Transaction id -> how it was settled (a verdict name), kept for the closed retention. */
    public static final String CLOSED_ITEMS_STORE = "closed-items";

    static final String DECISIONS_SOURCE = "risk-decisions";
    static final String ENTRIES_SOURCE = "ledger-entries";
    static final String MATCH_PROCESSOR = "match-decisions-with-entries";
    static final String BREAKS_SINK = "recon-breaks";
    static final String AUDIT_SINK = "audit-reconciler";

    /** The closed store only answers "was it settled?", so its windows are points in time. */
    private static final Duration CLOSED_WINDOW_SIZE = Duration.ofMillis(1);

    private ReconcilerTopology() {
    }

    /**
     * @param policy    grace period, punctuation interval and closed retention
     * @param decisions serdes of {@link Topics#RISK_DECISIONS}
     * @param entries   serdes of {@link Topics#LEDGER_ENTRIES}
     * @param breaks    serdes of {@link Topics#RECON_BREAKS}
     * @param audit     serdes of {@link Topics#AUDIT_RECONCILER}
     */
    public static Topology build(MatchingPolicy policy,
                                 TopicSerdes<String, RiskDecision> decisions,
                                 TopicSerdes<String, JournalEntry> entries,
                                 TopicSerdes<String, ReconciliationBreak> breaks,
                                 TopicSerdes<String, AuditRecord> audit) {
        Objects.requireNonNull(policy, "policy");
        requireTopic(decisions, Topics.RISK_DECISIONS.name());
        requireTopic(entries, Topics.LEDGER_ENTRIES.name());
        requireTopic(breaks, Topics.RECON_BREAKS.name());
        requireTopic(audit, Topics.AUDIT_RECONCILER.name());

        Topology topology = new Topology();
        // Both inputs are keyed by transaction id with the same partition count, so the two halves of a
        // transaction meet in one task.
        topology.addSource(DECISIONS_SOURCE, decisions.keySerde().deserializer(),
                decisions.valueSerde().deserializer(), decisions.name());
        topology.addSource(ENTRIES_SOURCE, entries.keySerde().deserializer(),
                entries.valueSerde().deserializer(), entries.name());
        // One processor for both, so the read-compare-write of an item never races with its other half.
        topology.addProcessor(MATCH_PROCESSOR, () -> new MatchingProcessor(policy), DECISIONS_SOURCE, ENTRIES_SOURCE);
        // Local RocksDB backed by changelogs, restored on failover.
        topology.addStateStore(openItemsStore(), MATCH_PROCESSOR);
        topology.addStateStore(closedItemsStore(policy.closedRetention()), MATCH_PROCESSOR);
        // Breaks keyed by transaction id, for finance and analysts.
        topology.addSink(BREAKS_SINK, breaks.name(), breaks.keySerde().serializer(),
                breaks.valueSerde().serializer(), MATCH_PROCESSOR);
        // Each break's audit record, for analysts: same key, same transaction.
        topology.addSink(AUDIT_SINK, audit.name(), audit.keySerde().serializer(),
                audit.valueSerde().serializer(), MATCH_PROCESSOR);
        return topology;
    }

    private static StoreBuilder<KeyValueStore<String, OpenItem>> openItemsStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OPEN_ITEMS_STORE),
                        Serdes.String(), new OpenItemSerde())
                .withLoggingEnabled(Map.of());
    }

    /** A segmented window store: whole segments older than the retention are dropped, with no scan. */
    private static StoreBuilder<WindowStore<String, String>> closedItemsStore(Duration retention) {
        Duration retained = retention.compareTo(CLOSED_WINDOW_SIZE) < 0 ? CLOSED_WINDOW_SIZE : retention;
        return Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(CLOSED_ITEMS_STORE, retained, CLOSED_WINDOW_SIZE, false),
                        Serdes.String(), Serdes.String())
                .withLoggingEnabled(Map.of());
    }

    private static void requireTopic(TopicSerdes<?, ?> serdes, String expectedName) {
        Objects.requireNonNull(serdes, expectedName);
        if (!serdes.name().equals(expectedName)) {
            throw new IllegalArgumentException("expected serdes of " + expectedName + ", got " + serdes.name());
        }
    }
}
