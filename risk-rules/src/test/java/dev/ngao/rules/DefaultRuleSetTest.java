package dev.ngao.rules;

import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DefaultRuleSetTest {

    private final CompiledRuleSet defaults = DefaultRuleSet.of("limits-v1", Map.of("KES", 1_500_000L, "UGX", 500_000L),
            Map.of("KES", 3_000_000L, "UGX", 1_000_000L));

    @Test
    void shouldHoldTheFoundationLimitsAndTheCardChecksWhenBuilt() {
        assertThat(defaults.merchantId()).isEqualTo("default");
        assertThat(defaults.version()).isEqualTo("limits-v1");
        assertThat(defaults.rules()).extracting(Rule::id).containsExactly("amount-positive", "per-transaction-limit",
                "daily-limit", "card-state", "card-controls", "insufficient-funds");
        assertThat(defaults.rules().get(5)).isInstanceOf(CardFundsRule.class);
        assertThat(defaults.rules()).allSatisfy(rule -> {
            assertThat(rule.action()).isEqualTo(RuleAction.BLOCK);
            assertThat(rule.mode()).isEqualTo(RuleMode.ENFORCE);
            assertThat(rule.dimension()).isEqualTo(Dimension.ACCOUNT);
        });
        assertThat(defaults.dimensions()).containsExactly(Dimension.ACCOUNT);
        assertThat(defaults.scoreThresholds()).isEmpty();
    }

    @Test
    void shouldApproveAtTheLimitsAndDeclineAboveThemWhenAWalletPays() {
        // Given 20 000.00 KES already reserved today
        InMemoryStateView state = new InMemoryStateView();
        PaymentRequest first = Requests.wallet(1_500_000, "KES").build();
        state.reserve(dailyKey(first), 2_000_000);

        // When / Then: 10 000.00 reaches the daily limit exactly; one cent more exceeds it
        assertThat(outcome(Requests.wallet(1_000_000, "KES").build(), state)).isEqualTo(Outcome.APPROVE);
        List<RuleHit> hits = defaults.evaluate(Dimension.ACCOUNT, Requests.input(Requests.wallet(1_000_001, "KES").build(), state));
        assertThat(hits).extracting(RuleHit::ruleId, RuleHit::message).containsExactly(org.assertj.core.groups.Tuple.tuple(
                "daily-limit", "amount 10000.01 KES would exceed the daily limit of 30000.00 KES: 20000.00 KES already "
                        + "reserved on 2026-11-18 (UTC)"));
        assertThat(defaults.evaluate(Dimension.ACCOUNT, Requests.input(Requests.wallet(1_500_001, "KES").build(),
                new InMemoryStateView()))).extracting(RuleHit::ruleId, RuleHit::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("per-transaction-limit",
                        "amount 15000.01 KES is above the per-transaction limit of 15000.00 KES"));
    }

    @Test
    void shouldDeclineACurrencyWithoutLimitsBecauseTheDefaultFailsClosed() {
        List<RuleHit> hits = defaults.evaluate(Dimension.ACCOUNT,
                Requests.input(Requests.wallet(100, "PEN").build(), new InMemoryStateView()));

        assertThat(hits).extracting(RuleHit::message).containsExactly(
                "no per-transaction limit is configured for currency PEN; requests in it are declined",
                "no daily limit is configured for currency PEN; requests in it are declined");
    }

    @Test
    void shouldReserveTheDailyCounterAndForCardsTheFourCardCountersWhenApproved() {
        PaymentRequest walletRequest = Requests.wallet(1_000, "KES").build();
        PaymentRequest cardRequest = Requests.card(1_000, "KES").build();
        InMemoryStateView state = new InMemoryStateView();

        assertThat(defaults.usageKeys(Dimension.ACCOUNT, Requests.input(walletRequest, state)))
                .containsExactly(dailyKey(walletRequest));
        assertThat(defaults.usageKeys(Dimension.ACCOUNT, Requests.input(cardRequest, state)))
                .extracting(UsageKey::interval)
                .containsExactly(Interval.DAY, Interval.WEEK, Interval.MONTH, Interval.ALL_TIME);
    }

    @Test
    void shouldRefuseNegativeLimitsAndUnknownCurrenciesNamingEach() {
        assertThatThrownBy(() -> DefaultRuleSet.of("v", Map.of("KES", -1L), Map.of("ZZZ", 5L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rule 'per-transaction-limit': parameter limits.KES must not be negative, got -1")
                .hasMessageContaining("rule 'daily-limit': parameter limits has a bad currency: unknown currency ZZZ");
    }

    private Outcome outcome(PaymentRequest request, StateView state) {
        return Resolution.resolve(defaults.evaluate(Dimension.ACCOUNT, Requests.input(request, state)),
                defaults.scoreThresholds()).outcome();
    }

    private static UsageKey dailyKey(PaymentRequest request) {
        return new UsageKey(Dimension.ACCOUNT, request.getAccountId(), request.getAmount().getCurrency(), Interval.DAY,
                java.time.ZoneId.of("UTC"), LocalDate.parse("2026-11-18"));
    }
}
