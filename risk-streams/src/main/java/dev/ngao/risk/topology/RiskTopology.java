package dev.ngao.risk.topology;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.risk.rules.LimitPolicy;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The risk decision topology, built by a pure function (no configuration read, no I/O) so that
 * TopologyTestDriver can test it:
 * <pre>
 * payments.requests (keyed by account) -> decide-payment-request [decided-transactions, daily-usage]
 *                                      -> risk.decisions (keyed by transaction id)
 * </pre>
 */
public final class RiskTopology {

    /** Transaction id -> decidedAt (epoch ms, wall clock): remembers what was decided, to drop replays. */
    public static final String DECIDED_TRANSACTIONS_STORE = "decided-transactions";
    /** {@code accountId|CUR|yyyy-MM-dd} (UTC) -> minor units reserved by approvals that day. */
    public static final String DAILY_USAGE_STORE = "daily-usage";

    static final String REQUESTS_SOURCE = "payment-requests";
    static final String DECIDE_PROCESSOR = "decide-payment-request";
    static final String DECISIONS_SINK = "risk-decisions";

    private RiskTopology() {
    }

    /**
     * @param policy           the limits in force and their rule-set version
     * @param requests         serdes of {@link Topics#PAYMENT_REQUESTS}
     * @param decisions        serdes of {@link Topics#RISK_DECISIONS}
     * @param replayRetention  how long a decided transaction id is remembered to drop replays
     * @param usageRetention   how long daily usage is kept after its UTC day (late requests still count)
     * @param purgeInterval    wall-clock period of the purge of both stores
     */
    public static Topology build(LimitPolicy policy,
                                 TopicSerdes<String, PaymentRequest> requests,
                                 TopicSerdes<String, RiskDecision> decisions,
                                 Duration replayRetention,
                                 Duration usageRetention,
                                 Duration purgeInterval) {
        Objects.requireNonNull(policy, "policy");
        requireTopic(requests, Topics.PAYMENT_REQUESTS.name());
        requireTopic(decisions, Topics.RISK_DECISIONS.name());
        requirePositive(replayRetention, "replayRetention");
        requirePositive(usageRetention, "usageRetention");
        requirePositive(purgeInterval, "purgeInterval");

        Topology topology = new Topology();
        // Requests arrive keyed by account, so one task owns all of an account's usage.
        topology.addSource(REQUESTS_SOURCE, requests.keySerde().deserializer(),
                requests.valueSerde().deserializer(), requests.name());
        // De-duplicate, evaluate, reserve and decide in one processor: one read-check-write per request.
        topology.addProcessor(DECIDE_PROCESSOR,
                () -> new DecisionProcessor(policy, replayRetention, usageRetention, purgeInterval), REQUESTS_SOURCE);
        // Both stores are local RocksDB backed by compacted changelogs, restored on failover.
        topology.addStateStore(persistentStore(DECIDED_TRANSACTIONS_STORE), DECIDE_PROCESSOR);
        topology.addStateStore(persistentStore(DAILY_USAGE_STORE), DECIDE_PROCESSOR);
        // One decision per request, keyed by transaction id for the ledger and analysts.
        topology.addSink(DECISIONS_SINK, decisions.name(), decisions.keySerde().serializer(),
                decisions.valueSerde().serializer(), DECIDE_PROCESSOR);
        return topology;
    }

    private static StoreBuilder<KeyValueStore<String, Long>> persistentStore(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.Long())
                .withLoggingEnabled(Map.of());
    }

    private static void requireTopic(TopicSerdes<?, ?> serdes, String expectedName) {
        Objects.requireNonNull(serdes, expectedName);
        if (!serdes.name().equals(expectedName)) {
            throw new IllegalArgumentException("expected serdes of " + expectedName + ", got " + serdes.name());
        }
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}
