package dev.ngao.reconciler.report;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.TestSignedRoutes;
import dev.ngao.reconciler.view.PostedPaymentsView;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReportHttpApiTest {

    private static final String HUB = "mobile-money-hub";
    private static final long MAX_UPLOAD_BYTES = 2_048;

    @TempDir
    Path directory;

    private final List<ReconciliationBreak> sent = new ArrayList<>();
    private final List<AuditRecord> audited = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final TestSignedRoutes signed = new TestSignedRoutes();
    private final RequestSigner uploader = signed.key("ops-uploader", "ngao-operations", Scopes.REPORTS_UPLOAD);
    private Vertx vertx;
    private PostedPaymentsView view;
    private int port;

    @BeforeEach
    void start() throws Exception {
        view = PostedPaymentsView.open(directory.resolve("view"));
        vertx = Vertx.vertx();
        ReportReconciler reconciler = new ReportReconciler(view, sent::addAll, audited::addAll,
                Clock.fixed(Instant.parse("2026-11-21T02:00:00Z"), ZoneOffset.UTC), 0, directory.resolve("reports"));
        ReportHttpApi api = new ReportHttpApi(vertx, reconciler, Map.of(HUB, new TestReportFormat(HUB)),
                directory.resolve("uploads"), MAX_UPLOAD_BYTES, () -> true, signed.routes());
        HttpServer server = vertx.createHttpServer().requestHandler(api.router()).listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        view.close();
    }

    @Test
    void shouldAnswerTheRunSummaryWhenAReportIsUploaded() throws Exception {
        // Given a report with one payment the ledger lacks
        String report = TestReportFormat.HEADER + "\n" + TestReportFormat.line("PAYMENT", "R1", "t1", 100, "KES",
                ProviderStatus.SUCCEEDED, Instant.parse("2026-11-20T10:00:00Z")) + "\n";

        // When uploaded for its day
        HttpResponse<String> response = post("/v1/reports/mobile-money-hub/2026-11-20", report);

        // Then the summary says one break, it was emitted, and the upload file is gone
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject summary = new JsonObject(response.body());
        assertThat(summary.getString("runId")).isEqualTo("recon:mobile-money-hub:2026-11-20");
        assertThat(summary.getLong("breaks")).isEqualTo(1);
        assertThat(summary.getJsonObject("breaksByKind").getLong("MISSING_IN_LEDGER")).isEqualTo(1);
        assertThat(sent).hasSize(1);
        // (the file is deleted once the response has ended, so shortly after the client has it)
        assertNoUploadLeft();
        // And the run's audit record names the signed caller and the file by the SHA-256 of the body uploaded
        String bodySha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(report.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(audited).singleElement().satisfies(run -> {
            assertThat(run.getActor()).isEqualTo("ops-uploader");
            assertThat(run.getSubjectId()).isEqualTo("recon:mobile-money-hub:2026-11-20");
            assertThat(run.getDetails()).containsEntry("source", "upload").containsEntry("fileSha256", bodySha256)
                    .containsEntry("breaks", "1");
        });
    }

    @Test
    void shouldRefuseWithAProblemWhenTheRequestIsWrong() throws Exception {
        String row = TestReportFormat.line("PAYMENT", "R1", "t1", 100, "KES", ProviderStatus.SUCCEEDED,
                Instant.parse("2026-11-20T10:00:00Z"));
        // A day that is not a date, a provider without a format, a malformed line, a report over the limit
        assertProblem(post("/v1/reports/mobile-money-hub/20-11-2026", "x"), 400, "invalid-run");
        assertProblem(post("/v1/reports/other-provider/2026-11-20", "x"), 404, "unknown-provider");
        assertProblem(post("/v1/reports/mobile-money-hub/2026-11-20", TestReportFormat.HEADER + "\nPAYMENT,R1\n"),
                422, "invalid-report");
        assertProblem(post("/v1/reports/mobile-money-hub/2026-11-20",
                TestReportFormat.HEADER + "\n" + (row + "\n").repeat(40)), 413, "report-too-large");
        assertThat(sent).isEmpty();
        // Only the unreadable report started a run: audited as refused, by whom
        assertThat(audited).singleElement().satisfies(run -> {
            assertThat(run.getOutcome()).isEqualTo(dev.ngao.events.AuditOutcome.REFUSED);
            assertThat(run.getActor()).isEqualTo("ops-uploader");
        });
    }

    @Test
    void shouldRefuseAnUnsignedUploadWith401BeforeReadingItAndKeepNothing() throws Exception {
        // When a report is sent without a signature
        HttpResponse<String> response = post("/v1/reports/mobile-money-hub/2026-11-20", oneRowReport(), null);

        // Then it is refused, nothing is reconciled (or audited as a run) and no upload file stays
        assertProblem(response, 401, "missing-signature");
        assertThat(sent).isEmpty();
        assertThat(audited).isEmpty();
        assertNoUploadLeft();
    }

    @Test
    void shouldRefuseWith401WhenTheBodyIsNotTheOneSigned() throws Exception {
        // Given a signature over one report
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/reports/mobile-money-hub/2026-11-20");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString(oneRowReport() + "PAYMENT,forged\n"));
        uploader.sign("POST", uri, oneRowReport()).applyTo(request);

        // When another body is sent under it
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());

        // Then
        assertProblem(response, 401, "invalid-signature");
        assertThat(sent).isEmpty();
        assertNoUploadLeft();
    }

    @Test
    void shouldRefuseWith403WhenTheKeyMayNotUploadReports() throws Exception {
        // Given a merchant's key and an operator's read-only key, neither with reports:upload
        RequestSigner merchant = signed.key("merchant-key", "merchant-a", Scopes.PAYMENTS_WRITE, Scopes.REPORTS_READ);
        RequestSigner reader = signed.key("ops-reader", "ngao-operations", Scopes.OPERATOR_READ);

        for (RequestSigner signer : List.of(merchant, reader)) {
            // When either uploads a report
            HttpResponse<String> response = post("/v1/reports/mobile-money-hub/2026-11-20", oneRowReport(), signer);

            // Then it is refused and nothing runs
            assertProblem(response, 403, "insufficient-scope");
        }
        assertThat(sent).isEmpty();
        assertNoUploadLeft();
    }

    @Test
    void shouldLeaveHealthOpenWhenUnsigned() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/health")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
    }

    private static String oneRowReport() {
        return TestReportFormat.HEADER + "\n" + TestReportFormat.line("PAYMENT", "R1", "t1", 100, "KES",
                ProviderStatus.SUCCEEDED, Instant.parse("2026-11-20T10:00:00Z")) + "\n";
    }

    private void assertNoUploadLeft() throws Exception {
        Path uploads = directory.resolve("uploads");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            if (Files.exists(uploads)) {
                try (var files = Files.list(uploads)) {
                    assertThat(files).isEmpty();
                }
            }
        });
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, uploader);
    }

    private HttpResponse<String> post(String path, String body, RequestSigner signer) throws Exception {
        return signed.send("POST", URI.create("http://127.0.0.1:" + port + path), "text/csv", body, signer);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String typeSuffix) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(new JsonObject(response.body()).getString("type")).endsWith(typeSuffix);
    }
}
