package dev.ngao.risk.topology;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleAction;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.ngao.risk.PaymentRequests.request;
import static dev.ngao.risk.topology.AccountStageTest.MORNING;
import static dev.ngao.risk.topology.AccountStageTest.TODAY;
import static dev.ngao.risk.topology.AccountStageTest.dailyKey;
import static dev.ngao.risk.topology.RiskDriver.rule;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An approved payment the ledger refused for want of funds never moves money: risk makes it the payment's final
 * DECLINE (LEDGER_REFUSAL, reason insufficient-funds) and gives back what the approval reserved.
 */
class LedgerRefusalTest {

    private static final String MERCHANT = "merchant-1";

    @TempDir
    Path stateDirectory;

    private RiskDriver risk;

    @BeforeEach
    void start() {
        risk = new RiskDriver(stateDirectory);
        risk.publish(MERCHANT, "payouts-v1", rule("daily", "limit",
                "{\"interval\": \"DAY\", \"limits\": {\"KES\": 10000}}", RuleAction.BLOCK));
    }

    @AfterEach
    void stop() {
        assertThat(risk.deadLetters.isEmpty()).isTrue();
        risk.close();
    }

    private static PaymentRequest payout(String transactionId, long amountMinor) {
        return PaymentRequest.newBuilder(request(transactionId, "wallet-1", amountMinor, "KES", MORNING))
                .setType(PaymentType.MOBILE_MONEY_PAYOUT)
                .build();
    }

    private long walletUsage() {
        return risk.accountUsage(dailyKey("wallet-1", "KES", TODAY));
    }

    @Test
    void shouldDeclineAnApprovedPayoutTheLedgerRefusedAndReleaseItsReservation() {
        // Given a payout risk approved and reserved
        PaymentRequest payout = payout("tx-1", 6_000L);
        assertThat(risk.decide(payout).getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(walletUsage()).isEqualTo(6_000L);

        // When the ledger refuses it for want of funds, and the refusal is delivered again
        List<RiskDecision> settled = risk.refuse("tx-1");
        List<RiskDecision> again = risk.refuse("tx-1");

        // Then one final DECLINE says why, and the reservation is given back
        assertThat(settled).singleElement().satisfies(decision -> {
            assertThat(decision.getKind()).isEqualTo(DecisionKind.LEDGER_REFUSAL);
            assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
            assertThat(decision.getType()).isEqualTo(PaymentType.MOBILE_MONEY_PAYOUT);
            assertThat(decision.getReasons()).extracting(DecisionReason::getRuleId, DecisionReason::getOutcome)
                    .contains(Tuple.tuple(LifecycleProcessor.INSUFFICIENT_FUNDS, Outcome.DECLINE));
        });
        assertThat(again).isEmpty();
        assertThat(walletUsage()).isZero();
        // So the next payout the limit allows is approved again
        assertThat(risk.decide(payout("tx-2", 9_000L)).getOutcome()).isEqualTo(Outcome.APPROVE);
    }

    @Test
    void shouldFollowARefusalReadBeforeTheApproval() {
        PaymentRequest payout = payout("tx-1", 6_000L);
        assertThat(risk.refuse("tx-1")).isEmpty();

        List<RiskDecision> written = risk.send(payout);

        assertThat(written).extracting(RiskDecision::getKind, RiskDecision::getOutcome).containsExactly(
                Tuple.tuple(DecisionKind.INITIAL, Outcome.APPROVE),
                Tuple.tuple(DecisionKind.LEDGER_REFUSAL, Outcome.DECLINE));
        assertThat(walletUsage()).isZero();
    }

    @Test
    void shouldDeclineAnApprovedRefundTheLedgerRefused() {
        PaymentRequest refund = PaymentRequest.newBuilder(request("refund-1", "wallet-1", 500L, "KES", MORNING))
                .setType(PaymentType.REFUND)
                .setOriginalTransactionId("tx-0")
                .build();
        assertThat(risk.decide(refund).getOutcome()).isEqualTo(Outcome.APPROVE);

        assertThat(risk.refuse("refund-1")).singleElement().satisfies(decision -> {
            assertThat(decision.getKind()).isEqualTo(DecisionKind.LEDGER_REFUSAL);
            assertThat(decision.getOutcome()).isEqualTo(Outcome.DECLINE);
        });
    }
}
