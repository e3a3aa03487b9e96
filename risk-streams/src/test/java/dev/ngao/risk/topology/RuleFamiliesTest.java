package dev.ngao.risk.topology;

import dev.ngao.events.AccountKind;
import dev.ngao.events.CardDetails;
import dev.ngao.events.CardEvent;
import dev.ngao.events.CardEventType;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RiskSignals;
import dev.ngao.events.RuleAction;
import dev.ngao.events.SpendingControls;
import dev.ngao.events.SpendingInterval;
import dev.ngao.events.SpendingLimit;
import dev.ngao.rules.DefaultRuleSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.ngao.risk.PaymentRequests.request;
import static dev.ngao.risk.topology.AccountStageTest.MORNING;
import static dev.ngao.risk.topology.AccountStageTest.ruleIds;
import static dev.ngao.risk.topology.RiskDriver.rule;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule families that read the stages' own state (velocity sums, distinct counts, approved history,
 * devices, card controls) and the stateless ones, through the topology: under, at and over.
 */
class RuleFamiliesTest {

    private static final String MERCHANT = "merchant-1";

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

    private static PaymentRequest withSignals(String transactionId, String accountId, long amountMinor, Instant at,
                                              RiskSignals signals) {
        return PaymentRequest.newBuilder(request(transactionId, accountId, amountMinor, "KES", at))
                .setSignals(signals).build();
    }

    private static RiskSignals device(String deviceHash) {
        return RiskSignals.newBuilder().setDeviceHash(deviceHash).build();
    }

    private List<Outcome> outcomes(PaymentRequest... requests) {
        return java.util.Arrays.stream(requests).map(risk::decide).map(RiskDecision::getOutcome).toList();
    }

    @Test
    void shouldSumADeviceAcrossAccountsInASlidingWindow() {
        // Given at most 10,000 KES an hour from one device
        risk.publish(MERCHANT, "sum-v1", rule("device-sum", "velocity-sum",
                "{\"dimension\": \"DEVICE\", \"windowSeconds\": 3600, \"limits\": {\"KES\": 10000}}", RuleAction.BLOCK));

        // When two accounts spend 6,000 and 4,000 (at the limit), a third 1 (over), and one an hour later
        List<Outcome> outcomes = outcomes(
                withSignals("tx-1", "acct-a", 6_000L, MORNING, device("device-1")),
                withSignals("tx-2", "acct-b", 4_000L, MORNING.plusSeconds(60), device("device-1")),
                withSignals("tx-3", "acct-c", 1L, MORNING.plusSeconds(120), device("device-1")),
                withSignals("tx-4", "acct-c", 5_000L, MORNING.plus(Duration.ofMinutes(61)), device("device-1")));

        // Then the window slides: the first spend left it after an hour
        assertThat(outcomes).containsExactly(Outcome.APPROVE, Outcome.APPROVE, Outcome.DECLINE, Outcome.APPROVE);
    }

    @Test
    void shouldCountTheDistinctAccountsBehindOneDni() {
        // Given at most 2 accounts per DNI a day
        risk.publish(MERCHANT, "dni-v1", rule("dni-accounts", "distinct-count",
                "{\"dimension\": \"DNI\", \"counted\": \"ACCOUNT\", \"windowSeconds\": 86400, \"max\": 2}",
                RuleAction.BLOCK));
        RiskSignals dni = RiskSignals.newBuilder().setDocumentHash("dni-1").build();

        // When two accounts pay with the DNI, the first again, then a third account
        List<Outcome> outcomes = outcomes(
                withSignals("tx-1", "acct-a", 100L, MORNING, dni),
                withSignals("tx-2", "acct-b", 100L, MORNING.plusSeconds(1), dni),
                withSignals("tx-3", "acct-a", 100L, MORNING.plusSeconds(2), dni),
                withSignals("tx-4", "acct-c", 100L, MORNING.plusSeconds(3), dni));

        // Then a repeated account is no new value; the third distinct account is over
        assertThat(outcomes).containsExactly(Outcome.APPROVE, Outcome.APPROVE, Outcome.APPROVE, Outcome.DECLINE);
    }

    @Test
    void shouldReviewALargeFirstAmountFromANewDeviceOnly() {
        risk.publish(MERCHANT, "device-v1", rule("new-device", "new-device-large-amount",
                "{\"minimums\": {\"KES\": 5000}}", RuleAction.REVIEW));

        List<Outcome> outcomes = outcomes(
                withSignals("tx-1", "acct-a", 4_999L, MORNING, device("device-1")),
                withSignals("tx-2", "acct-a", 9_000L, MORNING.plusSeconds(60), device("device-1")),
                withSignals("tx-3", "acct-a", 9_000L, MORNING.plusSeconds(120), device("device-2")));

        // Under the minimum from a new device, then large from a known one, then large from a new one
        assertThat(outcomes).containsExactly(Outcome.APPROVE, Outcome.APPROVE, Outcome.REVIEW);
    }

    @Test
    void shouldReviewAnAmountAboveTwiceTheTrailingDailyAverageOfApprovedSpend() {
        // Given approved spend of 1,000 KES on each of the three previous UTC days
        risk.publish(MERCHANT, "anomaly-v1", rule("anomaly", "amount-anomaly",
                "{\"days\": 7, \"multiplePercent\": 200, \"minimumHistoryDays\": 3}", RuleAction.REVIEW));
        for (int day = 1; day <= 3; day++) {
            risk.decide(request("tx-history-" + day, "acct-a", 1_000L, "KES", MORNING.minus(Duration.ofDays(day))));
        }

        // When today brings exactly 200 % of the average, then more
        RiskDecision at = risk.decide(request("tx-1", "acct-a", 2_000L, "KES", MORNING));
        RiskDecision over = risk.decide(request("tx-2", "acct-a", 2_001L, "KES", MORNING));

        assertThat(at.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(over.getOutcome()).isEqualTo(Outcome.REVIEW);
        assertThat(ruleIds(over)).containsExactly("anomaly");
    }

    @Test
    void shouldAverageOnlyTheDaysTheRuleNamesAndCountTodaysSpendInTheDaySum() {
        // Given 1,000 KES approved on each of the three previous days, and 90,000 five days back
        risk.publish(MERCHANT, "anomaly-v3", rule("anomaly", "amount-anomaly",
                "{\"days\": 3, \"multiplePercent\": 200, \"minimumHistoryDays\": 3, \"measure\": \"DAY_SUM\"}",
                RuleAction.REVIEW));
        risk.decide(request("tx-old", "acct-a", 90_000L, "KES", MORNING.minus(Duration.ofDays(5))));
        for (int day = 1; day <= 3; day++) {
            risk.decide(request("tx-history-" + day, "acct-a", 1_000L, "KES", MORNING.minus(Duration.ofDays(day))));
        }

        // When today brings 1,500, then 501 more: the day's sum reaches 2,001, above 200 % of the 3 days' average
        RiskDecision first = risk.decide(request("tx-1", "acct-a", 1_500L, "KES", MORNING));
        RiskDecision second = risk.decide(request("tx-2", "acct-a", 501L, "KES", MORNING.plusSeconds(60)));

        // Then only the three days were averaged (with the 90,000 the average would be far higher), and today's
        // approved 1,500 counted in the second request's day sum
        assertThat(first.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(second.getOutcome()).isEqualTo(Outcome.REVIEW);
        assertThat(ruleIds(second)).containsExactly("anomaly");
    }

    @Test
    void shouldLeaveADeclinedAmountOutOfTheApprovedHistory() {
        // Given a history day whose only request was declined by a dimension rule (device over its sum)
        risk.publish(MERCHANT, "anomaly-v2",
                rule("device-sum", "velocity-sum",
                        "{\"dimension\": \"DEVICE\", \"windowSeconds\": 60, \"limits\": {\"KES\": 500}}", RuleAction.BLOCK),
                rule("anomaly", "amount-anomaly", "{\"days\": 7, \"multiplePercent\": 200, \"minimumHistoryDays\": 1}",
                        RuleAction.REVIEW));
        Instant yesterday = MORNING.minus(Duration.ofDays(1));
        risk.decide(withSignals("tx-small", "acct-a", 500L, yesterday, device("device-1")));
        risk.decide(withSignals("tx-declined", "acct-a", 100_000L, yesterday.plusSeconds(1), device("device-1")));

        // When today brings 1,000 (200 % of the approved 500)
        RiskDecision today = risk.decide(request("tx-1", "acct-a", 1_000L, "KES", MORNING));

        // Then it is not an anomaly: the declined 100,000 never counted as spend
        assertThat(today.getOutcome()).isEqualTo(Outcome.APPROVE);
    }

    @Test
    void shouldReviewAHighRiskIpCountryAndAGeoMismatch() {
        risk.publish(MERCHANT, "geo-v1",
                rule("high-risk", "high-risk-country", "{\"countries\": [\"KP\"], \"of\": [\"IP\"]}", RuleAction.BLOCK),
                rule("mismatch", "geo-mismatch", "{}", RuleAction.REVIEW));

        PaymentRequest kenyan = PaymentRequest.newBuilder(request("tx-1", "acct-a", 100L, "KES", MORNING))
                .setCountry("KE").setSignals(RiskSignals.newBuilder().setIpCountry("KE").build()).build();
        PaymentRequest mismatch = PaymentRequest.newBuilder(request("tx-2", "acct-a", 100L, "KES", MORNING))
                .setCountry("KE").setSignals(RiskSignals.newBuilder().setIpCountry("UG").build()).build();
        PaymentRequest highRisk = PaymentRequest.newBuilder(request("tx-3", "acct-a", 100L, "KES", MORNING))
                .setCountry("KE").setSignals(RiskSignals.newBuilder().setIpCountry("KP").build()).build();

        assertThat(outcomes(kenyan, mismatch, highRisk)).containsExactly(Outcome.APPROVE, Outcome.REVIEW, Outcome.DECLINE);
    }

    @Test
    void shouldEnforceTheCardsOwnDailyControlWithReservation() {
        // Given a card with a daily control of 5,000 KES and a blocked category (built-in default rule set)
        risk.cards.pipeInput("card-1", CardEvent.newBuilder()
                .setEventId("card-event-1").setType(CardEventType.ISSUED).setCardId("card-1").setMerchantId(MERCHANT)
                .setCardholderHash("holder-hash").setCurrency("KES").setApiKeyId("key-1")
                .setOccurredAt(RiskDriver.WALL_CLOCK_START).setKycStatus("VERIFIED")
                .setControls(SpendingControls.newBuilder()
                        .setLimits(List.of(new SpendingLimit(SpendingInterval.DAILY, 5_000L)))
                        .setBlockedCategories(List.of("7995"))
                        .build())
                .build());

        // And loaded the day before: a load counts on the day's account counter, which the daily control shares
        risk.decide(CardFundsTest.load("load-1", "card-1", 10_000L, MORNING.minusSeconds(86_400)));

        // When the card spends 3,000, 2,000 (at the control), 1 (over), and at a blocked category
        List<Outcome> outcomes = outcomes(card("tx-1", 3_000L, "5411"), card("tx-2", 2_000L, "5411"),
                card("tx-3", 1L, "5411"), card("tx-4", 1L, "7995"));

        assertThat(outcomes).containsExactly(Outcome.APPROVE, Outcome.APPROVE, Outcome.DECLINE, Outcome.DECLINE);
        assertThat(risk.accountUsage(AccountStageTest.dailyKey("card-1", "KES", AccountStageTest.TODAY)))
                .isEqualTo(5_000L);
    }

    @Test
    void shouldScoreWeightedRulesAcrossStagesAgainstTheThresholds() {
        // Given weighted rules in two stages and Tazama-like thresholds: review at 40, block at 70
        risk.publish(MERCHANT, "score-v1",
                rule("thresholds", "score-thresholds", "{\"reviewAt\": 40, \"blockAt\": 70}", RuleAction.REVIEW),
                rule("new-device", "new-device-large-amount", "{\"minimums\": {\"KES\": 1000}, \"weight\": 30}",
                        RuleAction.REVIEW),
                rule("ip-busy", "velocity-count", "{\"dimension\": \"IP\", \"windowSeconds\": 3600, \"max\": 1, "
                        + "\"weight\": 45}", RuleAction.REVIEW));
        RiskSignals first = RiskSignals.newBuilder().setDeviceHash("device-1").setClientIp("10.0.0.1").build();
        RiskSignals second = RiskSignals.newBuilder().setDeviceHash("device-2").setClientIp("10.0.0.1").build();

        // When a first payment hits the new-device rule alone (30), and a second both rules (75)
        RiskDecision low = risk.decide(withSignals("tx-1", "acct-a", 2_000L, MORNING, first));
        RiskDecision high = risk.decide(withSignals("tx-2", "acct-a", 2_000L, MORNING.plusSeconds(60), second));

        // Then the score is the sum of the weights of every stage, resolved against the thresholds
        assertThat(low.getScore()).isEqualTo(30);
        assertThat(low.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(high.getScore()).isEqualTo(75);
        assertThat(high.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(high)).containsExactlyInAnyOrder("new-device", "ip-busy");
    }

    @Test
    void shouldDeclineACardNotKnownToCardsEvents() {
        RiskDecision decision = risk.decide(card("tx-1", 100L, "5411"));

        assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(decision)).contains(DefaultRuleSet.CARD_STATE);
    }

    private static PaymentRequest card(String transactionId, long amountMinor, String category) {
        return PaymentRequest.newBuilder(request(transactionId, "card-1", amountMinor, "KES", MORNING))
                .setType(PaymentType.CARD_AUTHORIZATION)
                .setAccountKind(AccountKind.CARD)
                .setCard(new CardDetails("card-1", category, "KE"))
                .build();
    }
}
