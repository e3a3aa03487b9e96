package dev.ngao.risk.topology;

import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RiskSignals;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.risk.internal.RuleSetState;
import dev.ngao.rules.RuleSetFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static dev.ngao.risk.PaymentRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

/** The example rule set files of risk-streams/rulesets, published and in force in the topology. */
class ExampleRuleSetsTest {

    /** Surefire runs in the module directory. */
    private static final Path RULESETS = Path.of("rulesets");

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

    @Test
    void shouldPutTheLimaShopRuleSetInForceAndDecideWithIt() throws Exception {
        // Given the example rule set of lima-shop published on risk.rulesets
        RuleSetPublished published = RuleSetFiles.read(RULESETS.resolve("merchant-lima-shop.json"));
        risk.ruleSets.pipeInput(published.getMerchantId(), published);
        RuleSetState state = risk.ruleSetState(published.getMerchantId());
        assertThat(state.getGoodVersion()).isEqualTo(published.getVersion());

        // When the shop takes a payment within its limits, then one over its per-transaction limit
        PaymentRequest small = PaymentRequest.newBuilder(request("tx-1", "customer-1", 10_000L, "PEN",
                        Instant.parse("2026-03-10T17:00:00Z")))
                .setMerchantId(published.getMerchantId())
                .setSignals(RiskSignals.newBuilder().setClientIp("10.0.0.1").setIpCountry("PE").build())
                .build();
        RiskDecision approved = risk.decide(small);
        RiskDecision declined = risk.decide(PaymentRequest.newBuilder(small).setTransactionId("tx-2")
                .setAmount(new dev.ngao.events.Money(200_001L, "PEN")).build());

        // Then its rules decide, and the decisions name its version
        assertThat(approved.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(approved.getMerchantRuleSet()).isEqualTo(published.getMerchantId());
        assertThat(declined.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(declined.getReasons()).anySatisfy(reason -> {
            assertThat(reason.getRuleId()).isEqualTo("per-transaction-limit");
            assertThat(reason.getRuleSetVersion()).isEqualTo(published.getVersion());
        });
    }
}
