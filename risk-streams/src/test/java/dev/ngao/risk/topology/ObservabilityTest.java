package dev.ngao.risk.topology;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RiskSignals;
import dev.ngao.events.RuleAction;
import dev.ngao.platform.observability.Traceparent;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.ngao.risk.PaymentRequests.request;
import static dev.ngao.risk.topology.AccountStageTest.MORNING;
import static dev.ngao.risk.topology.RiskDriver.rule;
import static org.assertj.core.api.Assertions.assertThat;

/** The trace of a request reaches its decision through every stage; decisions and rule matches are counted. */
class ObservabilityTest {

    private static final String MERCHANT = "merchant-1";

    @TempDir
    Path stateDirectory;
    private RiskDriver risk;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        Metrics.addRegistry(meters);
        risk = new RiskDriver(stateDirectory);
    }

    @AfterEach
    void stop() {
        risk.close();
        Metrics.removeRegistry(meters);
    }

    @Test
    void shouldCarryTheRequestsTraceToItsDecisionWhenItPassesTheAccountAndIpStages() {
        // Given an IP rule, so the decision waits for the IP stage's verdict through its repartition topic
        risk.publish(MERCHANT, "velocity-v1", rule("ip-per-hour", "velocity-count",
                "{\"dimension\": \"IP\", \"windowSeconds\": 3600, \"max\": 5}", RuleAction.BLOCK));
        PaymentRequest request = PaymentRequest.newBuilder(request("tx-1", "acct-a", 1_000L, "KES", MORNING))
                .setSignals(RiskSignals.newBuilder().setClientIp("10.0.0.1").build()).build();
        Traceparent trace = Traceparent.newTrace();
        RecordHeaders headers = new RecordHeaders();
        trace.writeTo(headers);

        // When the request arrives with ingest's trace header
        risk.requests.pipeInput(new TestRecord<>(request.getAccountId(), request, headers, MORNING));

        // Then its decision carries the same trace
        TestRecord<String, RiskDecision> decision = risk.decisions.readRecord();
        assertThat(decision.key()).isEqualTo("tx-1");
        assertThat(Traceparent.from(decision.headers())).contains(trace);
    }

    @Test
    void shouldWriteNoTraceWhenTheRequestCameWithout() {
        // When a request without a trace header is decided
        risk.requests.pipeInput(new TestRecord<>("acct-a", request("tx-1", "acct-a", 1_000L, "KES", MORNING),
                new RecordHeaders(), MORNING));

        // Then the decision has none either (nothing is invented downstream of ingest)
        assertThat(Traceparent.from(risk.decisions.readRecord().headers())).isEmpty();
    }

    @Test
    void shouldCountDecisionsByOutcomeAndMatchedRulesWhenDecided() {
        // When one payment is approved and one is over the built-in per-transaction limit
        risk.decide(request("tx-1", "acct-a", 1_000L, "KES", MORNING));
        RiskDecision declined = risk.decide(request("tx-2", "acct-b", RiskDriver.KES_PER_TRANSACTION + 1,
                "KES", MORNING));

        // Then each outcome is counted once, and the rule that declined by its id
        assertThat(meters.get(DecisionMetrics.DECISIONS).tags("outcome", "approve", "kind", "initial").counter()
                .count()).isEqualTo(1.0);
        assertThat(meters.get(DecisionMetrics.DECISIONS).tags("outcome", "decline", "kind", "initial").counter()
                .count()).isEqualTo(1.0);
        String ruleId = declined.getReasons().get(0).getRuleId();
        assertThat(meters.get(DecisionMetrics.RULE_MATCHES).tags("rule", ruleId, "shadow", "false").counter()
                .count()).isEqualTo(1.0);
    }
}
