package dev.ngao.risk.topology;

import dev.ngao.events.AccountKind;
import dev.ngao.events.AuthorizationDecider;
import dev.ngao.events.CardDetails;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleAction;
import dev.ngao.events.StatusTransition;
import dev.ngao.rules.DefaultRuleSet;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.ngao.risk.PaymentRequests.request;
import static dev.ngao.risk.topology.AccountStageTest.MORNING;
import static dev.ngao.risk.topology.AccountStageTest.TODAY;
import static dev.ngao.risk.topology.AccountStageTest.dailyKey;
import static dev.ngao.risk.topology.RiskDriver.rule;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every card is prepaid: an authorization is checked against the card's funds at decision time and holds its
 * amount, so authorizations racing for the same funds never spend more than was loaded; a load or refund to the
 * card adds, and whatever ends without moving money gives back or takes back what it moved.
 */
class CardFundsTest {

    private static final String MERCHANT = "merchant-1";
    private static final String CARD = "card-1";
    /** The card's daily limit: high enough that funds decide, unless a test says otherwise. */
    private static final long CARD_DAILY_MINOR = 1_000_000L;

    @TempDir
    Path stateDirectory;

    private RiskDriver risk;

    @BeforeEach
    void start() {
        risk = new RiskDriver(stateDirectory);
        risk.publish(MERCHANT, "prepaid-v1",
                rule("card-daily", "limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": " + CARD_DAILY_MINOR + "}}",
                        RuleAction.BLOCK),
                rule(DefaultRuleSet.INSUFFICIENT_FUNDS, "card-funds", "{}", RuleAction.BLOCK));
    }

    @AfterEach
    void stop() {
        // Nothing failed on the way (a failed command is dead-lettered, not thrown, by the driver's handler)
        assertThat(risk.deadLetters.isEmpty()).isTrue();
        risk.close();
    }

    static PaymentRequest authorization(String transactionId, String cardId, long amountMinor) {
        return PaymentRequest.newBuilder(request(transactionId, cardId, amountMinor, "KES", MORNING))
                .setType(PaymentType.CARD_AUTHORIZATION)
                .setAccountKind(AccountKind.CARD)
                .setProvider("card-network")
                .setCard(new CardDetails(cardId, "5411", "KE"))
                .build();
    }

    /** A load as ingest-service writes it: keyed by and accounted to the card. */
    static PaymentRequest load(String transactionId, String cardId, long amountMinor, Instant requestedAt) {
        return PaymentRequest.newBuilder(request(transactionId, cardId, amountMinor, "KES", requestedAt))
                .setType(PaymentType.CARD_LOAD)
                .setAccountKind(AccountKind.CARD)
                .setProvider("card-issuing")
                .setCard(new CardDetails(cardId, null, null))
                .build();
    }

    private static PaymentRequest refund(String transactionId, String originalTransactionId, long amountMinor) {
        return PaymentRequest.newBuilder(request(transactionId, CARD, amountMinor, "KES", MORNING))
                .setType(PaymentType.REFUND)
                .setAccountKind(AccountKind.CARD)
                .setOriginalTransactionId(originalTransactionId)
                .build();
    }

    private long funds() {
        return risk.cardFunds(CARD, "KES");
    }

    private static List<String> ruleIds(RiskDecision decision) {
        return decision.getReasons().stream().map(DecisionReason::getRuleId).toList();
    }

    @Test
    void shouldDeclineAnAuthorizationOnACardNeverLoadedWithInsufficientFunds() {
        // When a card that was never loaded authorizes
        RiskDecision declined = risk.decide(authorization("tx-1", CARD, 100L));

        // Then it is declined for want of funds, saying what was there, and nothing is held or reserved
        assertThat(declined.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(declined.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getRuleId()).isEqualTo("insufficient-funds");
            assertThat(reason.getMessage()).isEqualTo("amount 1.00 KES is above the card's available funds of 0.00 KES");
        });
        assertThat(funds()).isZero();
        assertThat(risk.accountUsage(dailyKey(CARD, "KES", TODAY))).isZero();
    }

    @Test
    void shouldNeverApproveAuthorizationsRacingForOneCardsFundsBeyondWhatWasLoaded() {
        // Given a card loaded with 10.50 KES
        assertThat(risk.decide(load("load-1", CARD, 1_050L, MORNING)).getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(funds()).isEqualTo(1_050L);

        // When 25 authorizations of 1.00 KES arrive together, none decided before the others were sent
        List<TestRecord<String, PaymentRequest>> burst = new ArrayList<>();
        for (int index = 1; index <= 25; index++) {
            PaymentRequest authorization = authorization("auth-" + index, CARD, 100L);
            burst.add(new TestRecord<>(CARD, authorization, MORNING));
        }
        risk.requests.pipeRecordList(burst);
        List<RiskDecision> decided = risk.decisions();

        // Then exactly ten are approved: the funds are held as they are approved, never spent twice
        assertThat(decided).hasSize(25);
        assertThat(decided.stream().filter(decision -> decision.getOutcome() == Outcome.APPROVE)).hasSize(10);
        assertThat(decided.subList(10, 25)).allSatisfy(decision -> {
            assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
            assertThat(ruleIds(decision)).containsExactly("insufficient-funds");
        });
        assertThat(funds()).isEqualTo(50L);
        // And what is left can be spent exactly, not a cent more
        assertThat(risk.decide(authorization("auth-exact", CARD, 50L)).getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(risk.decide(authorization("auth-over", CARD, 1L)).getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(funds()).isZero();
    }

    @Test
    void shouldHoldNothingTwiceWhenAnAuthorizationIsReplayed() {
        risk.decide(load("load-1", CARD, 1_000L, MORNING));
        PaymentRequest authorization = authorization("tx-1", CARD, 400L);
        risk.decide(authorization);

        assertThat(risk.send(authorization)).isEmpty();
        assertThat(funds()).isEqualTo(600L);
    }

    @Test
    void shouldTakeALoadsFundsBackOutWhenTheLedgerRefusesItOrItFails() {
        // Given two loads risk approved: 10.00 and 5.00 KES
        risk.decide(load("load-1", CARD, 1_000L, MORNING));
        risk.decide(load("load-2", CARD, 500L, MORNING));
        assertThat(funds()).isEqualTo(1_500L);

        // When the ledger refuses the first (the merchant could not fund it) and the second fails
        List<RiskDecision> refused = risk.refuse("load-1");
        risk.providerOutcome("load-2", ProviderStatus.FAILED, StatusTransition.APPLIED);

        // Then both are taken back out: an authorization finds nothing to spend
        assertThat(refused).singleElement().satisfies(decision ->
                assertThat(decision.getKind()).isEqualTo(DecisionKind.LEDGER_REFUSAL));
        assertThat(funds()).isZero();
        assertThat(ruleIds(risk.decide(authorization("tx-1", CARD, 100L)))).containsExactly("insufficient-funds");
        // And the same refusal read again takes nothing more
        assertThat(risk.refuse("load-1")).isEmpty();
        assertThat(funds()).isZero();
    }

    @Test
    void shouldGiveAHoldBackWhenTheNetworkWasAnsweredDeclineTheLedgerRefusedItOrItExpired() {
        // Given 10.00 KES loaded and three authorizations holding all of it
        risk.decide(load("load-1", CARD, 1_000L, MORNING));
        PaymentRequest late = authorization("tx-late", CARD, 500L);
        assertThat(risk.decide(late).getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(risk.decide(authorization("tx-refused", CARD, 300L)).getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(risk.decide(authorization("tx-expired", CARD, 200L)).getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(risk.decide(authorization("tx-declined", CARD, 1L)).getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(funds()).isZero();

        // When the network was answered DECLINE for the first (risk was late), the ledger refused the second's hold
        // and the third expired unused
        risk.answer(late, Outcome.DECLINE, AuthorizationDecider.TIMEOUT_DEFAULT, null);
        assertThat(funds()).isEqualTo(500L);
        risk.refuse("tx-refused");
        assertThat(funds()).isEqualTo(800L);
        risk.providerOutcome("tx-expired", ProviderStatus.EXPIRED, StatusTransition.APPLIED);

        // Then every hold is given back, the declined one gave back nothing it did not hold, and the funds serve again
        assertThat(funds()).isEqualTo(1_000L);
        assertThat(risk.decide(authorization("tx-again", CARD, 1_000L)).getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(risk.accountUsage(dailyKey(CARD, "KES", TODAY))).isEqualTo(1_000L + 1_000L);
    }

    @Test
    void shouldHoldADeclineTheNetworkWasAnsweredApproveForEvenBelowZero() {
        // Given 1.00 KES loaded and an authorization of 5.00 declined for want of funds
        risk.decide(load("load-1", CARD, 100L, MORNING));
        PaymentRequest over = authorization("tx-1", CARD, 500L);
        assertThat(ruleIds(risk.decide(over))).containsExactly("insufficient-funds");
        assertThat(funds()).isEqualTo(100L);

        // When the network was answered APPROVE by the timeout default
        risk.answer(over, Outcome.APPROVE, AuthorizationDecider.TIMEOUT_DEFAULT, null);

        // Then it is held anyway (the network's call), below zero, and the next authorization finds less than nothing
        assertThat(funds()).isEqualTo(-400L);
        assertThat(risk.decide(authorization("tx-2", CARD, 1L)).getReasons()).singleElement().satisfies(reason ->
                assertThat(reason.getMessage()).isEqualTo("amount 0.01 KES is above the card's available funds of "
                        + "-4.00 KES"));

        // And when the ledger refuses that hold, it is given back
        risk.refuse("tx-1");
        assertThat(funds()).isEqualTo(100L);
    }

    @Test
    void shouldCreditARefundToTheCardAndTakeItBackWhenTheLedgerRefusesIt() {
        // Given 10.00 KES loaded and spent
        risk.decide(load("load-1", CARD, 1_000L, MORNING));
        risk.decide(authorization("tx-1", CARD, 1_000L));
        assertThat(funds()).isZero();

        // When 3.00 of the purchase is refunded to the card
        assertThat(risk.decide(refund("refund-1", "tx-1", 300L)).getOutcome()).isEqualTo(Outcome.APPROVE);

        // Then the card has 3.00 to spend (the refund is its own credit; the purchase stays spent)
        assertThat(funds()).isEqualTo(300L);

        // And when the ledger refuses the refund (the merchant could not fund it), the credit is taken back
        risk.refuse("refund-1");
        assertThat(funds()).isZero();
    }

    @Test
    void shouldCreditALoadInReviewOnlyOnceAnAnalystApprovesIt() {
        // Given loads above 50.00 KES go to review
        risk.publish(MERCHANT, "prepaid-v2",
                rule("large-load", "limit", "{\"interval\": \"PER_TRANSACTION\", \"limits\": {\"KES\": 5000}, "
                        + "\"accountKinds\": [\"CARD\"], \"failClosed\": false}", RuleAction.REVIEW),
                rule(DefaultRuleSet.INSUFFICIENT_FUNDS, "card-funds", "{}", RuleAction.BLOCK));
        assertThat(risk.decide(load("load-1", CARD, 6_000L, MORNING)).getOutcome()).isEqualTo(Outcome.REVIEW);
        assertThat(risk.decide(load("load-2", CARD, 7_000L, MORNING)).getOutcome()).isEqualTo(Outcome.REVIEW);

        // When nothing is resolved yet, then nothing can be spent
        assertThat(funds()).isZero();
        assertThat(risk.decide(authorization("tx-1", CARD, 100L)).getOutcome()).isEqualTo(Outcome.DECLINE);

        // When an analyst approves the first and declines the second
        risk.resolve("load-1", "resolution-1", Outcome.APPROVE);
        risk.resolve("load-2", "resolution-2", Outcome.DECLINE);

        // Then only the approved one is credited
        assertThat(funds()).isEqualTo(6_000L);
        assertThat(risk.decide(authorization("tx-2", CARD, 100L)).getOutcome()).isEqualTo(Outcome.APPROVE);
    }

    @Test
    void shouldCreditAChallengedLoadOnlyOnceThePayerPasses() {
        // Given loads above 50.00 KES ask for a step-up verification
        risk.publish(MERCHANT, "prepaid-v4",
                rule("large-load", "limit", "{\"interval\": \"PER_TRANSACTION\", \"limits\": {\"KES\": 5000}, "
                        + "\"accountKinds\": [\"CARD\"], \"failClosed\": false}", RuleAction.CHALLENGE),
                rule(DefaultRuleSet.INSUFFICIENT_FUNDS, "card-funds", "{}", RuleAction.BLOCK));
        assertThat(risk.decide(load("load-1", CARD, 6_000L, MORNING)).getOutcome()).isEqualTo(Outcome.CHALLENGE);
        assertThat(risk.decide(load("load-2", CARD, 7_000L, MORNING)).getOutcome()).isEqualTo(Outcome.CHALLENGE);

        // When nothing is completed yet, then nothing can be spent
        assertThat(funds()).isZero();

        // When the payer passes the first and fails the second
        risk.completeChallenge("load-1", "chl-1", Outcome.APPROVE, RiskDriver.WALL_CLOCK_START);
        risk.completeChallenge("load-2", "chl-2", Outcome.DECLINE, RiskDriver.WALL_CLOCK_START);

        // Then only the passed one is credited
        assertThat(funds()).isEqualTo(6_000L);
    }

    @Test
    void shouldHoldFundsAndReserveLimitsTogetherOrNeither() {
        // Given a daily limit of 70.00 KES and 30.00 KES loaded today (a load counts on the day's account counter)
        risk.publish(MERCHANT, "prepaid-v3",
                rule("card-daily", "limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": 7000}}", RuleAction.BLOCK),
                rule(DefaultRuleSet.INSUFFICIENT_FUNDS, "card-funds", "{}", RuleAction.BLOCK));
        risk.decide(load("load-1", CARD, 3_000L, MORNING));

        // When an authorization the limit covers but the funds do not comes
        RiskDecision overFunds = risk.decide(authorization("tx-1", CARD, 3_500L));

        // Then it is declined for the funds alone and reserves nothing on the limit
        assertThat(ruleIds(overFunds)).containsExactly("insufficient-funds");
        assertThat(risk.accountUsage(dailyKey(CARD, "KES", TODAY))).isEqualTo(3_000L);

        // When, with 50.00 more loaded yesterday, one the funds cover but the limit does not comes
        risk.decide(load("load-2", CARD, 5_000L, MORNING.minusSeconds(86_400)));
        RiskDecision overLimit = risk.decide(authorization("tx-2", CARD, 4_500L));

        // Then it is declined for the limit alone and holds nothing of the funds
        assertThat(ruleIds(overLimit)).containsExactly("card-daily");
        assertThat(funds()).isEqualTo(8_000L);

        // And one both cover holds on both
        assertThat(risk.decide(authorization("tx-3", CARD, 4_000L)).getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(funds()).isEqualTo(4_000L);
        assertThat(risk.accountUsage(dailyKey(CARD, "KES", TODAY))).isEqualTo(7_000L);
    }
}
