package dev.ngao.risk.topology;

import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RiskSignals;
import dev.ngao.events.RuleAction;
import dev.ngao.risk.internal.RuleSetState;
import dev.ngao.risk.query.UsageReader;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.RuleSetCompiler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.streams.state.KeyValueStore;
import dev.ngao.rules.Interval;
import dev.ngao.rules.UsageKey;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static dev.ngao.risk.PaymentRequests.request;
import static dev.ngao.risk.topology.RiskDriver.rule;
import static org.assertj.core.api.Assertions.assertThat;

/** The usage query over the stores the topology filled under TopologyTestDriver. */
class UsageReaderTest {

    private static final String MERCHANT = "merchant-1";
    private static final Instant MORNING = Instant.parse("2026-03-10T08:00:00Z");

    @TempDir
    Path stateDirectory;

    private RiskDriver risk;
    private final RuleSetCatalog catalog = new RuleSetCatalog(RiskDriver.BUILT_IN, new RuleSetCompiler()::compile);

    @BeforeEach
    void start() {
        risk = new RiskDriver(stateDirectory);
        // A daily limit of 100.00 KES per account, attempts and sums per hour, a merchant's daily limit
        risk.publish(MERCHANT, "usage-v1",
                rule("account-daily", "limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": 10000}}",
                        RuleAction.BLOCK),
                rule("account-attempts", "velocity-count",
                        "{\"dimension\": \"ACCOUNT\", \"windowSeconds\": 3600, \"max\": 10}", RuleAction.REVIEW),
                rule("ip-sum", "velocity-sum",
                        "{\"dimension\": \"IP\", \"windowSeconds\": 3600, \"limits\": {\"KES\": 1000000}}",
                        RuleAction.REVIEW),
                rule("merchant-daily", "limit",
                        "{\"dimension\": \"MERCHANT\", \"interval\": \"DAY\", \"limits\": {\"KES\": 5000000}}",
                        RuleAction.BLOCK));
    }

    @AfterEach
    void stop() {
        risk.close();
    }

    private static PaymentRequest fromIp(String transactionId, String accountId, long amountMinor, Instant at) {
        return PaymentRequest.newBuilder(request(transactionId, accountId, amountMinor, "KES", at))
                .setSignals(RiskSignals.newBuilder().setClientIp("10.0.0.7").build()).build();
    }

    private JsonObject usage(Dimension dimension, String value, Instant at) {
        KeyValueStore<String, RuleSetState> ruleSets = risk.store(RiskTopology.RULE_SETS_STORE);
        CompiledRuleSet ruleSet = catalog.forMerchant(ruleSets, MERCHANT);
        UsageReader reader;
        if (dimension == Dimension.ACCOUNT) {
            reader = UsageReader.account(UsageCounters.readOnly(
                            risk.windowStore(RiskTopology.ACCOUNT_SIGNALS_STORE),
                            risk.windowStore(RiskTopology.LEGACY_ACCOUNT_USAGE_STORE),
                            risk.store(RiskTopology.ACCOUNT_ALL_TIME_USAGE_STORE), Duration.ofDays(40)),
                    SignalBook.readOnly(risk.windowStore(RiskTopology.ACCOUNT_SIGNALS_STORE)));
        } else {
            reader = new UsageReader(key -> risk.escrowed(key.storeKey()),
                    SignalBook.readOnly(risk.windowStore(RiskTopology.SIGNALS_STORE)), null);
        }
        return reader.read(dimension, value, at, ruleSet);
    }

    private static JsonObject entry(JsonArray entries, String ruleId) {
        return IntStream.range(0, entries.size()).mapToObj(entries::getJsonObject)
                .filter(entry -> ruleId.equals(entry.getString("ruleId")))
                .findFirst().orElseThrow(() -> new AssertionError("no entry of " + ruleId + " in " + entries));
    }

    @Test
    void shouldReportReservedLimitsAndWindowTotalsWhenRequestsWereDecided() {
        // Given 30.00 and 40.00 KES approved on acct-a, 50.00 declined (over what is left), 10.00 on acct-b
        List<Outcome> outcomes = List.of(
                        fromIp("tx-1", "acct-a", 3_000L, MORNING),
                        fromIp("tx-2", "acct-a", 4_000L, MORNING.plusSeconds(60)),
                        fromIp("tx-3", "acct-a", 5_000L, MORNING.plusSeconds(120)),
                        fromIp("tx-4", "acct-b", 1_000L, MORNING.plusSeconds(180)))
                .stream().map(risk::decide).map(RiskDecision::getOutcome).toList();
        assertThat(outcomes).containsExactly(Outcome.APPROVE, Outcome.APPROVE, Outcome.DECLINE, Outcome.APPROVE);

        // When acct-a's usage is read a few minutes later
        JsonObject account = usage(Dimension.ACCOUNT, "acct-a", MORNING.plusSeconds(300));

        // Then the daily limit shows what the two approvals reserved, and the window every attempt
        assertThat(account.getString("dimension")).isEqualTo("ACCOUNT");
        assertThat(account.getJsonObject("ruleSet").getString("version")).isEqualTo("usage-v1");
        JsonObject daily = entry(account.getJsonArray("limits"), "account-daily");
        assertThat(daily.getString("interval")).isEqualTo("DAY");
        assertThat(daily.getString("periodStart")).isEqualTo("2026-03-10");
        assertThat(daily.getString("currency")).isEqualTo("KES");
        assertThat(daily.getLong("limitMinor")).isEqualTo(10_000L);
        assertThat(daily.getLong("reservedMinor")).isEqualTo(7_000L);
        assertThat(daily.getLong("remainingMinor")).isEqualTo(3_000L);
        JsonObject attempts = entry(account.getJsonArray("velocity"), "account-attempts");
        assertThat(attempts.getLong("windowSeconds")).isEqualTo(3_600L);
        assertThat(attempts.getLong("count")).isEqualTo(3L);
        assertThat(attempts.getJsonObject("sumsMinor").getLong("KES")).isEqualTo(12_000L);
        assertThat(attempts.getLong("max")).isEqualTo(10L);
        assertThat(account.getJsonArray("counters").getList()).hasSize(1);
        assertThat(account.getJsonArray("counters").getJsonObject(0).getLong("reservedMinor")).isEqualTo(7_000L);

        // And acct-b's usage is its own
        JsonObject other = usage(Dimension.ACCOUNT, "acct-b", MORNING.plusSeconds(300));
        assertThat(entry(other.getJsonArray("limits"), "account-daily").getLong("reservedMinor")).isEqualTo(1_000L);
        assertThat(entry(other.getJsonArray("velocity"), "account-attempts").getLong("count")).isEqualTo(1L);
    }

    @Test
    void shouldReportWhatTheMerchantEscrowedToSlicesAndEveryAttemptOfTheIp() {
        // Given three approvals and a decline through one merchant and one IP
        List.of(fromIp("tx-1", "acct-a", 3_000L, MORNING),
                        fromIp("tx-2", "acct-a", 4_000L, MORNING.plusSeconds(60)),
                        fromIp("tx-3", "acct-a", 5_000L, MORNING.plusSeconds(120)),
                        fromIp("tx-4", "acct-b", 1_000L, MORNING.plusSeconds(180)))
                .forEach(risk::decide);

        // When the merchant's and the IP's usage are read
        JsonObject merchant = usage(Dimension.MERCHANT, MERCHANT, MORNING.plusSeconds(300));
        JsonObject ip = usage(Dimension.IP, "10.0.0.7", MORNING.plusSeconds(300));

        // Then the merchant's limit shows what its owner escrowed to the decision task's slice (one refill: half of
        // what is left, shared by the one partition), the slice using only what approved payments reserve; the IP
        // counts every attempt
        JsonObject merchantDaily = entry(merchant.getJsonArray("limits"), "merchant-daily");
        assertThat(merchantDaily.getBoolean("escrowed")).isTrue();
        assertThat(merchantDaily.getLong("reservedMinor")).isEqualTo(5_000_000L / 2);
        String merchantKey = new UsageKey(Dimension.MERCHANT, MERCHANT, "KES", Interval.DAY, java.time.ZoneId.of("UTC"),
                LocalDate.parse("2026-03-10")).storeKey();
        assertThat(risk.dimensionUsage(merchantKey)).isEqualTo(8_000L);
        JsonObject ipSum = entry(ip.getJsonArray("velocity"), "ip-sum");
        assertThat(ipSum.getLong("count")).isEqualTo(4L);
        assertThat(ipSum.getJsonObject("sumsMinor").getLong("KES")).isEqualTo(13_000L);
        assertThat(ipSum.getJsonObject("limitsMinor").getLong("KES")).isEqualTo(1_000_000L);
    }

    @Test
    void shouldLeaveTheWindowAndStartANewPeriodWhenReadLater() {
        // Given one approval in the morning
        risk.decide(fromIp("tx-1", "acct-a", 3_000L, MORNING));

        // When the usage is read two hours later, and the next UTC day
        JsonObject later = usage(Dimension.ACCOUNT, "acct-a", MORNING.plusSeconds(7_200));
        JsonObject nextDay = usage(Dimension.ACCOUNT, "acct-a", Instant.parse("2026-03-11T00:00:00Z"));

        // Then the hour window is empty, the day still holds the reservation, and the next day starts at 0
        assertThat(entry(later.getJsonArray("velocity"), "account-attempts").getLong("count")).isZero();
        assertThat(entry(later.getJsonArray("limits"), "account-daily").getLong("reservedMinor")).isEqualTo(3_000L);
        JsonObject tomorrow = entry(nextDay.getJsonArray("limits"), "account-daily");
        assertThat(tomorrow.getString("periodStart")).isEqualTo("2026-03-11");
        assertThat(tomorrow.getLong("reservedMinor")).isZero();
        assertThat(nextDay.getJsonArray("counters").getJsonObject(0).getString("periodStart"))
                .isEqualTo("2026-03-10");
    }

    @Test
    void shouldReportNothingReservedForAnUnknownKey() {
        // When a key with no request is read
        JsonObject unknown = usage(Dimension.ACCOUNT, "acct-none", MORNING);

        // Then every counter is zero and none is stored
        assertThat(entry(unknown.getJsonArray("limits"), "account-daily").getLong("reservedMinor")).isZero();
        assertThat(entry(unknown.getJsonArray("velocity"), "account-attempts").getLong("count")).isZero();
        assertThat(unknown.getJsonArray("counters")).isEmpty();
    }
}
