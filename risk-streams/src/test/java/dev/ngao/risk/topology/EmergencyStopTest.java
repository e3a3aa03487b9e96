package dev.ngao.risk.topology;

import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StopScope;
import dev.ngao.events.StopTraffic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.ngao.risk.PaymentRequests.request;
import static dev.ngao.risk.topology.AccountStageTest.MORNING;
import static dev.ngao.risk.topology.AccountStageTest.TODAY;
import static dev.ngao.risk.topology.AccountStageTest.dailyKey;
import static dev.ngao.risk.topology.AccountStageTest.ruleIds;
import static org.assertj.core.api.Assertions.assertThat;

/** An operator's emergency stop declines what it covers, with its own reason, until it is lifted. */
class EmergencyStopTest {

    @TempDir
    Path stateDirectory;

    private RiskDriver risk;
    private int sequence;

    @BeforeEach
    void start() {
        risk = new RiskDriver(stateDirectory);
    }

    @AfterEach
    void stop() {
        risk.close();
    }

    private PaymentRequest payment(PaymentType type, String merchant, String provider) {
        sequence++;
        return PaymentRequest.newBuilder(request("tx-" + sequence, "wallet-" + sequence, 1_000L, "KES", MORNING))
                .setType(type).setMerchantId(merchant).setProvider(provider).build();
    }

    private Outcome decide(PaymentType type, String merchant, String provider) {
        return risk.decide(payment(type, merchant, provider)).getOutcome();
    }

    @Test
    void shouldHaltAMerchantsPayoutsOnlyUntilTheStopIsLifted() {
        // Given payouts halted for merchant-1
        risk.stop(StopScope.MERCHANT, "merchant-1", StopTraffic.PAYOUTS, true);

        // When it pays out, collects, and another merchant pays out
        RiskDecision payout = risk.decide(payment(PaymentType.MOBILE_MONEY_PAYOUT, "merchant-1", "mobile-money-hub"));

        // Then only merchant-1's money going out is declined, for the stop, and nothing is reserved
        assertThat(payout.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(ruleIds(payout)).containsExactly(EmergencyStops.REASON_ID);
        assertThat(payout.getReasons().get(0).getMessage())
                .contains("payouts are halted for merchant merchant-1", "mass chargebacks under investigation");
        assertThat(risk.accountUsage(dailyKey(payout.getAccountId(), "KES", TODAY))).isZero();
        assertThat(decide(PaymentType.REFUND, "merchant-1", "mobile-money-hub")).isEqualTo(Outcome.DECLINE);
        assertThat(decide(PaymentType.MOBILE_MONEY_COLLECTION, "merchant-1", "mobile-money-hub"))
                .isEqualTo(Outcome.APPROVE);
        assertThat(decide(PaymentType.MOBILE_MONEY_PAYOUT, "merchant-2", "mobile-money-hub"))
                .isEqualTo(Outcome.APPROVE);

        // When the stop is lifted, its payouts go through again
        risk.stop(StopScope.MERCHANT, "merchant-1", StopTraffic.PAYOUTS, false);
        assertThat(decide(PaymentType.MOBILE_MONEY_PAYOUT, "merchant-1", "mobile-money-hub"))
                .isEqualTo(Outcome.APPROVE);
    }

    @Test
    void shouldHaltAllTrafficOfAProviderAndEverythingUnderAGlobalStop() {
        risk.stop(StopScope.PROVIDER, "pagoefectivo", StopTraffic.ALL, true);

        assertThat(decide(PaymentType.CIP_PAYMENT, "merchant-1", "pagoefectivo")).isEqualTo(Outcome.DECLINE);
        assertThat(decide(PaymentType.MOBILE_MONEY_COLLECTION, "merchant-1", "mobile-money-hub"))
                .isEqualTo(Outcome.APPROVE);

        risk.stop(StopScope.GLOBAL, null, StopTraffic.ALL, true);
        assertThat(decide(PaymentType.MOBILE_MONEY_COLLECTION, "merchant-3", "mobile-money-hub"))
                .isEqualTo(Outcome.DECLINE);

        risk.stop(StopScope.GLOBAL, null, StopTraffic.ALL, false);
        risk.stop(StopScope.PROVIDER, "pagoefectivo", StopTraffic.ALL, false);
        assertThat(decide(PaymentType.CIP_PAYMENT, "merchant-1", "pagoefectivo")).isNotEqualTo(Outcome.DECLINE);
    }
}
