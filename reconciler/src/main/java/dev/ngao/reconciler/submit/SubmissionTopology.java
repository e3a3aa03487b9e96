package dev.ngao.reconciler.submit;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.SubmissionIntent;
import dev.ngao.events.SubmissionResult;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The submission topology, built by a pure function so TopologyTestDriver can test it. It has no way to a provider:
 * its only outputs are topics, the intents for the {@link SubmissionDispatcher} among them.
 * <pre>
 * payments.requests (key: account) ─> re-keyed by transaction id ─> submit-requests-by-transaction ─┐
 * risk.decisions    (key: transactionId) ──────────────────────────────────────────────────────────┤
 * ledger.entries    (key: transactionId) (payouts: the ledger's hold is the go-ahead) ──────────────┤
 * providers.submission-results (key: transactionId) (what the dispatcher's calls came to) ─────────┤
 *                                                                                                   v
 *        submit-approved [submit-requests, submit-state, submit-retries] ─┬─> providers.submissions (intents)
 *                                                                          └─> providers.status-queries (answers)
 * </pre>
 */
public final class SubmissionTopology {

    /** Transaction id -> its request, until it is submitted or declined. */
    public static final String REQUESTS_STORE = "submit-requests";
    /** Transaction id -> {@link SubmissionState}. */
    public static final String STATE_STORE = "submit-state";
    /** Transaction id -> when its next attempt is due (epoch ms): the few payments being retried. */
    public static final String RETRIES_STORE = "submit-retries";
    /** The internal topic of requests keyed by transaction id, so each meets its decision in one task. */
    static final String REQUESTS_BY_TRANSACTION = "submit-requests-by-transaction";
    static final String SUBMIT_PROCESSOR = "submit-approved";

    private SubmissionTopology() {
    }

    /**
     * The changelog of {@link #REQUESTS_STORE} holds what the provider needs (a wallet's MSISDN, in clear): it is
     * compacted and also deleted after {@code payments.requests}' retention, so nothing in it outlives the topic it
     * came from. (Requests leave the store well before: when submitted, declined, or after the policy's retention.)
     */
    public static Map<String, String> requestsChangelogConfig() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + ","
                        + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(Topics.PAYMENT_REQUESTS.retention().toMillis()));
    }

    public static Topology build(SubmissionPolicy policy, TopicSerdes<String, PaymentRequest> requests,
                                 TopicSerdes<String, RiskDecision> decisions,
                                 TopicSerdes<String, JournalEntry> entries,
                                 TopicSerdes<String, SubmissionResult> results,
                                 TopicSerdes<String, SubmissionIntent> intents,
                                 TopicSerdes<String, ProviderEvent> answers, RandomGenerator random) {
        Objects.requireNonNull(policy, "policy");
        require(requests, Topics.PAYMENT_REQUESTS.name());
        require(decisions, Topics.RISK_DECISIONS.name());
        require(entries, Topics.LEDGER_ENTRIES.name());
        require(results, Topics.PROVIDER_SUBMISSION_RESULTS.name());
        require(intents, Topics.PROVIDER_SUBMISSIONS.name());
        require(answers, Topics.PROVIDER_STATUS_QUERIES.name());
        StreamsBuilder builder = new StreamsBuilder();
        // The requests hold what the provider needs (a wallet number): the repartition topic and the changelog
        // are as sensitive as payments.requests itself, kept no longer (see requestsChangelogConfig and the
        // application's internal topic retention) and under the same access rules.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REQUESTS_STORE),
                Serdes.String(), requests.valueSerde()).withLoggingEnabled(requestsChangelogConfig()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RETRIES_STORE),
                Serdes.String(), Serdes.Long()));

        KStream<String, SpecificRecord> byTransaction = builder.stream(requests.name(),
                        Consumed.with(requests.keySerde(), requests.valueSerde()).withName("payment-requests"))
                .selectKey((account, request) -> request.getTransactionId(), Named.as("key-by-transaction"))
                .repartition(Repartitioned.<String, PaymentRequest>as(REQUESTS_BY_TRANSACTION)
                        .withKeySerde(Serdes.String()).withValueSerde(requests.valueSerde())
                        .withNumberOfPartitions(Topics.RISK_DECISIONS.partitions()))
                .mapValues(request -> (SpecificRecord) request, Named.as("request-as-input"));
        KStream<String, SpecificRecord> inputs = byTransaction
                .merge(builder.stream(decisions.name(), Consumed.with(decisions.keySerde(), decisions.valueSerde())
                                .withName("risk-decisions"))
                        .mapValues(decision -> (SpecificRecord) decision, Named.as("decision-as-input")),
                        Named.as("requests-and-decisions"))
                .merge(builder.stream(entries.name(), Consumed.with(entries.keySerde(), entries.valueSerde())
                                .withName("ledger-entries"))
                        .filter((transactionId, entry) -> SubmissionProcessor.PAYOUT_HOLD_KIND.equals(entry.getKind()),
                                Named.as("payout-holds-only"))
                        .mapValues(entry -> (SpecificRecord) entry, Named.as("hold-as-input")),
                        Named.as("with-holds"))
                // The dispatcher's results come back here, so what follows a call is decided in the transaction's task.
                .merge(builder.stream(results.name(), Consumed.with(results.keySerde(), results.valueSerde())
                                .withName("submission-results"))
                        .mapValues(result -> (SpecificRecord) result, Named.as("result-as-input")),
                        Named.as("submission-inputs"));
        KStream<String, SpecificRecord> outputs = inputs.process(() -> new SubmissionProcessor(policy, random),
                Named.as(SUBMIT_PROCESSOR), REQUESTS_STORE, STATE_STORE, RETRIES_STORE);
        // Intents go to the outbox, in the transaction that decided them; the dispatcher reads them once committed.
        outputs.filter((transactionId, output) -> output instanceof SubmissionIntent, Named.as("intents-only"))
                .mapValues(output -> (SubmissionIntent) output, Named.as("as-intent"))
                .to(intents.name(), Produced.with(intents.keySerde(), intents.valueSerde())
                        .withName("provider-submissions"));
        // Answers and refusals become statuses for ingest to judge.
        outputs.filter((transactionId, output) -> output instanceof ProviderEvent, Named.as("answers-only"))
                .mapValues(output -> (ProviderEvent) output, Named.as("as-answer"))
                .to(answers.name(), Produced.with(answers.keySerde(), answers.valueSerde())
                        .withName("provider-status-queries"));
        return builder.build();
    }

    private static void require(TopicSerdes<?, ?> serdes, String expectedName) {
        Objects.requireNonNull(serdes, expectedName);
        if (!serdes.name().equals(expectedName)) {
            throw new IllegalArgumentException("expected serdes of " + expectedName + ", got " + serdes.name());
        }
    }
}
