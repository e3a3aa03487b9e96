package dev.ngao.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/prometheus as Prometheus reads it: {@code promtool check rules} (syntax, PromQL, templates) and
 * {@code promtool test rules} (the unit tests of every alert, with series that fire it and series that must
 * not). Needs promtool on the PATH (Debian's {@code prometheus} package, which .ci/run installs where apt can);
 * skipped without it.
 */
class PromtoolTest {

    private static final long TIMEOUT_SECONDS = 300;
    private static final String NOT_INSTALLED = "promtool is not installed: Prometheus' own checks of "
            + "deploy/prometheus skipped (apt-get install prometheus provides it)";

    private static boolean promtool;

    record Result(int exitCode, String output) {
    }

    @BeforeAll
    static void findPromtool() throws InterruptedException {
        try {
            promtool = run(List.of("promtool", "--version")).exitCode() == 0;
        } catch (IOException notInstalled) {
            promtool = false;
        }
    }

    @Test
    void shouldAcceptTheRuleFile() throws Exception {
        assumeTrue(promtool, NOT_INSTALLED);

        Result result = run(List.of("promtool", "check", "rules", AlertRules.RULES.toString()));

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void shouldPassTheAlertsUnitTests() throws Exception {
        assumeTrue(promtool, NOT_INSTALLED);

        Result result = run(List.of("promtool", "test", "rules", AlertRules.UNIT_TESTS.toString()));

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    /** Runs {@code command} in deploy/prometheus, its output to a file so a long one cannot fill a pipe. */
    private static Result run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("promtool", ".out");
        try {
            Process process = new ProcessBuilder(command).directory(AlertRules.DIRECTORY.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS
                        + " s");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
