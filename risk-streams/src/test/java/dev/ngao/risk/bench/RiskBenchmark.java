package dev.ngao.risk.bench;

import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.schemas.topics.Topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Risk benchmark (not a test; risk-streams/bench/run.sh documents the variables): an open-loop measurement of
 * the real risk-streams service with the shipped catalogue default.yaml in force, beside a transactional
 * consume-produce copy (exactly-once with no state and no rules), on one in-process KRaft broker in the same run.
 *
 * <p>Each phase offers a fixed arrival rate: request i is sent at its due time whether or not earlier requests
 * were answered, and its latency runs from that due time to its answer being read committed, so a pipeline that
 * falls behind shows the queue it builds instead of slowing the sender down (no coordinated omission). For each
 * rate of NGAO_BENCH_RATES the baseline runs, then risk-streams; then the search steps each pipeline's rate up
 * from the highest it sustained until it no longer keeps up.
 */
public final class RiskBenchmark {

    private static final String REGISTRY_SCOPE = "risk-bench";

    private RiskBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchmarkSettings settings = BenchmarkSettings.fromEnvironment(System.getenv());
        System.out.printf(Locale.ROOT, "risk benchmark, open loop: rates %s/s, %d s measured after %d s warm-up per "
                        + "phase (and %d s unmeasured per pipeline first), search up to %s, %,d fresh accounts per "
                        + "phase; one in-process KRaft broker%n",
                settings.rates(), settings.phaseDuration().toSeconds(), settings.warmUp().toSeconds(),
                settings.pipelineWarmUp().toSeconds(),
                settings.maximumRate() > 0 ? String.format(Locale.ROOT, "%,d/s", settings.maximumRate()) : "skipped",
                settings.accounts());
        try (KafkaTestCluster cluster = KafkaTestCluster.start()) {
            KafkaSettings kafkaSettings = cluster.settings(REGISTRY_SCOPE);
            try (KafkaContext kafka = KafkaContext.connect(kafkaSettings);
                 BaselinePipeline baseline = BaselinePipeline.start(kafka);
                 RiskStreamsPipeline risk = RiskStreamsPipeline.start(cluster, kafka, REGISTRY_SCOPE)) {
                new RiskBenchmark.Run(settings, new OpenLoopPhase(kafkaSettings,
                        kafka.serdes(Topics.PAYMENT_REQUESTS).valueSerde().serializer()), baseline, risk).run();
            }
        }
    }

    /** The phases of one benchmark, in order, and their results. */
    private static final class Run {

        private final BenchmarkSettings settings;
        private final OpenLoopPhase phase;
        private final List<Pipeline> pipelines;
        private final List<PhaseResult> results = new ArrayList<>();
        private final ResultTable table = new ResultTable(System.out);
        private int nextPhaseNumber = 1;

        Run(BenchmarkSettings settings, OpenLoopPhase phase, Pipeline baseline, Pipeline risk) {
            this.settings = settings;
            this.phase = phase;
            this.pipelines = List.of(baseline, risk);
        }

        void run() throws Exception {
            for (Pipeline pipeline : pipelines) {
                warmUp(pipeline);
            }
            for (int rate : settings.rates()) {
                for (Pipeline pipeline : pipelines) {
                    measure(pipeline, rate, PhasePlan.PhaseKind.FIXED);
                }
            }
            Map<String, RateSearch> searches = new LinkedHashMap<>();
            for (Pipeline pipeline : pipelines) {
                searches.put(pipeline.name(), new RateSearch(settings.maximumRate(), resultsOf(pipeline)));
            }
            searchAlternately(searches);
            table.summary(results, searches, settings.maximumRate());
        }

        /** One step of each pipeline's search in turn, so both see the machine in the same state. */
        private void searchAlternately(Map<String, RateSearch> searches) throws Exception {
            boolean stepped = true;
            while (stepped) {
                stepped = false;
                for (Pipeline pipeline : pipelines) {
                    RateSearch search = searches.get(pipeline.name());
                    if (search.hasNext()) {
                        search.record(measure(pipeline, search.next(), PhasePlan.PhaseKind.SEARCH));
                        stepped = true;
                    }
                }
            }
        }

        /** Runs the pipeline at the first rate for the pipeline warm-up; reported, kept out of the results. */
        private void warmUp(Pipeline pipeline) throws Exception {
            PhasePlan plan = new PhasePlan(nextPhaseNumber++, PhasePlan.PhaseKind.WARM_UP, settings.rates().get(0),
                    Duration.ZERO, settings.pipelineWarmUp(), settings.accounts());
            PhaseResult result = phase.run(pipeline, plan);
            System.out.printf(Locale.ROOT, "warm-up of %s (phase %d, not measured): %d s at %,d/s, p50 %.0f ms, "
                            + "p99 %.0f ms, %s%n", pipeline.name(), plan.number(), plan.measured().toSeconds(),
                    plan.rate(), result.p50Millis(), result.p99Millis(),
                    result.sustained() ? "kept up" : "did not keep up");
            pipeline.phaseNote().ifPresent(note -> System.out.printf(Locale.ROOT, "  %s%n", note));
        }

        private PhaseResult measure(Pipeline pipeline, int rate, PhasePlan.PhaseKind kind) throws Exception {
            PhasePlan plan = new PhasePlan(nextPhaseNumber++, kind, rate, settings.warmUp(),
                    settings.phaseDuration(), settings.accounts());
            if (plan.requestsPerAccount() > 5) {
                System.out.printf(Locale.ROOT, "  note: phase %d sends %d requests per account; the per-account "
                                + "velocity rules (5 card attempts a minute, 5 DNI payments a day) will decline or "
                                + "review some; raise NGAO_BENCH_ACCOUNTS to avoid it%n", plan.number(),
                        plan.requestsPerAccount());
            }
            PhaseResult result = phase.run(pipeline, plan);
            results.add(result);
            table.phase(result);
            pipeline.phaseNote().ifPresent(note -> System.out.printf(Locale.ROOT, "  %s%n", note));
            return result;
        }

        private List<PhaseResult> resultsOf(Pipeline pipeline) {
            return results.stream().filter(result -> result.pipeline().equals(pipeline.name())).toList();
        }
    }
}
