package dev.ngao.reconciler;

import dev.ngao.platform.cli.CallerFiles;
import dev.ngao.platform.cli.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** ngao reconcile's refusals: the caller's files, one line each, no stack trace, the sysexits status. */
class ReconcileCommandTest {

    @TempDir
    Path caller;

    @Test
    void shouldNameAMissingReportWithTheCallersPathWhenRunFromAnotherDirectory() throws Exception {
        // Given a secret file in the caller's directory but no report there
        Files.writeString(caller.resolve("operator.secret"), "nsk_secret\n");

        // When the report is named relative to the caller
        Result result = run(environment(), "--key-id", "ops", "--secret-file", "operator.secret",
                "mobile-money-hub", "2026-12-06", "report.csv");

        // Then it is refused in one line naming the absolute path where it was looked for
        assertThat(result.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(result.err()).isEqualTo("reconcile: no such file: " + caller.resolve("report.csv") + "\n");
    }

    @Test
    void shouldRefuseAMissingSecretFileABadDayAndWrongArgumentsInOneLine() throws Exception {
        Files.writeString(caller.resolve("report.csv"), "header\n");
        Files.writeString(caller.resolve("operator.secret"), "nsk_secret\n");

        Result noSecret = run(environment(), "--key-id", "ops", "--secret-file", "missing.secret",
                "mobile-money-hub", "2026-12-06", "report.csv");
        Result badDay = run(environment(), "--key-id", "ops", "--secret-file", "operator.secret",
                "mobile-money-hub", "06/12/2026", "report.csv");
        Result badFlag = run(environment(), "--key", "ops", "--secret-file", "operator.secret",
                "mobile-money-hub", "2026-12-06", "report.csv");

        assertThat(noSecret.err()).isEqualTo("reconcile: no such file: " + caller.resolve("missing.secret") + "\n");
        assertThat(badDay.err()).isEqualTo("reconcile: the day must be yyyy-mm-dd, not '06/12/2026'\n");
        assertThat(badFlag.err()).isEqualTo(ReconcileCommand.USAGE + "\n");
        for (Result result : new Result[] {noSecret, badDay, badFlag}) {
            assertThat(result.status()).isEqualTo(ExitStatus.USAGE);
            assertThat(result.out()).isEmpty();
        }
    }

    @Test
    void shouldReportAnUnreachableReconcilerInOneLineWithTheIoStatus() throws Exception {
        // Given a port nothing listens on
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.writeString(caller.resolve("report.csv"), "header\n");
        Files.writeString(caller.resolve("operator.secret"), "nsk_secret\n");
        Map<String, String> environment = environment();
        environment.put("NGAO_RECONCILER_HTTP_PORT", String.valueOf(port));

        // When the upload is attempted
        Result result = run(environment, "--key-id", "ops", "--secret-file", "operator.secret",
                "mobile-money-hub", "2026-12-06", "report.csv");

        // Then one line says where it could not upload, and no stack trace follows
        assertThat(result.status()).isEqualTo(ExitStatus.IO);
        assertThat(result.err()).startsWith("reconcile: cannot upload to http://127.0.0.1:" + port + "/v1/reports/")
                .endsWith("\n").doesNotContain("\tat ");
        assertThat(result.err().strip()).doesNotContain("\n");
    }

    private Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        environment.put(CallerFiles.CALLER_DIR, caller.toString());
        return environment;
    }

    private static Result run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReconcileCommand.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int status, String out, String err) {
    }
}
