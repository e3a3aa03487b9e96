package dev.ngao.ingest.ops;

import dev.ngao.ingest.audit.RequestAudit;
import dev.ngao.ingest.http.RequestOutcome;
import dev.ngao.platform.http.Problems;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP decoder refused (a request line or headers beyond {@link HttpLimits}, bytes
 * that are not HTTP) with a problem+json 4xx instead of Vert.x's bare status, and audits and counts them
 * like any other refusal. The server closes the connection after the answer: the stream cannot be trusted.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {

    private final RequestAudit audit;
    private final IngestMetrics metrics;

    public InvalidRequests(RequestAudit audit, IngestMetrics metrics) {
        this.audit = audit;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
        int status;
        String type;
        String body;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            type = "uri-too-long";
            body = Problems.body(status, type, "URI Too Long", "The request line must not exceed "
                    + HttpLimits.MAXIMUM_INITIAL_LINE_BYTES + " bytes.").encode();
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            type = "header-too-large";
            body = Problems.body(status, type, "Request Header Fields Too Large", "The headers must not exceed "
                    + HttpLimits.MAXIMUM_HEADER_BYTES + " bytes in all.").encode();
        } else {
            status = 400;
            type = "malformed-request";
            body = Problems.body(status, type, "Bad Request", "The request is not valid HTTP/1.1.").encode();
        }
        request.response()
                .setStatusCode(status)
                .putHeader("Content-Type", Problems.CONTENT_TYPE)
                .putHeader("Connection", "close")
                .end(body);
        RequestOutcome outcome = RequestOutcome.invalid(status, type);
        audit.auditInvalid(request, outcome);
        metrics.request(outcome);
    }
}
