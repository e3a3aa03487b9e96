package dev.ngao.risk.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the benchmark runs, from NGAO_BENCH_* variables (bench/run.sh documents them).
 *
 * @param rates          the offered rates (requests per second) every pipeline runs at, in order
 * @param phaseDuration  how long each phase is measured
 * @param warmUp         how long each phase runs at its rate before measuring starts
 * @param pipelineWarmUp how long each pipeline runs, unmeasured, before its first phase: risk-streams' first
 *                       seconds of traffic are slower (first transactions on its many internal partitions)
 * @param maximumRate    the highest rate the search for the maximum sustained rate tries; 0 skips the search
 * @param accounts       accounts per phase, fresh in each phase, used in turn (request i on account i mod accounts)
 */
record BenchmarkSettings(List<Integer> rates, Duration phaseDuration, Duration warmUp, Duration pipelineWarmUp,
                         int maximumRate, int accounts) {

    static BenchmarkSettings fromEnvironment(Map<String, String> environment) {
        Duration phase = Duration.ofSeconds(positive(environment, "NGAO_BENCH_PHASE_SECONDS", 20));
        // A quarter of the phase, between 1 and 5 s: long enough for the producers' metadata, the consumers'
        // first fetches and the JIT, short beside the phase.
        long defaultWarmUp = Math.max(1, Math.min(5, phase.toSeconds() / 4));
        Duration warmUp = Duration.ofSeconds(positive(environment, "NGAO_BENCH_WARMUP_SECONDS", defaultWarmUp));
        Duration pipelineWarmUp = Duration.ofSeconds(positive(environment, "NGAO_BENCH_PIPELINE_WARMUP_SECONDS", 15));
        List<Integer> rates = Arrays.stream(environment.getOrDefault("NGAO_BENCH_RATES", "500,1000,2000").split(","))
                .map(String::trim).filter(rate -> !rate.isEmpty()).map(Integer::parseInt).toList();
        if (rates.isEmpty() || rates.stream().anyMatch(rate -> rate <= 0)) {
            throw new IllegalArgumentException("NGAO_BENCH_RATES must list positive rates, e.g. 500,1000,2000");
        }
        int maximumRate = (int) number(environment, "NGAO_BENCH_MAX_RATE", 60_000);
        if (maximumRate < 0) {
            throw new IllegalArgumentException("NGAO_BENCH_MAX_RATE must be 0 (no search) or positive");
        }
        int accounts = (int) positive(environment, "NGAO_BENCH_ACCOUNTS", 200_000);
        return new BenchmarkSettings(rates, phase, warmUp, pipelineWarmUp, maximumRate, accounts);
    }

    private static long positive(Map<String, String> environment, String name, long fallback) {
        long value = number(environment, name, fallback);
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    private static long number(Map<String, String> environment, String name, long fallback) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
    }
}
