package dev.ngao.risk.bench;

import dev.ngao.events.Outcome;
import dev.ngao.events.RuleSetPublished;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The decision-core benchmark's harness, run small: what it reports must be what ran (no timing asserted). */
class DecisionCoreBenchmarkTest {

    private static final int REQUESTS = 2_000;
    private static final int ACCOUNTS = 400;

    @Test
    void shouldDecideEveryRequestUnderTheCatalogueAndCountWhatItWrote() throws Exception {
        // Given the shipped catalogue and a small round of the benchmark's traffic
        RuleSetPublished catalogue = RuleSetInForce.read();
        PhasePlan plan = new PhasePlan(1, PhasePlan.PhaseKind.FIXED, 1_000, Duration.ZERO,
                Duration.ofMillis(REQUESTS), ACCOUNTS);

        // When the core and the baseline run it
        DecisionCoreBenchmark.Result core = DecisionCoreBenchmark.run(plan, REQUESTS, catalogue);
        DecisionCoreBenchmark.Result baseline = DecisionCoreBenchmark.run(plan, REQUESTS, null);

        // Then every request and every card load got exactly its decisions, the catalogue's declines among them
        int cards = ACCOUNTS / 4;
        int decided = core.outcomes().values().stream().mapToInt(Integer::intValue).sum();
        assertThat(decided).isEqualTo(REQUESTS + cards);
        assertThat(core.outcomes().get(Outcome.APPROVE)).isGreaterThan(REQUESTS / 2);
        assertThat(core.outcomes()).containsKey(Outcome.DECLINE);
        // ...what it wrote is counted per topic, the decision task's changelogs included
        assertThat(core.written().get("risk.decisions")).isEqualTo((double) (REQUESTS + cards) / REQUESTS);
        assertThat(core.written()).containsKeys("risk.signals", "ngao-core-bench-transactions-changelog",
                "ngao-core-bench-account-signals-changelog");
        // ...and the baseline copies each request once, deciding nothing
        assertThat(baseline.written()).containsExactlyEntriesOf(java.util.Map.of("bench.copy", 1.0));
        assertThat(baseline.outcomes()).isEmpty();
        assertThat(core.cpuNanosPerRequest()).isPositive();
        assertThat(core.bytesPerRequest()).isGreaterThan(baseline.bytesPerRequest());
    }
}
