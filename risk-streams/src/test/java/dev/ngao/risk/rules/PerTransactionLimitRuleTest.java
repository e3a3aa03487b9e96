package dev.ngao.risk.rules;

import dev.ngao.events.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static dev.ngao.risk.PaymentRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

class PerTransactionLimitRuleTest {

    private static final Instant NOW = Instant.parse("2025-03-10T08:00:00Z");
    private static final LimitPolicy POLICY = new LimitPolicy("v1",
            Map.of("KES", 15_000_000L, "UGX", 5_000_000L), Map.of("KES", 30_000_000L));
    private final PerTransactionLimitRule rule = new PerTransactionLimitRule(POLICY);

    @Test
    void shouldSayNothingWhenTheAmountIsUnderTheLimit() {
        assertThat(rule.evaluate(request("tx", "acct", 14_999_999L, "KES", NOW), UsageView.empty())).isEmpty();
    }

    @Test
    void shouldSayNothingWhenTheAmountIsExactlyAtTheLimit() {
        assertThat(rule.evaluate(request("tx", "acct", 15_000_000L, "KES", NOW), UsageView.empty())).isEmpty();
    }

    @Test
    void shouldDeclineWhenTheAmountIsOverTheLimit() {
        // When the amount is one minor unit over
        RuleHit hit = rule.evaluate(request("tx", "acct", 15_000_001L, "KES", NOW), UsageView.empty()).orElseThrow();

        // Then the rule declines, naming amount and limit in the currency's own digits
        assertThat(hit.ruleId()).isEqualTo(PerTransactionLimitRule.ID);
        assertThat(hit.outcome()).isEqualTo(Outcome.DECLINE);
        assertThat(hit.message()).isEqualTo("amount 150000.01 KES is above the per-transaction limit of 150000.00 KES");
    }

    @Test
    void shouldUseTheLimitOfTheRequestCurrency() {
        // UGX has no minor digits and a lower limit than KES
        assertThat(rule.evaluate(request("tx", "acct", 5_000_001L, "UGX", NOW), UsageView.empty()))
                .hasValueSatisfying(hit -> assertThat(hit.message()).contains("5000001 UGX", "5000000 UGX"));
    }

    @Test
    void shouldDeclineWhenTheCurrencyHasNoLimit() {
        RuleHit hit = rule.evaluate(request("tx", "acct", 1L, "PEN", NOW), UsageView.empty()).orElseThrow();

        assertThat(hit.outcome()).isEqualTo(Outcome.DECLINE);
        assertThat(hit.message()).contains("no per-transaction limit is configured for currency PEN");
    }

    @Test
    void shouldDeclineWhenTheCurrencyIsNotAnIsoCode() {
        // An upstream bug may send anything; the rule must neither throw nor allow it
        RuleHit hit = rule.evaluate(request("tx", "acct", 1L, "kes", NOW), UsageView.empty()).orElseThrow();

        assertThat(hit.outcome()).isEqualTo(Outcome.DECLINE);
    }
}
