package dev.ngao.launcher;

import dev.ngao.platform.cli.CallerFiles;
import dev.ngao.platform.cli.ExitStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ngao} command run as a user runs it: a process of its own, started from a directory that is not
 * the caller's (the script changes to the project's), with {@code NGAO_CALLER_DIR} naming where the caller
 * stands. A mistake (a bad flag or value, a missing file) must come back as one line on stderr, never a stack
 * trace, with a non-zero status; a file named relative to the caller must be looked for there.
 */
class CommandLineRefusalsIT {

    @TempDir
    static Path caller;
    @TempDir
    static Path elsewhere;

    @BeforeAll
    static void callersFiles() throws IOException {
        Files.writeString(caller.resolve("demo.secret"), "nsk_demo-secret-0123456789abcdefghij\n");
        Files.writeString(caller.resolve("payment.json"), "{\"amount\":\"1.00\"}");
        Files.writeString(caller.resolve("report.csv"), "header\n");
    }

    static Stream<Arguments> refusals() {
        int usage = ExitStatus.USAGE;
        return Stream.of(
                Arguments.of(List.of("frobnicate"), usage, "ngao: unknown command frobnicate"),
                Arguments.of(List.of("embedded", "--demos"), usage, "ngao embedded: takes --demo or nothing, not --demos"),
                Arguments.of(List.of("service", "billing"), ExitStatus.CONFIG, "unknown service 'billing'"),
                Arguments.of(List.of("sign", "--key-id", "demo", "--secret-file", "missing.secret", "GET", "/v1/x"),
                        usage, "no such file: {caller}/missing.secret"),
                Arguments.of(List.of("sign", "--key-id", "demo", "--secret-file", "demo.secret", "POST", "/v1/payments",
                        "missing.json"), usage, "no such file: {caller}/missing.json"),
                Arguments.of(List.of("sign", "--key", "demo", "GET", "/v1/x"), usage, "unknown option --key"),
                Arguments.of(List.of("keys", "create", "--merchant", "acme", "--colour", "blue"), usage,
                        "unknown option --colour; run ngao keys for its usage"),
                Arguments.of(List.of("keys", "create", "--merchant", "acme", "--valid-days", "soon"), usage,
                        "--valid-days must be a whole number"),
                Arguments.of(List.of("keys", "rotate"), usage, "give exactly one KEY_ID"),
                Arguments.of(List.of("keys", "burn", "key_1"), usage, "unknown keys command burn"),
                Arguments.of(List.of("keys", "list"), ExitStatus.CONFIG, "is not set and no embedded master key is in"),
                Arguments.of(List.of("users", "add", "--username", "ana", "--role", "wizard", "--key", "k"), usage,
                        "role must be analyst or operator"),
                Arguments.of(List.of("users", "add", "--username", "ana", "--badge", "1"), usage, "unknown option --badge"),
                Arguments.of(List.of("tail", "no.such-topic"), usage, "no.such-topic"),
                Arguments.of(List.of("tail", "risk.decisions", "--max", "many"), usage, "--max must be a positive whole number"),
                Arguments.of(List.of("explain"), usage, "usage: ngao explain TRANSACTION_ID"),
                // Past its checks, a command that cannot reach the cluster says so in one line too
                Arguments.of(List.of("explain", "txn_1"), ExitStatus.IO, "ngao: SchemaRegistryException: "),
                Arguments.of(List.of("backtest", "--candidate", "missing.yaml"), usage,
                        "backtest: no such file: {caller}/missing.yaml"),
                Arguments.of(List.of("backtest", "--candidate", "missing.yaml", "--examples", "lots"), usage,
                        "--examples must be a whole number"),
                Arguments.of(List.of("reconcile", "--key-id", "ops", "--secret-file", "demo.secret", "mobile-money-hub",
                        "2026-12-06", "missing.csv"), usage, "reconcile: no such file: {caller}/missing.csv"),
                Arguments.of(List.of("reconcile", "--key-id", "ops", "--secret-file", "missing.secret", "mobile-money-hub",
                        "2026-12-06", "report.csv"), usage, "reconcile: no such file: {caller}/missing.secret"),
                Arguments.of(List.of("reconcile", "--key-id", "ops"), usage, "usage: ngao reconcile"),
                Arguments.of(List.of("ledger-verify", "missing-ledger"), usage,
                        "ledger-verify: no such directory: {caller}/missing-ledger"),
                Arguments.of(List.of("ledger-verify", "--fix"), usage, "usage: ngao ledger-verify"));
    }

    @ParameterizedTest(name = "ngao {0}")
    @MethodSource("refusals")
    void shouldRefuseInOneLineWithoutAStackTrace(List<String> arguments, int status, String message) throws Exception {
        // When the command is run from another directory than the caller's
        Run run = ngao(arguments);

        // Then stderr is one line saying what is wrong (files named where the caller stands), with the status
        String expected = message.replace("{caller}", caller.toString());
        assertThat(run.err().strip()).as("stderr of ngao %s", arguments)
                .contains(expected)
                .doesNotContain("\n", "\tat ", "Exception in thread");
        assertThat(run.status()).as("exit status of ngao %s", arguments).isEqualTo(status);
    }

    /** The benchmarks and the fault suite, whose settings are variables: run as the script runs them. */
    static Stream<Arguments> environmentTools() {
        int config = ExitStatus.CONFIG;
        return Stream.of(
                Arguments.of("dev.ngao.launcher.Ngao", List.of("bench-ingest"), "NGAO_BENCH_ROUNDS", "0", config,
                        "ngao bench-ingest: NGAO_BENCH_ROUNDS must be from 1 to 1000, not 0"),
                Arguments.of("dev.ngao.launcher.bench.OpenLoopIngestBenchmark", List.of(), "NGAO_BENCH_RATES", "fast", config,
                        "ngao bench-ingest-open: NGAO_BENCH_RATES must be positive numbers separated by commas, not 'fast'"),
                Arguments.of("dev.ngao.launcher.bench.EndToEndBenchmark", List.of(), "NGAO_BENCH_E2E_SECONDS", "-5", config,
                        "ngao bench-e2e: NGAO_BENCH_E2E_SECONDS must be from 1 to 3600, not -5"),
                Arguments.of("dev.ngao.launcher.bench.CardAuthorizationBenchmark", List.of(), "NGAO_BENCH_CARDS_RATES",
                        "200,0", config, "ngao bench-cards: NGAO_BENCH_CARDS_RATES must be positive numbers"),
                Arguments.of("dev.ngao.launcher.bench.MemoryBenchmark", List.of(), "NGAO_BENCH_MEMORY_MINUTES", "ten",
                        config, "ngao bench-memory: NGAO_BENCH_MEMORY_MINUTES must be a whole number, not 'ten'"),
                Arguments.of("dev.ngao.launcher.faults.FaultSuite", List.of(), "NGAO_FAULTS_RUNS", "floods",
                        config, "ngao fault-suite: NGAO_FAULTS_RUNS: unknown run 'floods'"),
                // (each fault suite case names no run it could start, should its refusal ever be missed)
                Arguments.of("dev.ngao.launcher.faults.FaultSuite", List.of("--runs", "kills"), "NGAO_FAULTS_RUNS",
                        "floods", ExitStatus.USAGE, "ngao fault-suite: takes no arguments, its settings are NGAO_* variables"));
    }

    @ParameterizedTest(name = "{0} {1} {2}={3}")
    @MethodSource("environmentTools")
    void shouldRefuseABadSettingInOneLineNamingItsVariable(String mainClass, List<String> arguments, String variable,
                                                          String value, int status, String message) throws Exception {
        // When the tool is run with a setting it cannot use (or an argument it does not take)
        Run run = java(mainClass, arguments, Map.of(variable, value));

        // Then it says which in one line and stops before running anything
        assertThat(run.err().strip()).as("stderr of %s", mainClass).contains(message)
                .doesNotContain("\n", "\tat ", "Exception in thread");
        assertThat(run.status()).isEqualTo(status);
    }

    @Test
    void shouldSignWithFilesNamedRelativeToTheCaller() throws Exception {
        // When a request is signed with a secret and a body named relative to the caller's directory
        Run run = ngao(List.of("sign", "--key-id", "demo", "--secret-file", "demo.secret", "POST", "/v1/payments",
                "payment.json"));

        // Then both are found there and the four headers are printed
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out().lines()).hasSize(4).anyMatch(line -> line.startsWith("X-Ngao-Key-Id: demo"));
    }

    private static Run ngao(List<String> arguments) throws Exception {
        return java(Ngao.class.getName(), arguments, Map.of());
    }

    private static Run java(String mainClass, List<String> arguments, Map<String, String> variables) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(elsewhere.toFile())
                .redirectOutput(elsewhere.resolve("out.txt").toFile())
                .redirectError(elsewhere.resolve("err.txt").toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("NGAO_"));
        environment.put(CallerFiles.CALLER_DIR, caller.toString());
        // Nothing listens there: a command that got past its checks would fail to connect, not reach a cluster
        environment.put("NGAO_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");
        environment.put("NGAO_DATA_DIR", elsewhere.resolve("data").toString());
        environment.putAll(variables);
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("ngao " + arguments + " did not end");
        }
        return new Run(process.exitValue(), Files.readString(elsewhere.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(elsewhere.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private record Run(int status, String out, String err) {
    }
}
