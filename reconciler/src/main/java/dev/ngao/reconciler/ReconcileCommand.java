package dev.ngao.reconciler;

import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.auth.RequestSigning;
import dev.ngao.platform.cli.CallerFiles;
import dev.ngao.platform.cli.ExitStatus;
import dev.ngao.platform.cli.OneLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The on-demand reconciliation: sends a provider's settlement report file to the running reconciler's upload
 * API ({@code POST /v1/reports/{provider}/{day}}) and prints the run's summary. The running reconciler does the
 * work, because its ledger view is the one kept up to date (and one process owns its RocksDB).
 *
 * <pre>
 * ngao reconcile --key-id ID --secret-file FILE &lt;provider&gt; &lt;yyyy-mm-dd&gt; &lt;report.csv&gt;
 * </pre>
 * The upload is signed with the API key (it needs the scope {@code reports:upload}); the file holds the key's
 * secret. The API is found at {@code NGAO_RECONCILER_HTTP_HOST}:{@code NGAO_RECONCILER_HTTP_PORT}
 * (127.0.0.1:8083). File names are the caller's ({@link CallerFiles}). Exit status: 0 when the run completed (the
 * summary says whether the day is clean), 1 when the reconciler refused or failed the run, {@value ExitStatus#USAGE}
 * for wrong arguments or a file that cannot be read, {@value ExitStatus#IO} when the upload could not be made
 * (the reconciler unreachable); every error is one line.
 */
public final class ReconcileCommand {

    public static final String USAGE = "usage: ngao reconcile --key-id ID --secret-file FILE <provider> <yyyy-mm-dd> <report.csv>";
    static final int REFUSED = 1;
    private static final Duration TIMEOUT = Duration.ofHours(1);

    private ReconcileCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.length != 7 || !args[0].equals("--key-id") || !args[2].equals("--secret-file")) {
            err.println(USAGE);
            return ExitStatus.USAGE;
        }
        RequestSigner signer;
        LocalDate day;
        Path report;
        URI uri;
        try {
            CallerFiles files = CallerFiles.of(environment);
            signer = new RequestSigner(args[1], files.text(args[3]).trim());
            day = day(args[5]);
            report = files.readableFile(args[6]);
            uri = ReconcilerConfig.uploadBaseUri(environment).resolve("/v1/reports/" + args[4] + "/" + day);
        } catch (IllegalArgumentException e) {
            err.println("reconcile: " + e.getMessage());
            return ExitStatus.USAGE;
        }
        try {
            HttpResponse<String> response = upload(uri, report, signer);
            if (response.statusCode() != 200) {
                err.println("reconciliation refused (HTTP " + response.statusCode() + "): "
                        + OneLine.of(response.body()));
                return REFUSED;
            }
            out.println(response.body());
            return 0;
        } catch (IOException e) {
            err.println("reconcile: cannot upload to " + uri + ": " + OneLine.of(e));
            return ExitStatus.IO;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return REFUSED;
        }
    }

    private static LocalDate day(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the day must be yyyy-mm-dd, not '" + text + "'");
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
