package dev.ngao.reconciler.report;

import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.SignedRequestGuard;
import dev.ngao.platform.auth.SignedRoutes;
import dev.ngao.platform.http.Problems;
import dev.ngao.providers.report.ReportFormatException;
import dev.ngao.providers.report.SettlementReportFormat;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Report upload: {@code POST /v1/reports/{provider}/{day}} with the provider's CSV as the body. The body is
 * streamed to a file (never held in memory, at most the configured size), then reconciled off the event loop;
 * the answer is the run's summary. {@code GET /health} says whether the ledger view is being kept up to date and the
 * Kafka Streams applications still run.
 *
 * <p>Uploads are signed requests of a key with {@code reports:upload} (operators). The signature headers
 * and timestamp are checked before a byte of the body is read; the body's SHA-256 is computed while it is
 * streamed to disk, and the signature, nonce and scope are checked against it before the run starts. A
 * refused upload's file is deleted.
 */
public final class ReportHttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(ReportHttpApi.class);
    static final String UPLOAD_PATH = "/v1/reports/:provider/:day";
    private static final String UPLOAD = "ngao.report.upload";

    private final Vertx vertx;
    private final ReportReconciler reconciler;
    private final Map<String, SettlementReportFormat> formats;
    private final Path uploadDirectory;
    private final long maxUploadBytes;
    private final BooleanSupplier following;
    private final SignedRequestGuard guard;
    /** Runs take minutes on a large report: their own worker, allowed that long, one at a time. */
    private final WorkerExecutor runs;

    public ReportHttpApi(Vertx vertx, ReportReconciler reconciler, Map<String, SettlementReportFormat> formats,
                         Path uploadDirectory, long maxUploadBytes, BooleanSupplier following, SignedRoutes signed) {
        this.vertx = vertx;
        this.reconciler = reconciler;
        this.formats = Map.copyOf(formats);
        this.uploadDirectory = uploadDirectory;
        this.maxUploadBytes = maxUploadBytes;
        this.following = following;
        this.guard = signed.guard();
        this.runs = vertx.createSharedWorkerExecutor("reconciler-report-runs", 1, 2, TimeUnit.HOURS);
    }

    public Router router() {
        Router router = Router.router(vertx);
        router.get("/health").handler(this::health);
        // In order: signature headers before the body, the body streamed and hashed, signature and scope, the run.
        router.post(UPLOAD_PATH).handler(guard.headersHandler());
        router.post(UPLOAD_PATH).handler(this::receiveUpload);
        router.post(UPLOAD_PATH).handler(Scopes.requireAny(Scopes.REPORTS_UPLOAD));
        router.post(UPLOAD_PATH).handler(this::reconcileUpload);
        router.route().failureHandler(this::failure);
        router.errorHandler(404, context -> Problems.send(context, 404, "not-found", "Not found", null));
        return router;
    }

    private void health(RoutingContext context) {
        boolean up = following.getAsBoolean();
        context.response().setStatusCode(up ? 200 : 503);
        context.json(new JsonObject().put("status", up ? "UP" : "DOWN"));
    }

    /** What the receiving step hands the run: which run, in which format, from which file of which hash. */
    private record Upload(RunId run, SettlementReportFormat format, Path file, String bodySha256) {
    }

    private void receiveUpload(RoutingContext context) {
        HttpServerRequest request = context.request();
        // Paused until the file is open, so no byte of the body is lost or buffered meanwhile.
        request.pause();
        RunId run;
        SettlementReportFormat format;
        try {
            run = new RunId(context.pathParam("provider"), LocalDate.parse(context.pathParam("day")));
            format = formats.get(run.provider());
        } catch (IllegalArgumentException | DateTimeException e) {
            Problems.send(context, 400, "invalid-run", "Invalid provider or day",
                    "the path is /v1/reports/{provider id}/{yyyy-mm-dd}");
            return;
        }
        if (format == null) {
            Problems.send(context, 404, "unknown-provider", "No report format for this provider",
                    "known providers: " + String.join(", ", formats.keySet().stream().sorted().toList()));
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                && Long.parseLong(length) > maxUploadBytes) {
            Problems.send(context, 413, "report-too-large", "Report too large",
                    "at most " + maxUploadBytes + " bytes");
            return;
        }
        Path file = uploadDirectory.resolve(run.fileStem() + "-" + UUID.randomUUID() + ".upload");
        // However the request ends (refused, failed, answered), its file goes.
        context.addEndHandler(ended -> vertx.executeBlocking(() -> Files.deleteIfExists(file), false));
        MessageDigest bodyHash = sha256();
        receive(request, file, bodyHash)
                .onSuccess(received -> {
                    String bodySha256 = HexFormat.of().formatHex(bodyHash.digest());
                    context.put(UPLOAD, new Upload(run, format, file, bodySha256));
                    guard.verify(context, bodySha256);
                })
                .onFailure(error -> answerFailure(context, run, error));
    }

    private void reconcileUpload(RoutingContext context) {
        Upload upload = context.get(UPLOAD);
        // The run's audit record names the signed caller and the file by the hash its signature covers.
        RunOrigin origin = RunOrigin.upload(Caller.of(context).keyId(), upload.bodySha256());
        runs.executeBlocking(() -> reconcile(upload.run(), origin, upload.format(), upload.file()), true)
                .onSuccess(summary -> context.json(summaryJson(summary)))
                .onFailure(error -> answerFailure(context, upload.run(), error));
    }

    private static MessageDigest sha256() {
        return RunOrigin.sha256();
    }

    /**
     * Streams the body to {@code file} with back-pressure, feeding {@code bodyHash} on the way (the signature
     * covers the body's hash), failing once it passes the size limit.
     */
    private Future<Void> receive(HttpServerRequest request, Path file, MessageDigest bodyHash) {
        return vertx.executeBlocking(() -> Files.createDirectories(uploadDirectory), false)
                .compose(created -> vertx.fileSystem().open(file.toString(),
                        new OpenOptions().setWrite(true).setCreateNew(true)))
                .compose(out -> {
                    Promise<Void> written = Promise.promise();
                    long[] receivedBytes = {0};
                    request.handler(chunk -> {
                        receivedBytes[0] += chunk.length();
                        if (receivedBytes[0] > maxUploadBytes) {
                            request.handler(null);
                            written.tryFail(new UploadTooLargeException());
                            return;
                        }
                        bodyHash.update(chunk.getBytes());
                        out.write(chunk);
                        if (out.writeQueueFull()) {
                            request.pause();
                            out.drainHandler(drained -> request.resume());
                        }
                    });
                    request.exceptionHandler(written::tryFail);
                    request.endHandler(end -> out.end().onComplete(written));
                    request.resume();
                    return written.future().onFailure(error -> out.close());
                });
    }

    private RunSummary reconcile(RunId run, RunOrigin origin, SettlementReportFormat format, Path file)
            throws IOException {
        if (Files.size(file) > maxUploadBytes) {
            throw new UploadTooLargeException();
        }
        try (Reader report = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return reconciler.reconcile(run, origin, format, report);
        }
    }

    private void answerFailure(RoutingContext context, RunId run, Throwable error) {
        if (error instanceof ReportFormatException formatError) {
            Problems.send(context, 422, "invalid-report", "The report cannot be read", formatError.getMessage());
        } else if (error instanceof UploadTooLargeException) {
            Problems.send(context, 413, "report-too-large", "Report too large", "at most " + maxUploadBytes + " bytes");
        } else {
            LOG.error("Run {} of an uploaded report failed", run.id(), error);
            Problems.send(context, 500, "internal-error", "Internal error", null);
        }
    }

    static JsonObject summaryJson(RunSummary summary) {
        JsonObject byKind = new JsonObject();
        summary.breaksByKind().forEach((kind, count) -> byKind.put(kind.name(), count));
        return new JsonObject()
                .put("runId", summary.run().id())
                .put("provider", summary.run().provider())
                .put("settlementDay", summary.run().day().toString())
                .put("rows", summary.rowsRead())
                .put("paymentRows", summary.paymentRows())
                .put("feeRows", summary.feeRows())
                .put("ledgerPayments", summary.ledgerPayments())
                .put("matched", summary.matched())
                .put("breaks", summary.totalBreaks())
                .put("newBreaks", summary.newBreaks())
                .put("breaksByKind", byKind)
                .put("clean", summary.clean())
                .put("csvReport", summary.csvReport().toString())
                .put("htmlReport", summary.htmlReport().toString());
    }

    private void failure(RoutingContext context) {
        if (context.failure() != null) {
            LOG.error("Reconciler request {} failed", context.normalizedPath(), context.failure());
        }
        int status = context.statusCode() >= 400 ? context.statusCode() : 500;
        Problems.send(context, status, status == 500 ? "internal-error" : "request-failed",
                status == 500 ? "Internal error" : "Request failed", null);
    }

    private static final class UploadTooLargeException extends RuntimeException {
        UploadTooLargeException() {
            super("upload too large", null, false, false);
        }
    }
}
