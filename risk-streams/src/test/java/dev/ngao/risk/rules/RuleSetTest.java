package dev.ngao.risk.rules;

import dev.ngao.events.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ngao.risk.PaymentRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleSetTest {

    private static final Instant NOW = Instant.parse("2025-03-10T08:00:00Z");
    private static final LimitPolicy POLICY = new LimitPolicy("limits-v9",
            Map.of("KES", 15_000_000L), Map.of("KES", 30_000_000L));

    @Test
    void shouldApproveWithoutReasonsWhenNoRuleMatches() {
        Evaluation evaluation = RuleSet.limits(POLICY).evaluate(request("tx", "acct", 100L, "KES", NOW), UsageView.empty());

        assertThat(evaluation.outcome()).isEqualTo(Outcome.APPROVE);
        assertThat(evaluation.hits()).isEmpty();
        assertThat(evaluation.ruleSetVersion()).isEqualTo("limits-v9");
    }

    @Test
    void shouldReportEveryMatchingRuleAndResolveTheStrictestOutcome() {
        // Given a rule set with a reviewing rule before the limit rules
        Rule review = new Rule() {
            @Override
            public String id() {
                return "always-review";
            }

            @Override
            public Optional<RuleHit> evaluate(dev.ngao.events.PaymentRequest request, UsageView usage) {
                return Optional.of(new RuleHit(id(), Outcome.REVIEW, "look at it"));
            }
        };
        RuleSet rules = new RuleSet("v2", List.of(review, new PerTransactionLimitRule(POLICY), new DailyLimitRule(POLICY)));

        // When an amount breaks both limits
        Evaluation evaluation = rules.evaluate(request("tx", "acct", 40_000_000L, "KES", NOW), UsageView.empty());

        // Then all three rules are named, in order, and the outcome is DECLINE
        assertThat(evaluation.hits()).extracting(RuleHit::ruleId)
                .containsExactly("always-review", PerTransactionLimitRule.ID, DailyLimitRule.ID);
        assertThat(evaluation.outcome()).isEqualTo(Outcome.DECLINE);
    }

    @Test
    void shouldRefuseAPolicyWithANonPositiveLimit() {
        assertThatThrownBy(() -> new LimitPolicy("v1", Map.of("KES", 0L), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KES");
    }
}
