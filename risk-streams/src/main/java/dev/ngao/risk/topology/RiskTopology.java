package dev.ngao.risk.topology;

import dev.ngao.events.CardEvent;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.risk.internal.CardRecord;
import dev.ngao.risk.internal.DecidedTransaction;
import dev.ngao.risk.internal.JoinState;
import dev.ngao.risk.internal.Reservation;
import dev.ngao.risk.internal.RuleSetState;
import dev.ngao.risk.internal.StageCommand;
import dev.ngao.risk.internal.StageVerdict;
import dev.ngao.rules.Dimension;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The risk engine's topology, built by a pure function (no configuration read, no I/O) so that
 * TopologyTestDriver can test it. See the module README for the picture; in short:
 * <pre>
 * risk.rulesets, cards.events, risk.lists -> global stores rule-sets, cards, lists
 * payments.requests (by account) + account releases -> account stage -> account verdicts (by transaction)
 *                                                                    -> dimension requests (by DIMENSION|value)
 * dimension requests + dimension releases -> dimension stage -> dimension verdicts (by transaction)
 * verdicts + providers.events + risk.reviews -> join stage -> risk.decisions, account / dimension releases
 * </pre>
 * The internal topics are Kafka Streams repartition topics ({@code <application.id>-<name>-repartition}),
 * with as many partitions as the external topics they are co-partitioned with.
 */
public final class RiskTopology {

    /** Global: owner (merchant id or default) -> {@link RuleSetState}, the rule set in force and the last refused. */
    public static final String RULE_SETS_STORE = "rule-sets";
    /** Global: card id -> {@link CardRecord}, the fold of the card's events. */
    public static final String CARDS_STORE = "cards";
    /** Global: allow and block list entries, see {@link StoreListLookup}. */
    public static final String LISTS_STORE = "lists";

    /** Account stage: transaction id -> first seen (wall clock ms); drops replayed requests. */
    public static final String PROCESSED_REQUESTS_STORE = "processed-requests";
    /** Account stage: {@code UsageKey.storeKey()} -> minor units reserved (approved and not released). */
    public static final String ACCOUNT_USAGE_STORE = "account-usage";
    /** Account stage: {@code ACCOUNT|id|time|transactionId} -> {@code CUR:amountMinor}, every attempt. */
    public static final String ACCOUNT_VELOCITY_STORE = "account-velocity";
    /** Account stage: {@code ACCOUNT|id|COUNTED|value} -> last seen (event time ms). */
    public static final String ACCOUNT_DISTINCT_STORE = "account-distinct";
    /** Account stage: transaction id -> {@link Reservation}. */
    public static final String ACCOUNT_RESERVATIONS_STORE = "account-reservations";
    /** Account stage: {@code accountId|CUR|yyyy-MM-dd} -> minor units approved that UTC day. */
    public static final String ACCOUNT_HISTORY_STORE = "account-history";
    /** Account stage: {@code accountId|deviceHash} -> last seen (event time ms). */
    public static final String ACCOUNT_DEVICES_STORE = "account-devices";

    /** Dimension stage: as {@link #ACCOUNT_USAGE_STORE}, for merchant, MSISDN, IP, device, DNI and email keys. */
    public static final String DIMENSION_USAGE_STORE = "dimension-usage";
    public static final String DIMENSION_VELOCITY_STORE = "dimension-velocity";
    public static final String DIMENSION_DISTINCT_STORE = "dimension-distinct";
    /** Dimension stage: {@code DIMENSION|value|transactionId} -> {@link Reservation}. */
    public static final String DIMENSION_RESERVATIONS_STORE = "dimension-reservations";

    /** Join stage: transaction id -> {@link JoinState}, the verdicts of a transaction not decided yet. */
    public static final String PENDING_VERDICTS_STORE = "pending-verdicts";
    /** Join stage: transaction id -> {@link DecidedTransaction}; one INITIAL decision, releases after it. */
    public static final String DECIDED_TRANSACTIONS_STORE = "decided-transactions";
    /** Join stage: transaction id -> the INITIAL REVIEW decision, until an analyst resolves it. */
    public static final String REVIEW_QUEUE_STORE = "review-queue";

    /** Internal topics (repartition topic names, without the application id prefix and -repartition suffix). */
    public static final String ACCOUNT_VERDICTS_TOPIC = "risk-account-verdicts";
    public static final String DIMENSION_REQUESTS_TOPIC = "risk-dimension-requests";
    public static final String DIMENSION_VERDICTS_TOPIC = "risk-dimension-verdicts";
    public static final String ACCOUNT_RELEASES_TOPIC = "risk-account-releases";
    public static final String DIMENSION_RELEASES_TOPIC = "risk-dimension-releases";
    public static final List<String> INTERNAL_TOPICS = List.of(ACCOUNT_VERDICTS_TOPIC, DIMENSION_REQUESTS_TOPIC,
            DIMENSION_VERDICTS_TOPIC, ACCOUNT_RELEASES_TOPIC, DIMENSION_RELEASES_TOPIC);

    /** The name Kafka Streams gives an internal topic of this topology under {@code applicationId}. */
    public static String internalTopicName(String applicationId, String topic) {
        return applicationId + "-" + topic + "-repartition";
    }

    static final String ACCOUNT_STAGE = "account-stage";
    static final String DIMENSION_STAGE = "dimension-stage";
    static final String JOIN_STAGE = "join-stage";

    private static final Serde<String> KEYS = Serdes.String();
    private static final InternalSerde<StageVerdict> VERDICTS = InternalSerde.of(StageVerdict.class);
    private static final InternalSerde<StageCommand> COMMANDS = InternalSerde.of(StageCommand.class);

    private RiskTopology() {
    }

    /** The account stores, for processors and interactive queries. */
    public static final List<String> ACCOUNT_STORES = List.of(ACCOUNT_USAGE_STORE, ACCOUNT_VELOCITY_STORE,
            ACCOUNT_DISTINCT_STORE, ACCOUNT_RESERVATIONS_STORE, ACCOUNT_HISTORY_STORE, ACCOUNT_DEVICES_STORE);
    public static final List<String> DIMENSION_STORES = List.of(DIMENSION_USAGE_STORE, DIMENSION_VELOCITY_STORE,
            DIMENSION_DISTINCT_STORE, DIMENSION_RESERVATIONS_STORE);

    public static Topology build(TopicSerdesSource serdes, TopologyOptions options) {
        return build(serdes, options, new RuleSetCatalog(options.defaultRuleSet(), options.compiler()));
    }

    /** As {@link #build(TopicSerdesSource, TopologyOptions)}, with the catalog the caller keeps (HTTP, backtest). */
    public static Topology build(TopicSerdesSource serdes, TopologyOptions options, RuleSetCatalog catalog) {
        Objects.requireNonNull(serdes, "serdes");
        Objects.requireNonNull(options, "options");
        StreamsBuilder builder = new StreamsBuilder();
        addGlobalStores(builder, serdes, catalog);
        addStores(builder);

        // Account stage: requests arrive keyed by account, so one task owns all of an account's state.
        TopicSerdes<String, PaymentRequest> requests = serdes.serdes(Topics.PAYMENT_REQUESTS);
        KStream<String, SpecificRecord> accountOut = builder
                .stream(requests.name(), Consumed.with(requests.keySerde(), requests.valueSerde())
                        .withName("payment-requests"))
                .process(() -> new AccountStageProcessor(catalog, options), Named.as(ACCOUNT_STAGE),
                        accountStageStores());
        KStream<String, StageVerdict> accountVerdicts = accountOut
                .filter((key, value) -> value instanceof StageVerdict, Named.as("account-verdicts-only"))
                .mapValues(value -> (StageVerdict) value, Named.as("as-account-verdict"))
                .repartition(repartitioned(ACCOUNT_VERDICTS_TOPIC, VERDICTS, options));
        // Dimension requests are keyed DIMENSION|value, so one task owns each value's counters.
        KStream<String, StageCommand> dimensionRequests = accountOut
                .filter((key, value) -> value instanceof StageCommand, Named.as("dimension-requests-only"))
                .mapValues(value -> (StageCommand) value, Named.as("as-dimension-request"))
                .repartition(repartitioned(DIMENSION_REQUESTS_TOPIC, COMMANDS, options));

        // Dimension stage: the same stage logic, for every other dimension.
        KStream<String, StageVerdict> dimensionVerdicts = dimensionRequests
                .process(() -> new DimensionStageProcessor(catalog, options), Named.as(DIMENSION_STAGE),
                        dimensionStageStores())
                .repartition(repartitioned(DIMENSION_VERDICTS_TOPIC, VERDICTS, options));

        // Join stage: verdicts and the transaction's later events, all keyed by transaction id.
        TopicSerdes<String, ProviderEvent> providerEvents = serdes.serdes(Topics.PROVIDER_EVENTS);
        TopicSerdes<String, ReviewResolution> reviews = serdes.serdes(Topics.RISK_REVIEWS);
        KStream<String, SpecificRecord> joinIn = accountVerdicts
                .merge(dimensionVerdicts, Named.as("all-verdicts"))
                .mapValues(value -> (SpecificRecord) value, Named.as("verdict-as-join-input"))
                .merge(builder.stream(providerEvents.name(),
                                Consumed.with(providerEvents.keySerde(), providerEvents.valueSerde())
                                        .withName("provider-events"))
                        .mapValues(value -> (SpecificRecord) value, Named.as("provider-event-as-join-input")),
                        Named.as("verdicts-and-provider-events"))
                .merge(builder.stream(reviews.name(), Consumed.with(reviews.keySerde(), reviews.valueSerde())
                                .withName("review-resolutions"))
                        .mapValues(value -> (SpecificRecord) value, Named.as("resolution-as-join-input")),
                        Named.as("join-inputs"));
        KStream<String, SpecificRecord> joinOut = joinIn.process(() -> new JoinProcessor(options),
                Named.as(JOIN_STAGE), PENDING_VERDICTS_STORE, DECIDED_TRANSACTIONS_STORE, REVIEW_QUEUE_STORE);

        // Exactly one INITIAL decision per request (and at most one REVIEW_RESOLUTION), keyed by transaction.
        TopicSerdes<String, RiskDecision> decisions = serdes.serdes(Topics.RISK_DECISIONS);
        joinOut.filter((key, value) -> value instanceof RiskDecision, Named.as("decisions-only"))
                .mapValues(value -> (RiskDecision) value, Named.as("as-decision"))
                .to(decisions.name(), Produced.with(decisions.keySerde(), decisions.valueSerde())
                        .withName("risk-decisions"));
        // Releases go back to the stage holding the reservation, in the task that owns its key.
        KStream<String, StageCommand> releases = joinOut
                .filter((key, value) -> value instanceof StageCommand, Named.as("releases-only"))
                .mapValues(value -> (StageCommand) value, Named.as("as-release"));
        releases.filter((key, command) -> isAccount(command), Named.as("account-releases-only"))
                .repartition(repartitioned(ACCOUNT_RELEASES_TOPIC, COMMANDS, options))
                .process(StageReleaseProcessor::account, Named.as("account-release"),
                        ACCOUNT_STORES.toArray(String[]::new));
        releases.filterNot((key, command) -> isAccount(command), Named.as("dimension-releases-only"))
                .repartition(repartitioned(DIMENSION_RELEASES_TOPIC, COMMANDS, options))
                .process(StageReleaseProcessor::dimension, Named.as("dimension-release"),
                        DIMENSION_STORES.toArray(String[]::new));
        return builder.build();
    }

    private static boolean isAccount(StageCommand command) {
        return Dimension.ACCOUNT.name().equals(command.getDimension());
    }

    private static String[] accountStageStores() {
        List<String> names = new java.util.ArrayList<>(ACCOUNT_STORES);
        names.add(PROCESSED_REQUESTS_STORE);
        return names.toArray(String[]::new);
    }

    private static String[] dimensionStageStores() {
        return DIMENSION_STORES.toArray(String[]::new);
    }

    private static <V> Repartitioned<String, V> repartitioned(String name, Serde<V> values, TopologyOptions options) {
        return Repartitioned.<String, V>as(name).withKeySerde(KEYS).withValueSerde(values)
                .withNumberOfPartitions(options.partitions());
    }

    private static void addGlobalStores(StreamsBuilder builder, TopicSerdesSource serdes, RuleSetCatalog catalog) {
        TopicSerdes<String, RuleSetPublished> ruleSets = serdes.serdes(Topics.RISK_RULESETS);
        builder.addGlobalStore(globalStore(RULE_SETS_STORE, InternalSerde.of(RuleSetState.class)), ruleSets.name(),
                Consumed.with(ruleSets.keySerde(), ruleSets.valueSerde()).withName("rule-set-changes"),
                () -> new GlobalStoreProcessors.RuleSets(catalog));
        TopicSerdes<String, CardEvent> cards = serdes.serdes(Topics.CARD_EVENTS);
        builder.addGlobalStore(globalStore(CARDS_STORE, InternalSerde.of(CardRecord.class)), cards.name(),
                Consumed.with(cards.keySerde(), cards.valueSerde()).withName("card-changes"),
                GlobalStoreProcessors.Cards::new);
        TopicSerdes<String, ListEntryChange> lists = serdes.serdes(Topics.RISK_LISTS);
        builder.addGlobalStore(globalStore(LISTS_STORE, InternalSerde.of(ListEntryChange.class)), lists.name(),
                Consumed.with(lists.keySerde(), lists.valueSerde()).withName("list-changes"),
                GlobalStoreProcessors.Lists::new);
    }

    private static void addStores(StreamsBuilder builder) {
        builder.addStateStore(store(PROCESSED_REQUESTS_STORE, Serdes.Long()));
        builder.addStateStore(store(ACCOUNT_USAGE_STORE, Serdes.Long()));
        builder.addStateStore(store(ACCOUNT_VELOCITY_STORE, Serdes.String()));
        builder.addStateStore(store(ACCOUNT_DISTINCT_STORE, Serdes.Long()));
        builder.addStateStore(store(ACCOUNT_RESERVATIONS_STORE, InternalSerde.of(Reservation.class)));
        builder.addStateStore(store(ACCOUNT_HISTORY_STORE, Serdes.Long()));
        builder.addStateStore(store(ACCOUNT_DEVICES_STORE, Serdes.Long()));
        builder.addStateStore(store(DIMENSION_USAGE_STORE, Serdes.Long()));
        builder.addStateStore(store(DIMENSION_VELOCITY_STORE, Serdes.String()));
        builder.addStateStore(store(DIMENSION_DISTINCT_STORE, Serdes.Long()));
        builder.addStateStore(store(DIMENSION_RESERVATIONS_STORE, InternalSerde.of(Reservation.class)));
        builder.addStateStore(store(PENDING_VERDICTS_STORE, InternalSerde.of(JoinState.class)));
        builder.addStateStore(store(DECIDED_TRANSACTIONS_STORE, InternalSerde.of(DecidedTransaction.class)));
        builder.addStateStore(store(REVIEW_QUEUE_STORE, InternalSerde.of(RiskDecision.class)));
    }

    /** A local RocksDB store with a compacted changelog, restored on failover. */
    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), KEYS, values)
                .withLoggingEnabled(Map.of());
    }

    /** A global store: its source topic is its changelog, so logging stays off. */
    private static <V> StoreBuilder<KeyValueStore<String, V>> globalStore(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), KEYS, values).withLoggingDisabled();
    }
}
