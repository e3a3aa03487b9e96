package dev.ngao.risk.topology;

import dev.ngao.events.AccountKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import dev.ngao.risk.rules.DailyLimitRule;
import dev.ngao.risk.rules.LimitPolicy;
import dev.ngao.risk.rules.PerTransactionLimitRule;
import dev.ngao.risk.rules.PositiveAmountRule;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static dev.ngao.risk.PaymentRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RiskTopologyTest {

    private static final String VERSION = "limits-test-v7";
    private static final long KES_PER_TRANSACTION = 15_000_000L;
    private static final long KES_DAILY = 30_000_000L;
    private static final LimitPolicy POLICY = new LimitPolicy(VERSION,
            Map.of("KES", KES_PER_TRANSACTION, "UGX", 5_000_000L),
            Map.of("KES", KES_DAILY, "UGX", 10_000_000L));
    private static final Duration REPLAY_RETENTION = Duration.ofHours(168);
    private static final Duration USAGE_RETENTION = Duration.ofDays(3);
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(5);

    /** The wall clock of the driver at start; requests are made earlier the same UTC day. */
    private static final Instant WALL_CLOCK_START = Instant.parse("2025-03-10T12:00:00Z");
    private static final Instant MORNING = Instant.parse("2025-03-10T08:00:00Z");
    private static final LocalDate TODAY = LocalDate.parse("2025-03-10");

    @TempDir
    Path stateDirectory;

    private String registryScope;
    private TopologyTestDriver driver;
    private TestInputTopic<String, PaymentRequest> requests;
    private TestOutputTopic<String, RiskDecision> decisions;
    private KeyValueStore<String, Long> dailyUsage;
    private KeyValueStore<String, Long> decidedTransactions;

    @BeforeEach
    void startDriver() {
        registryScope = "risk-topology-" + UUID.randomUUID();
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(registryScope);
        TopicSerdes<String, PaymentRequest> requestSerdes = TopicSerdes.of(Topics.PAYMENT_REQUESTS, registry, true);
        TopicSerdes<String, RiskDecision> decisionSerdes = TopicSerdes.of(Topics.RISK_DECISIONS, registry, true);
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "risk-topology-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        driver = new TopologyTestDriver(RiskTopology.build(POLICY, requestSerdes, decisionSerdes,
                REPLAY_RETENTION, USAGE_RETENTION, PURGE_INTERVAL), properties, WALL_CLOCK_START);
        requests = driver.createInputTopic(Topics.PAYMENT_REQUESTS.name(),
                requestSerdes.keySerde().serializer(), requestSerdes.valueSerde().serializer());
        decisions = driver.createOutputTopic(Topics.RISK_DECISIONS.name(),
                decisionSerdes.keySerde().deserializer(), decisionSerdes.valueSerde().deserializer());
        dailyUsage = driver.getKeyValueStore(RiskTopology.DAILY_USAGE_STORE);
        decidedTransactions = driver.getKeyValueStore(RiskTopology.DECIDED_TRANSACTIONS_STORE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
        InMemorySchemaRegistry.dropScope(registryScope);
    }

    @Test
    void shouldApproveAndReserveWhenAmountIsUnderThePerTransactionLimit() {
        // Given a fresh account
        // When it asks for less than the per-transaction limit
        RiskDecision decision = decide(request("tx-1", "acct-a", 1_000_000L, "KES", MORNING));

        // Then it is approved without reasons and the amount is reserved for the day
        assertThat(decision.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(decision.getReasons()).isEmpty();
        assertThat(reserved("acct-a", "KES", TODAY)).isEqualTo(1_000_000L);
    }

    @Test
    void shouldApproveWhenAmountIsExactlyAtThePerTransactionLimit() {
        // When an account asks for exactly the per-transaction limit
        RiskDecision decision = decide(request("tx-1", "acct-a", KES_PER_TRANSACTION, "KES", MORNING));

        // Then the limit is allowed, and reserved
        assertThat(decision.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(reserved("acct-a", "KES", TODAY)).isEqualTo(KES_PER_TRANSACTION);
    }

    @Test
    void shouldDeclineWithoutReservingWhenAmountIsOverThePerTransactionLimit() {
        // When an account asks for one minor unit over the per-transaction limit
        RiskDecision decision = decide(request("tx-1", "acct-a", KES_PER_TRANSACTION + 1, "KES", MORNING));

        // Then it is declined, the reason names the rule and the rule-set version, and nothing is reserved
        assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(decision.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getRuleId()).isEqualTo(PerTransactionLimitRule.ID);
            assertThat(reason.getRuleSetVersion()).isEqualTo(VERSION);
            assertThat(reason.getOutcome()).isEqualTo(Outcome.DECLINE);
            assertThat(reason.getMessage()).contains("150000.01 KES", "150000.00 KES");
        });
        assertThat(dailyUsage.get(DailyUsageKey.of("acct-a", "KES", TODAY))).isNull();
    }

    @Test
    void shouldDeclineTheRequestThatWouldExceedTheDailyLimit() {
        // Given two approvals that reserve 25,000,000 of the 30,000,000 daily limit
        assertThat(decide(request("tx-1", "acct-a", 15_000_000L, "KES", MORNING)).getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(decide(request("tx-2", "acct-a", 10_000_000L, "KES", MORNING.plusSeconds(60))).getOutcome())
                .isEqualTo(Outcome.APPROVE);

        // When a third request would bring the day to 31,000,000
        RiskDecision third = decide(request("tx-3", "acct-a", 6_000_000L, "KES", MORNING.plusSeconds(120)));

        // Then it is declined by the daily rule and the reservation stays at 25,000,000
        assertThat(third.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(third)).containsExactly(DailyLimitRule.ID);
        assertThat(third.getReasons().get(0).getRuleSetVersion()).isEqualTo(VERSION);
        assertThat(reserved("acct-a", "KES", TODAY)).isEqualTo(25_000_000L);
    }

    @Test
    void shouldApproveWhenTheDailyLimitIsReachedExactly() {
        // Given 25,000,000 reserved today
        decide(request("tx-1", "acct-a", 15_000_000L, "KES", MORNING));
        decide(request("tx-2", "acct-a", 10_000_000L, "KES", MORNING));

        // When the next request brings the day exactly to the daily limit
        RiskDecision last = decide(request("tx-3", "acct-a", 5_000_000L, "KES", MORNING));

        // Then it is approved and the day is full
        assertThat(last.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(reserved("acct-a", "KES", TODAY)).isEqualTo(KES_DAILY);
        assertThat(decide(request("tx-4", "acct-a", 1L, "KES", MORNING)).getOutcome()).isEqualTo(Outcome.DECLINE);
    }

    @Test
    void shouldResetTheDailyWindowAtMidnightUtc() {
        // Given an account that filled its daily limit, the last request at 23:59:59.999 UTC
        Instant lastMillisecond = Instant.parse("2025-03-10T23:59:59.999Z");
        decide(request("tx-1", "acct-a", 15_000_000L, "KES", Instant.parse("2025-03-10T23:00:00Z")));
        decide(request("tx-2", "acct-a", 15_000_000L, "KES", lastMillisecond));
        assertThat(decide(request("tx-3", "acct-a", 1L, "KES", lastMillisecond)).getOutcome())
                .as("the day before midnight is full").isEqualTo(Outcome.DECLINE);

        // When it asks again at 00:00:00.000 UTC the next day
        RiskDecision afterMidnight = decide(request("tx-4", "acct-a", 15_000_000L, "KES",
                Instant.parse("2025-03-11T00:00:00Z")));

        // Then the new day starts empty: approved, reserved on the new day, the old day untouched
        assertThat(afterMidnight.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(reserved("acct-a", "KES", LocalDate.parse("2025-03-11"))).isEqualTo(15_000_000L);
        assertThat(reserved("acct-a", "KES", TODAY)).isEqualTo(KES_DAILY);
    }

    @Test
    void shouldDecideOnceAndReserveOnceWhenARequestIsReplayed() {
        // Given a request that was approved
        PaymentRequest request = request("tx-1", "acct-a", 10_000_000L, "KES", MORNING);
        requests.pipeInput("acct-a", request);

        // When the same request arrives again (a producer retry or a replayed input)
        requests.pipeInput("acct-a", request);

        // Then there is exactly one decision and the amount is counted once
        List<TestRecord<String, RiskDecision>> output = decisions.readRecordsToList();
        assertThat(output).singleElement().satisfies(decision -> {
            assertThat(decision.key()).isEqualTo("tx-1");
            assertThat(decision.value().getOutcome()).isEqualTo(Outcome.APPROVE);
        });
        assertThat(reserved("acct-a", "KES", TODAY)).isEqualTo(10_000_000L);
    }

    @Test
    void shouldNotDecideAgainWhenADeclinedRequestIsReplayed() {
        // Given a declined request
        PaymentRequest request = request("tx-1", "acct-a", KES_PER_TRANSACTION + 1, "KES", MORNING);
        requests.pipeInput("acct-a", request);

        // When it is replayed
        requests.pipeInput("acct-a", request);

        // Then there is still one decision
        assertThat(decisions.readRecordsToList()).hasSize(1);
    }

    @Test
    void shouldKeepAccountsIndependent() {
        // Given an account that filled its daily limit
        decide(request("tx-1", "acct-a", 15_000_000L, "KES", MORNING));
        decide(request("tx-2", "acct-a", 15_000_000L, "KES", MORNING));

        // When another account asks the same day
        RiskDecision other = decide(request("tx-3", "acct-b", 15_000_000L, "KES", MORNING));

        // Then it has its own limit
        assertThat(other.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(reserved("acct-b", "KES", TODAY)).isEqualTo(15_000_000L);
        assertThat(reserved("acct-a", "KES", TODAY)).isEqualTo(KES_DAILY);
    }

    @Test
    void shouldKeepCurrenciesOfOneAccountApart() {
        // Given an account that filled its KES limit
        decide(request("tx-1", "acct-a", 15_000_000L, "KES", MORNING));
        decide(request("tx-2", "acct-a", 15_000_000L, "KES", MORNING));

        // When it pays in UGX
        RiskDecision ugx = decide(request("tx-3", "acct-a", 5_000_000L, "UGX", MORNING));

        // Then the UGX limit applies on its own
        assertThat(ugx.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(reserved("acct-a", "UGX", TODAY)).isEqualTo(5_000_000L);
    }

    @Test
    void shouldDeclineWhenTheCurrencyHasNoLimit() {
        // When a request comes in a currency with no configured limit
        RiskDecision decision = decide(request("tx-1", "acct-a", 100L, "USD", MORNING));

        // Then it is declined (fail closed), the reasons say why, and nothing is reserved
        assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(decision)).containsExactly(PerTransactionLimitRule.ID, DailyLimitRule.ID);
        assertThat(decision.getReasons()).allSatisfy(reason ->
                assertThat(reason.getMessage()).contains("no", "limit is configured for currency USD"));
        assertThat(dailyUsage.get(DailyUsageKey.of("acct-a", "USD", TODAY))).isNull();
    }

    @Test
    void shouldDeclineWithoutReservingWhenTheAmountIsNotPositive() {
        // When a request carries a negative amount, which would shrink the reservation
        RiskDecision decision = decide(request("tx-1", "acct-a", -5_000_000L, "KES", MORNING));

        // Then it is declined and the usage store is untouched
        assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(decision)).containsExactly(PositiveAmountRule.ID);
        assertThat(dailyUsage.get(DailyUsageKey.of("acct-a", "KES", TODAY))).isNull();
    }

    @Test
    void shouldDeclineWhenTheRecordIsNotKeyedByItsAccount() {
        // When a request for acct-a arrives keyed by another id (it may sit in another account's task)
        requests.pipeInput("acct-other", request("tx-1", "acct-a", 1_000L, "KES", MORNING));

        // Then it is declined rather than checked against usage it cannot see atomically
        RiskDecision decision = decisions.readValue();
        assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(decision)).containsExactly(DecisionProcessor.ACCOUNT_KEY_CHECK_ID);
        assertThat(dailyUsage.get(DailyUsageKey.of("acct-a", "KES", TODAY))).isNull();
    }

    @Test
    void shouldSkipARecordWithoutAValue() {
        // When a record without a value arrives
        requests.pipeInput("acct-a", (PaymentRequest) null);

        // Then nothing is decided
        assertThat(decisions.isEmpty()).isTrue();
    }

    @Test
    void shouldCopyTheRequestFactsIntoTheDecision() {
        // When a request is decided
        requests.pipeInput("acct-a", request("tx-1", "acct-a", 2_500L, "KES", MORNING));
        TestRecord<String, RiskDecision> record = decisions.readRecord();

        // Then the decision is keyed by transaction id and carries the money facts, decided at the wall clock
        RiskDecision decision = record.value();
        assertThat(record.key()).isEqualTo("tx-1");
        assertThat(decision.getTransactionId()).isEqualTo("tx-1");
        assertThat(decision.getType()).isEqualTo(PaymentType.MOBILE_MONEY_COLLECTION);
        assertThat(decision.getMerchantId()).isEqualTo("merchant-1");
        assertThat(decision.getAccountKind()).isEqualTo(AccountKind.WALLET);
        assertThat(decision.getAccountId()).isEqualTo("acct-a");
        assertThat(decision.getAmount().getAmountMinor()).isEqualTo(2_500L);
        assertThat(decision.getAmount().getCurrency()).isEqualTo("KES");
        assertThat(decision.getProvider()).isEqualTo("mobile-money-hub");
        assertThat(decision.getRequestedAt()).isEqualTo(MORNING);
        assertThat(decision.getDecidedAt()).isEqualTo(WALL_CLOCK_START);
        assertThat(decidedTransactions.get("tx-1")).isEqualTo(WALL_CLOCK_START.toEpochMilli());
    }

    @Test
    void shouldPurgeExpiredEntriesWhenTheWallClockAdvances() {
        // Given a request decided and reserved today
        decide(request("tx-old", "acct-a", 1_000L, "KES", MORNING));

        // When the wall clock moves four days on (past the usage retention, within the replay retention)
        driver.advanceWallClockTime(Duration.ofDays(4));

        // Then the old day's usage is purged while the transaction id is still remembered
        assertThat(dailyUsage.get(DailyUsageKey.of("acct-a", "KES", TODAY))).isNull();
        assertThat(decidedTransactions.get("tx-old")).isNotNull();

        // Given a request decided now
        Instant now = WALL_CLOCK_START.plus(Duration.ofDays(4));
        decide(request("tx-new", "acct-a", 1_000L, "KES", now));

        // When the wall clock passes the replay retention of the first decision only
        driver.advanceWallClockTime(REPLAY_RETENTION.minus(Duration.ofDays(4)).plus(PURGE_INTERVAL));

        // Then the first transaction id is forgotten and the recent one kept
        assertThat(decidedTransactions.get("tx-old")).isNull();
        assertThat(decidedTransactions.get("tx-new")).isNotNull();
    }

    @Test
    void shouldKeepEntriesWithinTheirRetentionWhenThePurgeRuns() {
        // Given a request decided and reserved today
        decide(request("tx-1", "acct-a", 1_000L, "KES", MORNING));

        // When several purges run within a day
        driver.advanceWallClockTime(Duration.ofHours(12));

        // Then nothing is purged
        assertThat(reserved("acct-a", "KES", TODAY)).isEqualTo(1_000L);
        assertThat(decidedTransactions.get("tx-1")).isNotNull();
    }

    @Test
    void shouldRefuseToBuildWhenTheSerdesAreOfAnotherTopic() {
        // Given the decision serdes passed where request serdes belong
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(registryScope);
        TopicSerdes<String, RiskDecision> decisionSerdes = TopicSerdes.of(Topics.RISK_DECISIONS, registry, true);
        @SuppressWarnings({"unchecked", "rawtypes"})
        TopicSerdes<String, PaymentRequest> wrong = (TopicSerdes) decisionSerdes;

        // Then the topology is refused
        assertThatThrownBy(() -> RiskTopology.build(POLICY, wrong, decisionSerdes,
                REPLAY_RETENTION, USAGE_RETENTION, PURGE_INTERVAL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Topics.PAYMENT_REQUESTS.name());
    }

    private RiskDecision decide(PaymentRequest request) {
        requests.pipeInput(request.getAccountId(), request);
        List<TestRecord<String, RiskDecision>> output = decisions.readRecordsToList();
        assertThat(output).as("one decision per request").hasSize(1);
        return output.get(0).value();
    }

    private long reserved(String accountId, String currency, LocalDate utcDay) {
        Long reserved = dailyUsage.get(DailyUsageKey.of(accountId, currency, utcDay));
        assertThat(reserved).as("reservation of %s %s on %s", accountId, currency, utcDay).isNotNull();
        return reserved;
    }

    private static List<String> ruleIds(RiskDecision decision) {
        return decision.getReasons().stream().map(DecisionReason::getRuleId).toList();
    }
}
