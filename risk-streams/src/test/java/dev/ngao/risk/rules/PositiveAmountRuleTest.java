package dev.ngao.risk.rules;

import dev.ngao.events.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static dev.ngao.risk.PaymentRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

class PositiveAmountRuleTest {

    private static final Instant NOW = Instant.parse("2025-03-10T08:00:00Z");
    private final PositiveAmountRule rule = new PositiveAmountRule();

    @Test
    void shouldSayNothingWhenTheAmountIsPositive() {
        assertThat(rule.evaluate(request("tx", "acct", 1L, "KES", NOW), UsageView.empty())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, -1L, Long.MIN_VALUE})
    void shouldDeclineWhenTheAmountIsNotPositive(long amountMinor) {
        assertThat(rule.evaluate(request("tx", "acct", amountMinor, "KES", NOW), UsageView.empty()))
                .hasValueSatisfying(hit -> {
                    assertThat(hit.ruleId()).isEqualTo(PositiveAmountRule.ID);
                    assertThat(hit.outcome()).isEqualTo(Outcome.DECLINE);
                });
    }
}
