package dev.ngao.reconciler;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

/**
 * The on-demand reconciliation: sends a provider's settlement report file to the running reconciler's upload
 * API ({@code POST /v1/reports/{provider}/{day}}) and prints the run's summary. The running reconciler does the
 * work, because its ledger view is the one kept up to date (and one process owns its RocksDB).
 *
 * <pre>
 * java -cp ... dev.ngao.reconciler.ReconcileCommand &lt;provider&gt; &lt;yyyy-mm-dd&gt; &lt;report.csv&gt;
 * </pre>
 * The API is found at {@code NGAO_RECONCILER_HTTP_HOST}:{@code NGAO_RECONCILER_HTTP_PORT} (127.0.0.1:8083).
 * Exit status: 0 when the run completed (the summary says whether the day is clean), 1 when it could not run.
 */
public final class ReconcileCommand {

    private static final Duration TIMEOUT = Duration.ofHours(1);

    private ReconcileCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.length != 3) {
            err.println("usage: ReconcileCommand <provider> <yyyy-mm-dd> <report.csv>");
            return 1;
        }
        ReconcilerConfig config = ReconcilerConfig.fromEnvironment(environment);
        String host = config.httpHost().contains(":") ? "[" + config.httpHost() + "]" : config.httpHost();
        try {
            LocalDate day = LocalDate.parse(args[1]);
            Path report = Path.of(args[2]);
            if (!Files.isRegularFile(report)) {
                err.println("no report file at " + report);
                return 1;
            }
            URI uri = URI.create("http://" + host + ":" + config.httpPort() + "/v1/reports/" + args[0] + "/" + day);
            HttpResponse<String> response = upload(uri, report);
            if (response.statusCode() != 200) {
                err.println("reconciliation refused (HTTP " + response.statusCode() + "): " + response.body());
                return 1;
            }
            out.println(response.body());
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("reconciliation failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        }
    }

    private static HttpResponse<String> upload(URI uri, Path report) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofFile(report))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
