package dev.ngao.reconciler.submit;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.RiskDecision;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The submission topology, built by a pure function so TopologyTestDriver can test it (the adapters are its
 * only way out):
 * <pre>
 * payments.requests (key: transactionId) ─┐
 *                                         ├─> submit-approved ─> providers.status-queries (key: transactionId)
 * risk.decisions    (key: transactionId) ─┘   [submit-requests, submit-state, submit-retries]
 * </pre>
 */
public final class SubmissionTopology {

    /** Transaction id -> its request, until it is submitted or declined. */
    public static final String REQUESTS_STORE = "submit-requests";
    /** Transaction id -> {@link SubmissionState}. */
    public static final String STATE_STORE = "submit-state";
    /** Transaction id -> when its next attempt is due (epoch ms): the few payments being retried. */
    public static final String RETRIES_STORE = "submit-retries";

    static final String REQUESTS_SOURCE = "payment-requests";
    static final String DECISIONS_SOURCE = "risk-decisions";
    static final String SUBMIT_PROCESSOR = "submit-approved";
    static final String ANSWERS_SINK = "provider-status-queries";

    private SubmissionTopology() {
    }

    /** @param adapters by provider id ({@code ProviderKind.id()}) */
    public static Topology build(SubmissionPolicy policy, Map<String, ProviderAdapter> adapters,
                                 TopicSerdes<String, PaymentRequest> requests,
                                 TopicSerdes<String, RiskDecision> decisions,
                                 TopicSerdes<String, ProviderEvent> answers, RandomGenerator random) {
        Objects.requireNonNull(policy, "policy");
        require(requests, Topics.PAYMENT_REQUESTS.name());
        require(decisions, Topics.RISK_DECISIONS.name());
        require(answers, Topics.PROVIDER_STATUS_QUERIES.name());
        Topology topology = new Topology();
        topology.addSource(REQUESTS_SOURCE, requests.keySerde().deserializer(), requests.valueSerde().deserializer(),
                requests.name());
        topology.addSource(DECISIONS_SOURCE, decisions.keySerde().deserializer(),
                decisions.valueSerde().deserializer(), decisions.name());
        topology.addProcessor(SUBMIT_PROCESSOR, () -> new SubmissionProcessor(policy, adapters, random),
                REQUESTS_SOURCE, DECISIONS_SOURCE);
        // The requests hold what the provider needs (a wallet number): the changelog is as sensitive as
        // payments.requests itself and is kept under the same access rules.
        StoreBuilder<KeyValueStore<String, PaymentRequest>> requestStore = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(REQUESTS_STORE), Serdes.String(), requests.valueSerde())
                .withLoggingEnabled(Map.of());
        StoreBuilder<KeyValueStore<String, String>> stateStore = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), Serdes.String())
                .withLoggingEnabled(Map.of());
        StoreBuilder<KeyValueStore<String, Long>> retryStore = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RETRIES_STORE), Serdes.String(), Serdes.Long())
                .withLoggingEnabled(Map.of());
        topology.addStateStore(requestStore, SUBMIT_PROCESSOR);
        topology.addStateStore(stateStore, SUBMIT_PROCESSOR);
        topology.addStateStore(retryStore, SUBMIT_PROCESSOR);
        topology.addSink(ANSWERS_SINK, answers.name(), answers.keySerde().serializer(),
                answers.valueSerde().serializer(), SUBMIT_PROCESSOR);
        return topology;
    }

    private static void require(TopicSerdes<?, ?> serdes, String expectedName) {
        Objects.requireNonNull(serdes, expectedName);
        if (!serdes.name().equals(expectedName)) {
            throw new IllegalArgumentException("expected serdes of " + expectedName + ", got " + serdes.name());
        }
    }
}
