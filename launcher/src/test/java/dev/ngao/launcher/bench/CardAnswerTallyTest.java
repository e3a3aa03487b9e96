package dev.ngao.launcher.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The tally of bench-cards, on answers shaped as POST /v1/card-authorizations writes them. */
class CardAnswerTallyTest {

    private static final String VERSION = "2026-12-06.1";

    private final CardAnswerTally tally = new CardAnswerTally();

    @Test
    void shouldCountWhoDecidedAndTheOutcomesWhenRiskAndTheTimeoutDefaultAnswer() {
        // Given two approvals and a decline by risk, and a decline by the timeout default
        tally.record(answer("risk", "APPROVE", "approved by risk", new JsonArray()), millis(20));
        tally.record(answer("risk", "APPROVE", "approved by risk", new JsonArray()), millis(30));
        tally.record(answer("risk", "DECLINE", "declined by risk", reasons("card-attempts-per-minute")), millis(40));
        tally.record(answer("timeout-default", "DECLINE", "no risk decision within 2000 ms: the configured default "
                + "applies", new JsonArray()), millis(2_001));

        CardAnswerTally.Summary summary = tally.summary();

        // Then three are risk's and one the timeout default's, in the right shares, with each decider's latency
        assertThat(summary.answers()).isEqualTo(4);
        assertThat(summary.byRisk()).isEqualTo(3);
        assertThat(summary.byTimeout()).isEqualTo(1);
        assertThat(summary.riskShare()).isEqualTo(0.75);
        assertThat(summary.timeoutShare()).isEqualTo(0.25);
        assertThat(summary.approved()).isEqualTo(2);
        assertThat(summary.declined()).isEqualTo(2);
        assertThat(summary.riskP99Millis()).isBetween(39.0, 41.0);
        assertThat(summary.timeoutP50Millis()).isBetween(1_990.0, 2_010.0);
        assertThat(summary.unreadable()).isZero();
    }

    @Test
    void shouldNameTheRulesOfDeclinesMostFrequentFirstWhenRiskDeclines() {
        // Given declines by two rules, a review answered DECLINE, and an approval naming a rule that did not decline
        tally.record(answer("risk", "DECLINE", "declined by risk", reasons("per-transaction-limit")), millis(10));
        tally.record(answer("risk", "DECLINE", "declined by risk", reasons("card-blocked-categories")), millis(10));
        tally.record(answer("risk", "DECLINE", "declined by risk", reasons("card-blocked-categories")), millis(10));
        tally.record(answer("risk", "DECLINE", "held for review by risk: declined, as an authorization cannot wait "
                + "for an analyst", reasons("large-payment-review")), millis(10));
        tally.record(answer("risk", "APPROVE", "approved by risk", reasons("ip-burst-10-minutes")), millis(10));

        CardAnswerTally.Summary summary = tally.summary();

        assertThat(summary.declinesByRule()).containsExactly(
                Map.entry("card-blocked-categories", 2L),
                Map.entry("large-payment-review", 1L),
                Map.entry("per-transaction-limit", 1L));
        assertThat(summary.reviewsDeclined()).isEqualTo(1);
        assertThat(summary.ruleSetVersions()).containsExactly(VERSION);
    }

    @Test
    void shouldCountAnAnswerAsUnreadableWhenItIsNotTheDocumentedShape() {
        // Given a body that is not JSON, an unknown decider, an unknown outcome and no reasons
        tally.record("<html>oops</html>", millis(5));
        tally.record(answer("someone", "APPROVE", "approved by risk", new JsonArray()), millis(5));
        tally.record(answer("risk", "REVIEW", "approved by risk", new JsonArray()), millis(5));
        tally.record(new JsonObject().put("decidedBy", "risk").put("outcome", "APPROVE").encode(), millis(5));

        CardAnswerTally.Summary summary = tally.summary();

        // Then none is counted as decided by anyone
        assertThat(summary.answers()).isEqualTo(4);
        assertThat(summary.unreadable()).isEqualTo(4);
        assertThat(summary.byRisk() + summary.byTimeout() + summary.approved() + summary.declined()).isZero();
        assertThat(summary.riskShare()).isZero();
    }

    @Test
    void shouldReportEveryRuleSetVersionWhenReasonsNameAnother() {
        tally.record(answer("risk", "DECLINE", "declined by risk", reasons("daily-limit")), millis(5));
        tally.record(answer("risk", "DECLINE", "declined by risk", new JsonArray().add(new JsonObject()
                .put("ruleId", "daily-limit").put("ruleSetVersion", "limits-v1").put("outcome", "DECLINE")
                .put("message", "over the daily limit"))), millis(5));

        assertThat(tally.summary().ruleSetVersions()).containsExactly(VERSION, "limits-v1");
    }

    @Test
    void shouldReportNoLatencyWhenNoAnswerCame() {
        CardAnswerTally.Summary summary = tally.summary();

        assertThat(summary.answers()).isZero();
        assertThat(summary.riskP99Millis()).isNaN();
        assertThat(summary.timeoutShare()).isZero();
    }

    private static String answer(String decidedBy, String outcome, String reason, JsonArray reasons) {
        return new JsonObject()
                .put("transactionId", "txn_1")
                .put("cardId", "card_1")
                .put("approved", outcome.equals("APPROVE"))
                .put("outcome", outcome)
                .put("decidedBy", decidedBy)
                .put("reason", reason)
                .put("reasons", reasons)
                .put("links", new JsonObject().put("self", "/v1/payments/txn_1"))
                .encode();
    }

    private static JsonArray reasons(String ruleId) {
        return new JsonArray().add(new JsonObject().put("ruleId", ruleId).put("ruleSetVersion", VERSION)
                .put("outcome", "DECLINE").put("message", "matched"));
    }

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
