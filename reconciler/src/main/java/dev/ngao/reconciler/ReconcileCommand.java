package dev.ngao.reconciler;

import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.auth.RequestSigning;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Map;

/**
 * The on-demand reconciliation: sends a provider's settlement report file to the running reconciler's upload
 * API ({@code POST /v1/reports/{provider}/{day}}) and prints the run's summary. The running reconciler does the
 * work, because its ledger view is the one kept up to date (and one process owns its RocksDB).
 *
 * <pre>
 * java -cp ... dev.ngao.reconciler.ReconcileCommand --key-id ID --secret-file FILE &lt;provider&gt; &lt;yyyy-mm-dd&gt; &lt;report.csv&gt;
 * </pre>
 * The upload is signed with the API key (it needs the scope {@code reports:upload}); the file holds the key's
 * secret. The API is found at {@code NGAO_RECONCILER_HTTP_HOST}:{@code NGAO_RECONCILER_HTTP_PORT}
 * (127.0.0.1:8083). Exit status: 0 when the run completed (the summary says whether the day is clean), 1 when
 * it could not run.
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
        if (args.length != 7 || !args[0].equals("--key-id") || !args[2].equals("--secret-file")) {
            err.println("usage: ReconcileCommand --key-id ID --secret-file FILE <provider> <yyyy-mm-dd> <report.csv>");
            return 1;
        }
        try {
            RequestSigner signer = new RequestSigner(args[1],
                    Files.readString(Path.of(args[3]), StandardCharsets.UTF_8).trim());
            LocalDate day = LocalDate.parse(args[5]);
            Path report = Path.of(args[6]);
            if (!Files.isRegularFile(report)) {
                err.println("no report file at " + report);
                return 1;
            }
            URI uri = ReconcilerConfig.uploadBaseUri(environment).resolve("/v1/reports/" + args[4] + "/" + day);
            HttpResponse<String> response = upload(uri, report, signer);
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

    private static HttpResponse<String> upload(URI uri, Path report, RequestSigner signer)
            throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofFile(report));
        signer.signBodyHash("POST", RequestSigning.pathAndQuery(uri), sha256Hex(report)).applyTo(request);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The file's SHA-256, read in chunks: a report may be far larger than memory should hold. */
    private static String sha256Hex(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
