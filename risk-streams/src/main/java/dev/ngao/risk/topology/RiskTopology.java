package dev.ngao.risk.topology;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.CardAuthorizationAnswer;
import dev.ngao.events.CardEvent;
import dev.ngao.events.EmergencyStop;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.risk.internal.AccountCommand;
import dev.ngao.risk.internal.BudgetRequest;
import dev.ngao.risk.internal.CardRecord;
import dev.ngao.risk.internal.DecidedTransaction;
import dev.ngao.risk.internal.MerchantBudget;
import dev.ngao.risk.internal.MerchantSlice;
import dev.ngao.risk.internal.ParkedRequest;
import dev.ngao.risk.internal.Reservation;
import dev.ngao.risk.internal.RuleSetState;
import dev.ngao.risk.internal.SignalDay;
import dev.ngao.risk.internal.SignalObservation;
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
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The risk engine's topology, built by a pure function (no configuration read, no I/O) so that
 * TopologyTestDriver can test it. See the module README for the picture; in short:
 * <pre>
 * risk.rulesets, cards.events, risk.lists -> global stores rule-sets, cards, lists
 * risk.signals -> global store signals (cross-account velocity and distinct counts)
 * payments.requests (by account) + risk.commands -> decision task -> risk.decisions     (one hop)
 *                                                                 -> risk.signals, risk.budget-requests
 * risk.budget-requests (by limit counter) -> budget owner -> risk.commands (grants, to the asking partition)
 * risk.decisions + providers.events + risk.reviews (by transaction) -> lifecycle -> risk.decisions (resolutions,
 *                                                                                   challenge results, expiries)
 *                                                                                -> risk.commands (releases)
 * </pre>
 */
public final class RiskTopology {

    /** Global: owner (merchant id or default) -> {@link RuleSetState}, the rule set in force and the last refused. */
    public static final String RULE_SETS_STORE = "rule-sets";
    /** Global: card id -> {@link CardRecord}, the fold of the card's events. */
    public static final String CARDS_STORE = "cards";
    /** Global: allow and block list entries, see {@link StoreListLookup}. */
    public static final String LISTS_STORE = "lists";
    /** Global store: stop key -> {@link dev.ngao.events.EmergencyStop} in force. */
    public static final String STOPS_STORE = "emergency-stops";
    /** Global window store: {@code DIMENSION|value} x UTC day -> {@link SignalDay}, every dimension but accounts. */
    public static final String SIGNALS_STORE = "signals";

    /** Decision task window store: transaction id x first seen -> {@link Reservation}; drops replays. */
    public static final String TRANSACTIONS_STORE = "transactions";
    /**
     * Decision task window store: {@code ACCOUNT|id} x UTC day -> {@link SignalDay}, approved spend included; the
     * account's latest record also holds its calendar usage counters (see {@link UsageCounters}).
     */
    public static final String ACCOUNT_SIGNALS_STORE = "account-signals";
    /**
     * Decision task window store of the earlier layout, {@code UsageKey.storeKey()} x period start -> minor units
     * reserved: read once per account to carry its counters into its latest {@link #ACCOUNT_SIGNALS_STORE} record, never
     * written; it empties itself as its segments expire and can leave the topology a usage retention after
     * every instance runs the new layout.
     */
    public static final String LEGACY_ACCOUNT_USAGE_STORE = "account-usage";
    /** Decision task: {@code UsageKey.storeKey()} of ALL_TIME counters -> minor units reserved. */
    public static final String ACCOUNT_ALL_TIME_USAGE_STORE = "account-usage-all-time";
    /** Decision task window store: shared counter's store key x period start -> {@link MerchantSlice}. */
    public static final String MERCHANT_SLICES_STORE = "merchant-slices";
    /** Decision task: {@code counter|sequence} -> {@link ParkedRequest}, requests waiting for a slice refill. */
    public static final String PARKED_REQUESTS_STORE = "parked-requests";

    /** Budget owner window store: shared counter's store key x period start -> {@link MerchantBudget}. */
    public static final String MERCHANT_BUDGETS_STORE = "merchant-budgets";

    /** Lifecycle window store: transaction id x decided at -> {@link DecidedTransaction} (approvals). */
    public static final String DECIDED_TRANSACTIONS_STORE = "decided-transactions";
    /** Lifecycle: transaction id -> the INITIAL REVIEW decision, until an analyst resolves it. */
    public static final String REVIEW_QUEUE_STORE = "review-queue";
    /** Lifecycle: transaction id -> the INITIAL CHALLENGE decision, until its result comes or it expires. */
    public static final String CHALLENGE_QUEUE_STORE = "challenge-queue";

    /** The stores of the decision task, for processors and interactive queries. */
    public static final List<String> DECISION_STORES = List.of(TRANSACTIONS_STORE, ACCOUNT_SIGNALS_STORE,
            LEGACY_ACCOUNT_USAGE_STORE, ACCOUNT_ALL_TIME_USAGE_STORE, MERCHANT_SLICES_STORE,
            PARKED_REQUESTS_STORE);

    static final String DECISION_TASK = "decision-task";
    static final String BUDGET_OWNER = "budget-owner";
    static final String LIFECYCLE = "lifecycle";

    private static final Serde<String> KEYS = Serdes.String();
    private static final InternalSerde<AccountCommand> COMMANDS = InternalSerde.of(AccountCommand.class);
    private static final InternalSerde<BudgetRequest> BUDGET_REQUESTS = InternalSerde.of(BudgetRequest.class);
    private static final InternalSerde<SignalObservation> OBSERVATIONS = InternalSerde.of(SignalObservation.class);
    private static final Duration DAY = Duration.ofDays(1);
    /** A calendar counter lives from its period's start: a month is the longest period (31 days). */
    private static final Duration LONGEST_PERIOD = Duration.ofDays(31);

    private RiskTopology() {
    }

    public static Topology build(TopicSerdesSource serdes, TopologyOptions options) {
        return build(serdes, options, new RuleSetCatalog(options.defaultRuleSet(), options.compiler()));
    }

    /** As {@link #build(TopicSerdesSource, TopologyOptions)}, with the catalog the caller keeps (HTTP, backtest). */
    public static Topology build(TopicSerdesSource serdes, TopologyOptions options, RuleSetCatalog catalog) {
        Objects.requireNonNull(serdes, "serdes");
        Objects.requireNonNull(options, "options");
        StreamsBuilder builder = new StreamsBuilder();
        addGlobalStores(builder, serdes, catalog, options);
        addStores(builder, options);
        TopicSerdes<String, RiskDecision> decisions = serdes.serdes(Topics.RISK_DECISIONS);
        Produced<String, AccountCommand> toCommands = Produced.with(KEYS, COMMANDS)
                .withStreamPartitioner(new CommandPartitioner());

        // Decision task: requests arrive keyed by account, so one task owns all of an account's state; commands
        // are partitioned like them (CommandPartitioner), so a release or a grant reaches the same task.
        TopicSerdes<String, PaymentRequest> requests = serdes.serdes(Topics.PAYMENT_REQUESTS);
        KStream<String, SpecificRecord> decisionIn = builder
                .stream(requests.name(), Consumed.with(requests.keySerde(), requests.valueSerde())
                        .withName("payment-requests"))
                .mapValues(value -> (SpecificRecord) value, Named.as("request-as-decision-input"))
                .merge(builder.stream(Topics.RISK_COMMANDS.name(), Consumed.with(KEYS, COMMANDS)
                                .withName("account-commands"))
                        .mapValues(value -> (SpecificRecord) value, Named.as("command-as-decision-input")),
                        Named.as("decision-inputs"));
        KStream<String, SpecificRecord> decisionOut = decisionIn.process(
                () -> new DecisionProcessor(catalog, options), Named.as(DECISION_TASK),
                DECISION_STORES.toArray(String[]::new));
        // Exactly one INITIAL decision per request, in the transaction that changed the account's state.
        decisionOut.filter((key, value) -> value instanceof RiskDecision, Named.as("decisions-only"))
                .mapValues(value -> (RiskDecision) value, Named.as("as-decision"))
                .to(decisions.name(), Produced.with(decisions.keySerde(), decisions.valueSerde())
                        .withName("risk-decisions"));
        // Every decided request feeds the global signals store of every instance.
        decisionOut.filter((key, value) -> value instanceof SignalObservation, Named.as("observations-only"))
                .mapValues(value -> (SignalObservation) value, Named.as("as-observation"))
                .to(Topics.RISK_SIGNALS.name(), Produced.with(KEYS, OBSERVATIONS).withName("risk-signals"));
        // A slice running low asks its counter's owner, keyed by the counter.
        decisionOut.filter((key, value) -> value instanceof BudgetRequest, Named.as("budget-requests-only"))
                .mapValues(value -> (BudgetRequest) value, Named.as("as-budget-request"))
                .to(Topics.RISK_BUDGET_REQUESTS.name(), Produced.with(KEYS, BUDGET_REQUESTS)
                        .withName("budget-requests"));

        // Budget owner: one task per shared counter grants slices of its period's budget.
        builder.stream(Topics.RISK_BUDGET_REQUESTS.name(), Consumed.with(KEYS, BUDGET_REQUESTS)
                        .withName("budget-requests-in"))
                .process(BudgetOwnerProcessor::new, Named.as(BUDGET_OWNER), MERCHANT_BUDGETS_STORE)
                .to(Topics.RISK_COMMANDS.name(), toCommands.withName("grants"));

        // Lifecycle: decisions read back with the transaction's later events (provider statuses, analysts'
        // resolutions, what a card network was answered, the ledger's refusals), all keyed by transaction id.
        TopicSerdes<String, ProviderEvent> providerEvents = serdes.serdes(Topics.PROVIDER_EVENTS);
        TopicSerdes<String, ReviewResolution> reviews = serdes.serdes(Topics.RISK_REVIEWS);
        TopicSerdes<String, CardAuthorizationAnswer> answers = serdes.serdes(Topics.CARD_AUTHORIZATIONS);
        TopicSerdes<String, AuditRecord> refusals = serdes.serdes(Topics.LEDGER_REFUSALS);
        KStream<String, SpecificRecord> lifecycleOut = builder
                .stream(decisions.name(), Consumed.with(decisions.keySerde(), decisions.valueSerde())
                        .withName("decisions-in"))
                .mapValues(value -> (SpecificRecord) value, Named.as("decision-as-lifecycle-input"))
                .merge(builder.stream(providerEvents.name(),
                                Consumed.with(providerEvents.keySerde(), providerEvents.valueSerde())
                                        .withName("provider-events"))
                        .mapValues(value -> (SpecificRecord) value, Named.as("provider-event-as-lifecycle-input")),
                        Named.as("decisions-and-provider-events"))
                .merge(builder.stream(reviews.name(), Consumed.with(reviews.keySerde(), reviews.valueSerde())
                                .withName("review-resolutions"))
                        .mapValues(value -> (SpecificRecord) value, Named.as("resolution-as-lifecycle-input")),
                        Named.as("decisions-events-and-resolutions"))
                .merge(builder.stream(answers.name(), Consumed.with(answers.keySerde(), answers.valueSerde())
                                .withName("card-authorization-answers"))
                        .mapValues(value -> (SpecificRecord) value, Named.as("answer-as-lifecycle-input")),
                        Named.as("all-but-refusals"))
                .merge(builder.stream(refusals.name(), Consumed.with(refusals.keySerde(), refusals.valueSerde())
                                .withName("ledger-refusals"))
                        .mapValues(value -> (SpecificRecord) value, Named.as("refusal-as-lifecycle-input")),
                        Named.as("lifecycle-inputs"))
                .process(() -> new LifecycleProcessor(options), Named.as(LIFECYCLE), DECIDED_TRANSACTIONS_STORE,
                        REVIEW_QUEUE_STORE, CHALLENGE_QUEUE_STORE);
        // REVIEW_RESOLUTION, CHALLENGE_RESULT, AUTHORIZATION_ANSWER and LEDGER_REFUSAL decisions.
        lifecycleOut.filter((key, value) -> value instanceof RiskDecision, Named.as("resolutions-only"))
                .mapValues(value -> (RiskDecision) value, Named.as("as-resolution"))
                .to(decisions.name(), Produced.with(decisions.keySerde(), decisions.valueSerde())
                        .withName("review-resolution-decisions"));
        // Analysts' decision changes, applied or refused, on the audit trail.
        TopicSerdes<String, AuditRecord> audit = serdes.serdes(Topics.AUDIT_RISK);
        lifecycleOut.filter((key, value) -> value instanceof AuditRecord, Named.as("audit-only"))
                .mapValues(value -> (AuditRecord) value, Named.as("as-audit"))
                .to(audit.name(), Produced.with(audit.keySerde(), audit.valueSerde()).withName("risk-audit"));
        lifecycleOut.filter((key, value) -> value instanceof AccountCommand, Named.as("releases-only"))
                .mapValues(value -> (AccountCommand) value, Named.as("as-release"))
                .to(Topics.RISK_COMMANDS.name(), toCommands.withName("releases"));
        return builder.build();
    }

    private static void addGlobalStores(StreamsBuilder builder, TopicSerdesSource serdes, RuleSetCatalog catalog,
                                        TopologyOptions options) {
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
        TopicSerdes<String, EmergencyStop> stops = serdes.serdes(Topics.RISK_STOPS);
        builder.addGlobalStore(globalStore(STOPS_STORE, InternalSerde.of(EmergencyStop.class)), stops.name(),
                Consumed.with(stops.keySerde(), stops.valueSerde()).withName("emergency-stop-changes"),
                GlobalStoreProcessors.Stops::new);
        // Its source topic is its changelog (the processor runs again on restore), so logging stays off.
        Duration signalsRetention = options.velocityRetention().plus(DAY);
        builder.addGlobalStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(SIGNALS_STORE,
                                signalsRetention, DAY, false), KEYS, InternalSerde.of(SignalDay.class))
                        .withLoggingDisabled(),
                Topics.RISK_SIGNALS.name(), Consumed.with(KEYS, OBSERVATIONS).withName("signal-observations"),
                () -> new SignalsProcessor(signalsRetention));
    }

    private static void addStores(StreamsBuilder builder, TopologyOptions options) {
        Duration usageRetention = usageRetention(options);
        // Keyed by transaction or account: a key is rarely written twice in one commit interval, so these go
        // without the record cache (see windowStore). The shared counters' stores keep it.
        builder.addStateStore(windowStore(TRANSACTIONS_STORE, options.replayRetention(), InternalSerde.of(Reservation.class),
                false));
        // An account's day records carry its velocity, its devices and its approved history: kept for the longest.
        Duration accountDays = max(options.velocityRetention(), max(options.historyRetention(), options.deviceRetention()));
        builder.addStateStore(windowStore(ACCOUNT_SIGNALS_STORE, accountDays.plus(DAY), InternalSerde.of(SignalDay.class),
                false));
        builder.addStateStore(windowStore(LEGACY_ACCOUNT_USAGE_STORE, usageRetention, Serdes.Long(), false));
        builder.addStateStore(store(ACCOUNT_ALL_TIME_USAGE_STORE, Serdes.Long(), false));
        builder.addStateStore(windowStore(MERCHANT_SLICES_STORE, usageRetention, InternalSerde.of(MerchantSlice.class),
                true));
        builder.addStateStore(store(PARKED_REQUESTS_STORE, InternalSerde.of(ParkedRequest.class), true));
        builder.addStateStore(windowStore(MERCHANT_BUDGETS_STORE, usageRetention, InternalSerde.of(MerchantBudget.class),
                true));
        builder.addStateStore(windowStore(DECIDED_TRANSACTIONS_STORE, options.replayRetention(),
                InternalSerde.of(DecidedTransaction.class), false));
        builder.addStateStore(store(REVIEW_QUEUE_STORE, InternalSerde.of(RiskDecision.class), false));
        builder.addStateStore(store(CHALLENGE_QUEUE_STORE, InternalSerde.of(RiskDecision.class), false));
    }

    /** How long a calendar counter, a merchant slice or a budget is kept from its period's start. */
    public static Duration usageRetention(TopologyOptions options) {
        return LONGEST_PERIOD.plus(options.usageRetention()).plus(DAY);
    }

    private static Duration max(Duration first, Duration second) {
        return first.compareTo(second) >= 0 ? first : second;
    }

    /** A local RocksDB store with a compacted changelog, restored on failover; the record cache as said. */
    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values, boolean cached) {
        StoreBuilder<KeyValueStore<String, V>> builder = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name),
                KEYS, values).withLoggingEnabled(Map.of());
        return cached ? builder.withCachingEnabled() : builder.withCachingDisabled();
    }

    /**
     * A segmented RocksDB window store (segments of half the retention) whose records expire with whole
     * segments once {@code retention} is past: nothing sweeps it. Changelog compacted and deleted after the
     * retention.
     *
     * <p>The record cache ({@code cached}) pays where one key is written many times in a commit interval (a
     * merchant's slice, its budget): it reaches RocksDB and the changelog once. For stores keyed by
     * transaction or account it is pure cost: every key is new, so the cache fills with entries read once, and
     * each put and get walks a sorted map of hundreds of thousands of keys and evicts (measured with JFR under
     * the benchmark: about a fifth of the stream threads' time in the cache's maps and evictions).
     */
    private static <V> StoreBuilder<WindowStore<String, V>> windowStore(String name, Duration retention,
                                                                        Serde<V> values, boolean cached) {
        StoreBuilder<WindowStore<String, V>> builder = Stores.windowStoreBuilder(
                Stores.persistentWindowStore(name, retention, DAY, false), KEYS, values).withLoggingEnabled(Map.of());
        return cached ? builder.withCachingEnabled() : builder.withCachingDisabled();
    }

    /** A global store: its source topic is its changelog, so logging stays off. */
    private static <V> StoreBuilder<KeyValueStore<String, V>> globalStore(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), KEYS, values).withLoggingDisabled();
    }
}
