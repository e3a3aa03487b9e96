package dev.ngao.ingest.http;

import dev.ngao.events.AuditOutcome;
import dev.ngao.platform.http.Problems;
import io.vertx.core.AsyncResult;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * How one request ended, in bounded terms fit for the audit trail and for metric labels: the method, the
 * route template (never the raw path), the status, SUCCESS / REFUSED / FAILED, and the reason (the problem
 * type slug of a refusal or failure; {@link #NO_REASON} for a success).
 */
public record RequestOutcome(String method, String route, int status, AuditOutcome outcome, String reason) {

    public static final String NO_REASON = "none";
    /** The reason of a request whose connection closed before its answer was complete. */
    public static final String CONNECTION_CLOSED = "connection-closed";
    /** The reason of a request whose bytes the HTTP decoder refused. */
    public static final String MALFORMED_REQUEST = "malformed-request";
    /** The route of a request the HTTP decoder refused before any route could see it. */
    public static final String INVALID_REQUEST_ROUTE = "invalid-request";

    /**
     * The outcome of {@code context}'s request once its response is over.
     *
     * @param router the router the request went through, whose routes name its template
     * @param ended how the response ended: failed when the connection closed before the answer was sent
     */
    public static RequestOutcome of(RoutingContext context, Router router, AsyncResult<Void> ended) {
        HttpServerRequest request = context.request();
        String route = RouteTemplates.cachedFor(router).templateOf(request.method(), request.path());
        int status = context.response().getStatusCode();
        String method = RouteTemplates.methodName(request.method());
        if (ended.failed() && !context.response().ended()) {
            // No answer was written: the request's own bytes were not HTTP (the decoder closed the connection),
            // or the caller left before the decision.
            return RequestStreamFailures.isCallersFault(ended.cause())
                    ? new RequestOutcome(method, route, 400, AuditOutcome.REFUSED, MALFORMED_REQUEST)
                    : new RequestOutcome(method, route, status, AuditOutcome.FAILED, CONNECTION_CLOSED);
        }
        // Answered, or an answer was written but the connection closed before it was sent: what was decided counts.
        String problemType = context.get(Problems.TYPE_CONTEXT_KEY);
        return new RequestOutcome(method, route, status, outcomeOf(status),
                problemType != null ? problemType : status >= 400 ? "status-" + status : NO_REASON);
    }

    /** A request the HTTP decoder refused (absurd header, line too long, not HTTP): no route saw it. */
    public static RequestOutcome invalid(int status, String problemType) {
        return new RequestOutcome(RouteTemplates.OTHER_METHOD, INVALID_REQUEST_ROUTE, status, outcomeOf(status),
                problemType);
    }

    /** 1xx to 3xx succeeded, 4xx were refused, 5xx failed. */
    public static AuditOutcome outcomeOf(int status) {
        if (status >= 500) {
            return AuditOutcome.FAILED;
        }
        return status >= 400 ? AuditOutcome.REFUSED : AuditOutcome.SUCCESS;
    }
}
