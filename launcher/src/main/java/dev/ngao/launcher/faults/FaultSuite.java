package dev.ngao.launcher.faults;

import dev.ngao.launcher.ToolMain;
import dev.ngao.platform.cli.CallerFiles;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code ./ngao fault-suite}: the system-level fault suite. Each of its runs starts Ngao in child processes on a
 * fresh data directory, drives signed idempotent payments through the public API open loop, injects its faults
 * at random moments under that load, retries every request that got no final answer with the same
 * Idempotency-Key, lets the pipeline settle, and checks the invariants of {@link InvariantCheck} from the
 * topics, the ledger API and the provider. It prints each run's figures and exits 1 if any invariant failed.
 *
 * <pre>
 *   NGAO_FAULTS_RUNS              kills,broker,cluster (any of them, in this order)
 *   NGAO_FAULTS_KILLS             10   kill -9 of the whole embedded Ngao
 *   NGAO_FAULTS_BROKER_RESTARTS   3    kill -9 of the broker under running services
 *   NGAO_FAULTS_NODE_KILLS        3    kill -9 of one node of a three-node cluster, brought back
 *   NGAO_FAULTS_RATE              50   payments offered per second
 *   NGAO_FAULTS_UPTIME_SECONDS    5-30 a fault comes this long after the target serves again
 *   NGAO_FAULTS_DOWNTIME_SECONDS  5-20 how long a cluster node stays down
 *   NGAO_FAULTS_TAIL_SECONDS      20   load after the last recovery
 *   NGAO_FAULTS_SETTLE_SECONDS    600  longest wait for the pipeline to settle
 *   NGAO_FAULTS_SEED              random (printed): the moments, the nodes and the payment mix
 *   NGAO_FAULTS_DIR               a new temporary directory: data and logs of every run, kept
 *   NGAO_FAULTS_STREAMS_START_SECONDS  300  risk-streams' and the reconciler's start timeout (the product's: 60)
 *   NGAO_FAULTS_JAVA_OPTS         -Xmx1g: JVM options of the Ngao child processes (as ./ngao embedded's heap)
 * </pre>
 */
public final class FaultSuite {

    private FaultSuite() {
    }

    public static void main(String[] args) throws Exception {
        ToolMain.run("fault-suite", args, environment -> {
            // A directory named relative to where ngao was run from, as every file ngao is given
            Path directory = environment.containsKey("NGAO_FAULTS_DIR")
                    ? CallerFiles.of(environment).path(environment.get("NGAO_FAULTS_DIR"))
                    : Files.createTempDirectory("ngao-faults");
            // This process's own log (the sandbox's, Kafka clients') beside the runs', not in ./data/logs.
            System.setProperty("NGAO_LOG_DIR", directory.resolve("suite-logs").toString());
            boolean passed = run(environment, directory, System.out);
            System.exit(passed ? 0 : 1);
        });
    }

    /** Runs every run the environment asks for; answers whether every invariant held in all of them. */
    static boolean run(Map<String, String> environment, Path directory, PrintStream out) throws Exception {
        long seed = ToolMain.wholeNumber(environment, "NGAO_FAULTS_SEED",
                ThreadLocalRandom.current().nextLong(1, 1_000_000), Long.MIN_VALUE, Long.MAX_VALUE);
        // Every run's settings are read before the first run starts: a mistake in the last one is told at once
        List<FaultRun.Settings> planned = settings(environment, seed, directory);
        out.printf(Locale.ROOT, "Ngao fault suite: runs %s, seed %d, data and logs under %s%n",
                planned.stream().map(settings -> settings.directory().getFileName().toString()).toList(), seed,
                directory);
        List<String> failed = new ArrayList<>();
        for (FaultRun.Settings settings : planned) {
            String name = settings.directory().getFileName().toString();
            FaultRun.Kind kind = settings.kind();
            try {
                Verdict verdict = new FaultRun(settings, out).run().verdict();
                out.println();
                out.print(verdict.table("== " + name + ": " + kind.description()));
                out.println();
                if (!verdict.passed()) {
                    failed.add(name);
                }
            } catch (Exception e) {
                // A run that cannot go on (a child that never serves) is a failed run; the next one still runs.
                out.println();
                out.println("== " + name + ": could not complete: " + e);
                e.printStackTrace(out);
                out.println();
                failed.add(name);
            }
        }
        out.println(failed.isEmpty() ? "Every invariant held in every run." : "Invariants failed in: " + failed);
        return failed.isEmpty();
    }

    /**
     * The settings of every run {@code NGAO_FAULTS_RUNS} names, in its order.
     *
     * @throws IllegalArgumentException naming the variable whose value cannot be used
     */
    static List<FaultRun.Settings> settings(Map<String, String> environment, long seed, Path directory) {
        List<String> runs = Arrays.stream(environment.getOrDefault("NGAO_FAULTS_RUNS", "kills,broker,cluster")
                .split(",")).map(String::trim).filter(run -> !run.isEmpty()).toList();
        List<FaultRun.Settings> planned = new ArrayList<>();
        for (String name : runs) {
            FaultRun.Kind kind = switch (name) {
                case "kills" -> FaultRun.Kind.PROCESS_KILLS;
                case "broker" -> FaultRun.Kind.BROKER_RESTARTS;
                case "cluster" -> FaultRun.Kind.CLUSTER_NODE_KILLS;
                default -> throw new IllegalArgumentException("NGAO_FAULTS_RUNS: unknown run '" + name
                        + "': expected kills, broker or cluster");
            };
            int faults = integer(environment, switch (kind) {
                case PROCESS_KILLS -> "NGAO_FAULTS_KILLS";
                case BROKER_RESTARTS -> "NGAO_FAULTS_BROKER_RESTARTS";
                case CLUSTER_NODE_KILLS -> "NGAO_FAULTS_NODE_KILLS";
            }, kind == FaultRun.Kind.PROCESS_KILLS ? 10 : 3);
            planned.add(new FaultRun.Settings(kind, faults,
                    ToolMain.positiveNumber(environment, "NGAO_FAULTS_RATE", 50), seed,
                    range(environment, "NGAO_FAULTS_UPTIME_SECONDS", "5-30"),
                    range(environment, "NGAO_FAULTS_DOWNTIME_SECONDS", "5-20"),
                    Duration.ofSeconds(integer(environment, "NGAO_FAULTS_TAIL_SECONDS", 20)),
                    Duration.ofSeconds(integer(environment, "NGAO_FAULTS_SETTLE_SECONDS", 600)),
                    Duration.ofMinutes(10),
                    Duration.ofSeconds(integer(environment, "NGAO_FAULTS_STREAMS_START_SECONDS", 300)),
                    Arrays.stream(environment.getOrDefault("NGAO_FAULTS_JAVA_OPTS", "-Xmx1g").split("\\s+"))
                            .filter(option -> !option.isBlank()).toList(),
                    directory.resolve(name)));
        }
        return planned;
    }

    private static int integer(Map<String, String> environment, String name, int fallback) {
        String value = environment.get(name);
        try {
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number: " + value, e);
        }
    }

    /** {@code MIN-MAX} seconds (or one number). */
    static FaultRun.Range range(Map<String, String> environment, String name, String fallback) {
        String value = environment.getOrDefault(name, fallback).trim();
        String[] bounds = value.split("-");
        try {
            long min = Long.parseLong(bounds[0].trim());
            long max = bounds.length > 1 ? Long.parseLong(bounds[1].trim()) : min;
            if (bounds.length > 2 || min < 0 || max < min) {
                throw new NumberFormatException(value);
            }
            return new FaultRun.Range(Duration.ofSeconds(min), Duration.ofSeconds(max));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be MIN-MAX seconds: " + value, e);
        }
    }
}
