package dev.ngao.rules;

import dev.ngao.events.Outcome;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ResolutionTest {

    /**
     * Hits written ACTION:weight[:S for shadow], separated by spaces; thresholds reviewAt/blockAt or "none".
     */
    @ParameterizedTest(name = "[{0}] with thresholds {1} -> {2} (score {3})")
    @CsvSource({
            "'', none, APPROVE, ",
            "'', 50/100, APPROVE, 0",
            "REVIEW:0, none, REVIEW, ",
            "ALLOW:0 REVIEW:0, none, APPROVE, ",
            "ALLOW:0 BLOCK:0, none, DECLINE, ",
            "BLOCK:0:S, none, APPROVE, ",
            "BLOCK:0:S REVIEW:0:S, none, APPROVE, ",
            "REVIEW:30, 50/100, APPROVE, 30",
            "REVIEW:30 REVIEW:20, 50/100, REVIEW, 50",
            "REVIEW:60 REVIEW:40, 50/100, DECLINE, 100",
            "ALLOW:0 REVIEW:60, 50/100, APPROVE, 60",
            "ALLOW:0 REVIEW:60 REVIEW:40, 50/100, DECLINE, 100",
            "REVIEW:30, none, REVIEW, 30",
            "REVIEW:0 REVIEW:30, 50/100, REVIEW, 30",
            "REVIEW:60:S REVIEW:10, 50/100, APPROVE, 10",
            "CHALLENGE:0, none, CHALLENGE, ",
            "CHALLENGE:0 REVIEW:0, none, REVIEW, ",
            "CHALLENGE:0 BLOCK:0, none, DECLINE, ",
            "ALLOW:0 CHALLENGE:0, none, APPROVE, ",
            "CHALLENGE:0:S, none, APPROVE, ",
            "CHALLENGE:0 REVIEW:30, 50/100, CHALLENGE, 30",
            "CHALLENGE:0 REVIEW:50, 50/100, REVIEW, 50"})
    void shouldResolveBlockOverAllowOverReviewOverChallengeWithShadowNeverCounting(String hits, String thresholds, Outcome outcome,
                                                                       Integer score) {
        Resolution.Resolved resolved = Resolution.resolve(parse(hits), thresholds(thresholds));

        assertThat(resolved.outcome()).isEqualTo(outcome);
        assertThat(resolved.score()).isEqualTo(score);
        assertThat(resolved.hits()).hasSize(parse(hits).size());
    }

    private static List<RuleHit> parse(String text) {
        List<RuleHit> hits = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return hits;
        }
        int index = 0;
        for (String item : text.trim().split(" ")) {
            String[] parts = item.split(":");
            RuleMode mode = parts.length > 2 ? RuleMode.SHADOW : RuleMode.ENFORCE;
            hits.add(new RuleHit("r" + index++, "v1", RuleAction.valueOf(parts[0]), mode, Dimension.ACCOUNT,
                    Integer.parseInt(parts[1]), "reason"));
        }
        return hits;
    }

    private static Optional<ScoreThresholds> thresholds(String text) {
        if (text.equals("none")) {
            return Optional.empty();
        }
        String[] parts = text.split("/");
        return Optional.of(new ScoreThresholds(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
    }
}
