package dev.ngao.risk.topology;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.AuthorizationDecider;
import dev.ngao.events.CardAuthorizationAnswer;
import dev.ngao.events.CardEvent;
import dev.ngao.events.EmergencyStop;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.ResolutionSource;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.Rule;
import dev.ngao.events.StopScope;
import dev.ngao.events.StopTraffic;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.events.StatusTransition;
import dev.ngao.risk.internal.CalendarCounter;
import dev.ngao.risk.internal.MerchantBudget;
import dev.ngao.risk.internal.MerchantSlice;
import dev.ngao.risk.internal.Reservation;
import dev.ngao.risk.internal.RuleSetState;
import dev.ngao.risk.internal.SignalDay;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.DefaultRuleSet;
import dev.ngao.rules.Interval;
import dev.ngao.rules.RuleSetCompiler;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * The risk topology under TopologyTestDriver, with typed inputs for every topic it reads and the decisions
 * and dead letters it writes. The wall clock starts at {@link #WALL_CLOCK_START}; the replay retention and
 * purges run when it is advanced.
 */
final class RiskDriver implements AutoCloseable {

    static final Instant WALL_CLOCK_START = Instant.parse("2026-03-10T12:00:00Z");
    static final String DEFAULT_VERSION = "limits-test-v7";
    static final long KES_PER_TRANSACTION = 15_000_000L;
    static final long KES_DAILY = 30_000_000L;
    static final CompiledRuleSet BUILT_IN = DefaultRuleSet.of(DEFAULT_VERSION,
            Map.of("KES", KES_PER_TRANSACTION, "UGX", 5_000_000L),
            Map.of("KES", KES_DAILY, "UGX", 10_000_000L));

    private final String registryScope = "risk-driver-" + UUID.randomUUID();
    private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(registryScope);
    final TopologyTestDriver driver;
    final TestInputTopic<String, PaymentRequest> requests;
    final TestInputTopic<String, ProviderEvent> providerEvents;
    final TestInputTopic<String, ReviewResolution> reviews;
    final TestInputTopic<String, RuleSetPublished> ruleSets;
    final TestInputTopic<String, CardEvent> cards;
    final TestInputTopic<String, ListEntryChange> lists;
    final TestInputTopic<String, CardAuthorizationAnswer> answers;
    final TestInputTopic<String, AuditRecord> refusals;
    final TestInputTopic<String, EmergencyStop> stops;
    final TestInputTopic<String, byte[]> rawRequests;
    final TestOutputTopic<String, RiskDecision> decisions;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final TestOutputTopic<String, AuditRecord> audit;
    private int providerEventSequence;

    RiskDriver(Path stateDirectory) {
        this(stateDirectory, TopologyOptions.defaults(BUILT_IN, new RuleSetCompiler()::compile, 1));
    }

    RiskDriver(Path stateDirectory, TopologyOptions options) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "risk-topology-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        properties.putAll(RiskExceptionHandlers.streamsProperties());
        // No record cache: reads see the RocksDB stores as a restore would, segment expiry included.
        properties.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        driver = new TopologyTestDriver(RiskTopology.build(this::serdes, options), properties, WALL_CLOCK_START);
        requests = input(Topics.PAYMENT_REQUESTS);
        providerEvents = input(Topics.PROVIDER_EVENTS);
        reviews = input(Topics.RISK_REVIEWS);
        ruleSets = input(Topics.RISK_RULESETS);
        cards = input(Topics.CARD_EVENTS);
        lists = input(Topics.RISK_LISTS);
        answers = input(Topics.CARD_AUTHORIZATIONS);
        refusals = input(Topics.LEDGER_REFUSALS);
        stops = input(Topics.RISK_STOPS);
        rawRequests = driver.createInputTopic(Topics.PAYMENT_REQUESTS.name(), new StringSerializer(),
                new ByteArraySerializer());
        TopicSerdes<String, RiskDecision> decisionSerdes = serdes(Topics.RISK_DECISIONS);
        decisions = driver.createOutputTopic(Topics.RISK_DECISIONS.name(), decisionSerdes.keySerde().deserializer(),
                decisionSerdes.valueSerde().deserializer());
        TopicSerdes<String, AuditRecord> auditSerdes = serdes(Topics.AUDIT_RISK);
        audit = driver.createOutputTopic(Topics.AUDIT_RISK.name(), auditSerdes.keySerde().deserializer(),
                auditSerdes.valueSerde().deserializer());
        TopicSerdes<byte[], byte[]> deadLetterSerdes = serdes(Topics.RISK_DEAD_LETTERS);
        deadLetters = driver.createOutputTopic(Topics.RISK_DEAD_LETTERS.name(),
                deadLetterSerdes.keySerde().deserializer(), deadLetterSerdes.valueSerde().deserializer());
    }

    <K, V> TopicSerdes<K, V> serdes(Topic<K, V> topic) {
        return TopicSerdes.of(topic, registry, true);
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        TopicSerdes<String, V> serdes = serdes(topic);
        return driver.createInputTopic(topic.name(), serdes.keySerde().serializer(), serdes.valueSerde().serializer());
    }

    /** Pipes the request keyed by its account and returns every decision written since. */
    List<RiskDecision> send(PaymentRequest request) {
        requests.pipeInput(request.getAccountId(), request);
        return decisions();
    }

    /** Pipes the request and returns its one decision. */
    RiskDecision decide(PaymentRequest request) {
        List<RiskDecision> written = send(request);
        if (written.size() != 1) {
            throw new AssertionError("expected one decision of " + request.getTransactionId() + ", got " + written);
        }
        return written.get(0);
    }

    List<RiskDecision> decisions() {
        List<RiskDecision> written = new ArrayList<>();
        decisions.readValuesToList().forEach(written::add);
        return written;
    }

    List<RiskDecision> providerOutcome(String transactionId, ProviderStatus status, StatusTransition transition) {
        providerEventSequence++;
        providerEvents.pipeInput(transactionId, ProviderEvent.newBuilder()
                .setEventId("event-" + providerEventSequence)
                .setProvider("mobile-money-hub")
                .setProviderEventId("provider-event-" + providerEventSequence)
                .setTransactionId(transactionId)
                .setStatus(status)
                .setSource(ProviderEventSource.WEBHOOK)
                .setOccurredAt(WALL_CLOCK_START)
                .setReceivedAt(WALL_CLOCK_START)
                .setTransition(transition)
                .build());
        return decisions();
    }

    List<RiskDecision> resolve(String transactionId, String resolutionId, Outcome outcome) {
        reviews.pipeInput(transactionId, ReviewResolution.newBuilder()
                .setResolutionId(resolutionId)
                .setTransactionId(transactionId)
                .setMerchantId("merchant-1")
                .setOutcome(outcome)
                .setAnalystKeyId("analyst-key")
                .setResolvedAt(WALL_CLOCK_START)
                .build());
        return decisions();
    }

    /**
     * Pipes the result of a challenge's verification as ingest-service writes it (APPROVE passed, DECLINE failed),
     * posted at {@code resolvedAt}; returns the decisions since.
     */
    List<RiskDecision> completeChallenge(String transactionId, String resultId, Outcome outcome, Instant resolvedAt) {
        reviews.pipeInput(transactionId, ReviewResolution.newBuilder()
                .setResolutionId(resultId)
                .setTransactionId(transactionId)
                .setMerchantId("merchant-1")
                .setOutcome(outcome)
                .setAnalystKeyId("merchant-key")
                .setResolvedAt(resolvedAt)
                .setSource(ResolutionSource.CHALLENGE)
                .build());
        return decisions();
    }

    /** Pipes what ingest-service answered the card network for a card authorization; returns the decisions since. */
    List<RiskDecision> answer(PaymentRequest request, Outcome outcome, AuthorizationDecider decidedBy,
                              Outcome riskOutcome) {
        answers.pipeInput(request.getTransactionId(), CardAuthorizationAnswer.newBuilder()
                .setTransactionId(request.getTransactionId())
                .setCardId(request.getAccountId())
                .setMerchantId(request.getMerchantId())
                .setAmount(request.getAmount())
                .setOutcome(outcome)
                .setDecidedBy(decidedBy)
                .setRiskOutcome(riskOutcome)
                .setReason(decidedBy == AuthorizationDecider.TIMEOUT_DEFAULT ? "no decision within 2000 ms"
                        : "decided by risk")
                .setDeadlineMs(2_000L)
                .setAnsweredAt(WALL_CLOCK_START)
                .build());
        return decisions();
    }

    /** Pipes the ledger's refusal of an approved payment for want of funds; returns the decisions since. */
    List<RiskDecision> refuse(String transactionId) {
        refusals.pipeInput(transactionId, AuditRecord.newBuilder()
                .setAuditId("ledger-refusal:je:" + transactionId + ":approved")
                .setOccurredAt(WALL_CLOCK_START)
                .setComponent("ledger-service")
                .setActor("ledger-service")
                .setAction("entry.refused")
                .setSubjectType("transaction")
                .setSubjectId(transactionId)
                .setOutcome(AuditOutcome.REFUSED)
                .setDetails(Map.of("reason", "insufficient-funds"))
                .build());
        return decisions();
    }

    /** Sets ({@code active}) or lifts an operator's emergency stop. */
    void stop(StopScope scope, String target, StopTraffic traffic, boolean active) {
        String key = scope.name() + "|" + (target == null ? "" : target) + "|" + traffic.name();
        stops.pipeInput(key, EmergencyStop.newBuilder()
                .setStopId(key)
                .setScope(scope)
                .setTarget(target)
                .setTraffic(traffic)
                .setActive(active)
                .setReason("mass chargebacks under investigation")
                .setApiKeyId("operator-key")
                .setChangedAt(WALL_CLOCK_START)
                .build());
    }

    void publish(String owner, String version, Rule... rules) {
        ruleSets.pipeInput(owner, RuleSetPublished.newBuilder()
                .setMerchantId(owner)
                .setVersion(version)
                .setRules(List.of(rules))
                .setApiKeyId("key-1")
                .setPublishedAt(WALL_CLOCK_START)
                .build());
    }

    static Rule rule(String id, String type, String parametersJson, RuleAction action) {
        return new Rule(id, type, parametersJson, action, RuleMode.ENFORCE);
    }

    static Rule shadow(String id, String type, String parametersJson, RuleAction action) {
        return new Rule(id, type, parametersJson, action, RuleMode.SHADOW);
    }

    void advanceWallClock(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    /** The records written to a store's changelog since the last call for it (the test driver's application id). */
    int changelogRecords(String store) {
        return driver.createOutputTopic("risk-topology-test-" + store + "-changelog", new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList().size();
    }

    /** Minor units reserved on an account's usage counter (0 when none), by its {@code UsageKey.storeKey()}. */
    long accountUsage(String storeKey) {
        long periodStartMs = periodStartMs(storeKey);
        if (periodStartMs < 0) {
            Long reserved = this.<Long>store(RiskTopology.ACCOUNT_ALL_TIME_USAGE_STORE).get(storeKey);
            return reserved == null ? 0L : reserved;
        }
        // The account's latest day record holds every live counter of it.
        try (var records = this.<SignalDay>windowStore(RiskTopology.ACCOUNT_SIGNALS_STORE)
                .backwardFetch(UsageCounters.ownerOf(storeKey), Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            if (!records.hasNext()) {
                return 0L;
            }
            return records.next().value.getUsage().stream().filter(counter -> counter.getUsageKey().equals(storeKey))
                    .mapToLong(CalendarCounter::getReservedMinor).sum();
        }
    }

    /** Minor units a prepaid card has to spend in {@code currency}, as its decision task counts them (0 when none). */
    long cardFunds(String cardId, String currency) {
        Long available = this.<Long>store(RiskTopology.ACCOUNT_ALL_TIME_USAGE_STORE)
                .get(CardFunds.storeKey(cardId, currency));
        return available == null ? 0L : available;
    }

    /** Minor units the decision task's approvals use of its slice of a shared counter (0 when none). */
    long dimensionUsage(String storeKey) {
        MerchantSlice slice = this.<MerchantSlice>windowStore(RiskTopology.MERCHANT_SLICES_STORE)
                .fetch(storeKey, periodStartMs(storeKey));
        return slice == null ? 0L : slice.getUsedMinor();
    }

    /** What the owner of a shared counter granted to slices (0 when none). */
    long escrowed(String storeKey) {
        MerchantBudget budget = this.<MerchantBudget>windowStore(RiskTopology.MERCHANT_BUDGETS_STORE)
                .fetch(storeKey, periodStartMs(storeKey));
        return budget == null ? 0L : budget.getGrantedMinor();
    }

    /** The transaction's record in the decision task, or null. */
    Reservation transaction(String transactionId) {
        Reservation latest = null;
        try (var seen = this.<Reservation>windowStore(RiskTopology.TRANSACTIONS_STORE)
                .fetch(transactionId, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            while (seen.hasNext()) {
                latest = seen.next().value;
            }
        }
        return latest;
    }

    /** {@code DIMENSION|value|CUR|INTERVAL|zone|start} -> the period start's epoch ms, -1 for ALL_TIME. */
    static long periodStartMs(String storeKey) {
        String[] segments = storeKey.split("\\|", -1);
        int count = segments.length;
        if (Interval.valueOf(segments[count - 3]) == Interval.ALL_TIME) {
            return -1L;
        }
        return LocalDate.parse(segments[count - 1]).atStartOfDay(ZoneId.of(segments[count - 2])).toInstant()
                .toEpochMilli();
    }

    <V> WindowStore<String, V> windowStore(String name) {
        return driver.getWindowStore(name);
    }

    RuleSetState ruleSetState(String owner) {
        return this.<RuleSetState>store(RiskTopology.RULE_SETS_STORE).get(owner);
    }

    <V> KeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    @Override
    public void close() {
        driver.close();
        InMemorySchemaRegistry.dropScope(registryScope);
    }
}
