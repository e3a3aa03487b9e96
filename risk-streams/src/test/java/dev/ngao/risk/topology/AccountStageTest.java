package dev.ngao.risk.topology;

import dev.ngao.events.AccountKind;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.DefaultRuleSet;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.Interval;
import dev.ngao.rules.UsageKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static dev.ngao.risk.PaymentRequests.request;
import static dev.ngao.risk.topology.RiskDriver.KES_DAILY;
import static dev.ngao.risk.topology.RiskDriver.KES_PER_TRANSACTION;
import static org.assertj.core.api.Assertions.assertThat;

/** The account stage and the join through the topology, with the built-in default rule set. */
class AccountStageTest {

    static final Instant MORNING = Instant.parse("2026-03-10T08:00:00Z");
    static final LocalDate TODAY = LocalDate.parse("2026-03-10");

    @TempDir
    Path stateDirectory;

    private RiskDriver risk;

    @BeforeEach
    void start() {
        risk = new RiskDriver(stateDirectory);
    }

    @AfterEach
    void stop() {
        risk.close();
    }

    static String dailyKey(String accountId, String currency, LocalDate day) {
        return new UsageKey(Dimension.ACCOUNT, accountId, currency, Interval.DAY, ZoneId.of("UTC"), day).storeKey();
    }

    @Test
    void shouldApproveAndReserveWhenAmountIsUnderThePerTransactionLimit() {
        // When a fresh account asks for less than the per-transaction limit
        RiskDecision decision = risk.decide(request("tx-1", "acct-a", 1_000_000L, "KES", MORNING));

        // Then it is approved without reasons by the built-in default and the amount is reserved for the day
        assertThat(decision.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(decision.getReasons()).isEmpty();
        assertThat(decision.getKind()).isEqualTo(DecisionKind.INITIAL);
        assertThat(decision.getMerchantRuleSet()).isEqualTo(CompiledRuleSet.DEFAULT_MERCHANT);
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(1_000_000L);
    }

    @Test
    void shouldApproveWhenAmountIsExactlyAtThePerTransactionLimit() {
        RiskDecision decision = risk.decide(request("tx-1", "acct-a", KES_PER_TRANSACTION, "KES", MORNING));

        assertThat(decision.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(KES_PER_TRANSACTION);
    }

    @Test
    void shouldDeclineWithoutReservingWhenAmountIsOverThePerTransactionLimit() {
        // When an account asks for one minor unit over the per-transaction limit
        RiskDecision decision = risk.decide(request("tx-1", "acct-a", KES_PER_TRANSACTION + 1, "KES", MORNING));

        // Then it is declined, the reason names the rule, version and dimension, and nothing stays reserved
        assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(decision.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getRuleId()).isEqualTo(DefaultRuleSet.PER_TRANSACTION_LIMIT);
            assertThat(reason.getRuleSetVersion()).isEqualTo(RiskDriver.DEFAULT_VERSION);
            assertThat(reason.getOutcome()).isEqualTo(Outcome.DECLINE);
            assertThat(reason.getShadow()).isFalse();
            assertThat(reason.getDimension()).isEqualTo("ACCOUNT");
        });
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isZero();
    }

    @Test
    void shouldDeclineTheRequestThatWouldExceedTheDailyLimitAndApproveTheOneReachingIt() {
        // Given 25,000,000 of the 30,000,000 daily limit reserved
        assertThat(risk.decide(request("tx-1", "acct-a", 15_000_000L, "KES", MORNING)).getOutcome())
                .isEqualTo(Outcome.APPROVE);
        assertThat(risk.decide(request("tx-2", "acct-a", 10_000_000L, "KES", MORNING)).getOutcome())
                .isEqualTo(Outcome.APPROVE);

        // When a request would bring the day to 31,000,000, then one brings it to exactly 30,000,000
        RiskDecision over = risk.decide(request("tx-3", "acct-a", 6_000_000L, "KES", MORNING));
        RiskDecision at = risk.decide(request("tx-4", "acct-a", 5_000_000L, "KES", MORNING));

        // Then the first is declined by the daily rule, the second approved, and the day is exactly full
        assertThat(over.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(over)).containsExactly(DefaultRuleSet.DAILY_LIMIT);
        assertThat(at.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(KES_DAILY);
        assertThat(risk.decide(request("tx-5", "acct-a", 1L, "KES", MORNING)).getOutcome()).isEqualTo(Outcome.DECLINE);
    }

    @Test
    void shouldResetTheDailyWindowAtMidnightUtc() {
        // Given an account that filled its daily limit, the last request at 23:59:59.999 UTC
        Instant lastMillisecond = Instant.parse("2026-03-10T23:59:59.999Z");
        risk.decide(request("tx-1", "acct-a", 15_000_000L, "KES", Instant.parse("2026-03-10T23:00:00Z")));
        risk.decide(request("tx-2", "acct-a", 15_000_000L, "KES", lastMillisecond));
        assertThat(risk.decide(request("tx-3", "acct-a", 1L, "KES", lastMillisecond)).getOutcome())
                .isEqualTo(Outcome.DECLINE);

        // When it asks again at 00:00:00.000 UTC the next day
        RiskDecision afterMidnight = risk.decide(request("tx-4", "acct-a", 15_000_000L, "KES",
                Instant.parse("2026-03-11T00:00:00Z")));

        // Then the new day starts empty and the old day is untouched
        assertThat(afterMidnight.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", LocalDate.parse("2026-03-11")))).isEqualTo(15_000_000L);
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(KES_DAILY);
    }

    @Test
    void shouldDecideOnceAndReserveOnceWhenARequestIsReplayed() {
        // Given a request that was approved
        PaymentRequest request = request("tx-1", "acct-a", 10_000_000L, "KES", MORNING);
        assertThat(risk.send(request)).hasSize(1);

        // When the same request arrives twice more (a producer retry, a replayed input)
        List<RiskDecision> replays = risk.send(request);
        replays.addAll(risk.send(request));

        // Then there is no other decision and the amount is counted once
        assertThat(replays).isEmpty();
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(10_000_000L);
    }

    @Test
    void shouldKeepAccountsAndCurrenciesApart() {
        // Given an account that filled its KES day
        risk.decide(request("tx-1", "acct-a", 15_000_000L, "KES", MORNING));
        risk.decide(request("tx-2", "acct-a", 15_000_000L, "KES", MORNING));

        // When another account pays KES, and the full account pays UGX
        RiskDecision other = risk.decide(request("tx-3", "acct-b", 15_000_000L, "KES", MORNING));
        RiskDecision ugx = risk.decide(request("tx-4", "acct-a", 5_000_000L, "UGX", MORNING));

        // Then each counter is its own
        assertThat(other.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(ugx.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(risk.accountUsage(dailyKey("acct-b", "KES", TODAY))).isEqualTo(15_000_000L);
        assertThat(risk.accountUsage(dailyKey("acct-a", "UGX", TODAY))).isEqualTo(5_000_000L);
    }

    @Test
    void shouldDeclineFailClosedWhenTheCurrencyHasNoLimit() {
        RiskDecision decision = risk.decide(request("tx-1", "acct-a", 100L, "USD", MORNING));

        assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(decision)).containsExactly(DefaultRuleSet.PER_TRANSACTION_LIMIT, DefaultRuleSet.DAILY_LIMIT);
        assertThat(risk.accountUsage(dailyKey("acct-a", "USD", TODAY))).isZero();
    }

    @Test
    void shouldDeclineWithoutReservingWhenTheAmountIsNotPositive() {
        RiskDecision decision = risk.decide(request("tx-1", "acct-a", -5_000_000L, "KES", MORNING));

        assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(decision)).contains(DefaultRuleSet.AMOUNT_POSITIVE);
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isZero();
    }

    @Test
    void shouldDeclineWhenTheRecordIsNotKeyedByItsAccount() {
        // When a request for acct-a arrives keyed by another id
        risk.requests.pipeInput("acct-other", request("tx-1", "acct-a", 1_000L, "KES", MORNING));

        // Then it is declined rather than checked against usage it cannot see atomically
        RiskDecision decision = risk.decisions().get(0);
        assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(decision)).containsExactly(DecisionProcessor.ACCOUNT_KEY_CHECK_ID);
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isZero();
    }

    @Test
    void shouldSkipARecordWithoutAValue() {
        risk.requests.pipeInput("acct-a", (PaymentRequest) null);

        assertThat(risk.decisions()).isEmpty();
    }

    @Test
    void shouldCopyTheRequestFactsIntoTheDecision() {
        RiskDecision decision = risk.decide(request("tx-1", "acct-a", 2_500L, "KES", MORNING));

        assertThat(decision.getTransactionId()).isEqualTo("tx-1");
        assertThat(decision.getType()).isEqualTo(PaymentType.MOBILE_MONEY_COLLECTION);
        assertThat(decision.getMerchantId()).isEqualTo("merchant-1");
        assertThat(decision.getAccountKind()).isEqualTo(AccountKind.WALLET);
        assertThat(decision.getAccountId()).isEqualTo("acct-a");
        assertThat(decision.getAmount().getAmountMinor()).isEqualTo(2_500L);
        assertThat(decision.getProvider()).isEqualTo("mobile-money-hub");
        assertThat(decision.getRequestedAt()).isEqualTo(MORNING);
        assertThat(decision.getDecidedAt()).isEqualTo(RiskDriver.WALL_CLOCK_START);
    }

    @Test
    void shouldForgetOldTransactionIdsAndUsageWithWholeSegmentsWithoutASweep() {
        // Given a request decided and reserved today
        risk.decide(request("tx-old", "acct-a", 1_000L, "KES", MORNING));
        assertThat(risk.transaction("tx-old")).isNotNull();

        // When four days later (within the replay retention of 7) another request is decided and tx-old replayed
        risk.advanceWallClock(Duration.ofDays(4));
        risk.decide(request("tx-new", "acct-b", 1_000L, "KES", MORNING.plus(Duration.ofDays(4))));

        // Then the replay is still dropped
        assertThat(risk.send(request("tx-old", "acct-a", 1_000L, "KES", MORNING))).isEmpty();

        // When the replay retention and the usage retention (a month and 3 days) have passed and new work came
        risk.advanceWallClock(Duration.ofDays(40));
        risk.decide(request("tx-later", "acct-b", 1_000L, "KES", MORNING.plus(Duration.ofDays(44))));
        risk.decide(request("tx-a-later", "acct-a", 2_000L, "KES", MORNING.plus(Duration.ofDays(44))));

        // Then the old transaction id is gone with its segment, and the old day's counter is no longer carried in
        // the account's latest day record (the earlier records leave with their own segments)
        assertThat(risk.transaction("tx-old")).isNull();
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isZero();
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY.plusDays(44)))).isEqualTo(2_000L);
        assertThat(risk.accountUsage(dailyKey("acct-b", "KES", TODAY.plusDays(44)))).isEqualTo(1_000L);
    }

    static List<String> ruleIds(RiskDecision decision) {
        return decision.getReasons().stream().map(DecisionReason::getRuleId).toList();
    }
}
