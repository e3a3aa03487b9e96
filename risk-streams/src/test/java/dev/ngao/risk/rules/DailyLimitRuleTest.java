package dev.ngao.risk.rules;

import dev.ngao.events.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import static dev.ngao.risk.PaymentRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

class DailyLimitRuleTest {

    private static final LimitPolicy POLICY = new LimitPolicy("v1",
            Map.of("KES", 15_000_000L), Map.of("KES", 30_000_000L));
    private static final LocalDate DAY = LocalDate.parse("2025-03-10");
    private final DailyLimitRule rule = new DailyLimitRule(POLICY);

    /** 25,000,000 KES reserved by acct-a on 2025-03-10 only. */
    private final UsageView usage = (accountId, currency, utcDay) ->
            accountId.equals("acct-a") && currency.equals("KES") && utcDay.equals(DAY) ? 25_000_000L : 0L;

    @Test
    void shouldSayNothingWhenReservedPlusAmountStaysUnderTheLimit() {
        assertThat(rule.evaluate(request("tx", "acct-a", 4_999_999L, "KES", at("2025-03-10T10:00:00Z")), usage))
                .isEmpty();
    }

    @Test
    void shouldSayNothingWhenReservedPlusAmountReachesTheLimitExactly() {
        assertThat(rule.evaluate(request("tx", "acct-a", 5_000_000L, "KES", at("2025-03-10T10:00:00Z")), usage))
                .isEmpty();
    }

    @Test
    void shouldDeclineWhenReservedPlusAmountGoesOverTheLimit() {
        RuleHit hit = rule.evaluate(request("tx", "acct-a", 5_000_001L, "KES", at("2025-03-10T10:00:00Z")), usage)
                .orElseThrow();

        assertThat(hit.ruleId()).isEqualTo(DailyLimitRule.ID);
        assertThat(hit.outcome()).isEqualTo(Outcome.DECLINE);
        assertThat(hit.message()).isEqualTo("amount 50000.01 KES would exceed the daily limit of 300000.00 KES: "
                + "250000.00 KES already reserved on 2025-03-10 (UTC)");
    }

    @Test
    void shouldReadUsageOfTheUtcDayOfRequestedAt() {
        // 2025-03-11T00:30 in Nairobi (UTC+3) is still 2025-03-10 in UTC: the full day counts
        assertThat(rule.evaluate(request("tx", "acct-a", 6_000_000L, "KES", at("2025-03-10T21:30:00Z")), usage))
                .isPresent();
        // 00:00 UTC starts a new day with nothing reserved
        assertThat(rule.evaluate(request("tx", "acct-a", 6_000_000L, "KES", at("2025-03-11T00:00:00Z")), usage))
                .isEmpty();
    }

    @Test
    void shouldDeclineEverythingWhenUsageIsAlreadyAboveALoweredLimit() {
        // Given usage reserved under an older, higher limit
        UsageView overLimit = (accountId, currency, utcDay) -> 40_000_000L;

        // Then even one minor unit is declined
        assertThat(rule.evaluate(request("tx", "acct-a", 1L, "KES", at("2025-03-10T10:00:00Z")), overLimit))
                .isPresent();
    }

    @Test
    void shouldDeclineWhenTheCurrencyHasNoDailyLimit() {
        RuleHit hit = rule.evaluate(request("tx", "acct-a", 1L, "USD", at("2025-03-10T10:00:00Z")), usage)
                .orElseThrow();

        assertThat(hit.outcome()).isEqualTo(Outcome.DECLINE);
        assertThat(hit.message()).contains("no daily limit is configured for currency USD");
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }
}
