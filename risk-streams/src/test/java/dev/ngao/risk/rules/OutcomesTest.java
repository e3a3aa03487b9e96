package dev.ngao.risk.rules;

import dev.ngao.events.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomesTest {

    private static RuleHit hit(Outcome outcome) {
        return new RuleHit("rule-" + outcome, outcome, "because");
    }

    @Test
    void shouldApproveWhenNoRuleMatched() {
        assertThat(Outcomes.resolve(List.of())).isEqualTo(Outcome.APPROVE);
    }

    @Test
    void shouldPreferReviewOverApprove() {
        assertThat(Outcomes.resolve(List.of(hit(Outcome.APPROVE), hit(Outcome.REVIEW)))).isEqualTo(Outcome.REVIEW);
    }

    @Test
    void shouldPreferDeclineOverReviewWhicheverComesFirst() {
        assertThat(Outcomes.resolve(List.of(hit(Outcome.DECLINE), hit(Outcome.REVIEW)))).isEqualTo(Outcome.DECLINE);
        assertThat(Outcomes.resolve(List.of(hit(Outcome.REVIEW), hit(Outcome.DECLINE), hit(Outcome.APPROVE))))
                .isEqualTo(Outcome.DECLINE);
    }
}
