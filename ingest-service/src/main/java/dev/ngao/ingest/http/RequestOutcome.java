package dev.ngao.ingest.http;

import dev.ngao.events.AuditOutcome;
import dev.ngao.platform.http.Problems;
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
    /** The route of a request the HTTP decoder refused before any route could see it. */
    public static final String INVALID_REQUEST_ROUTE = "invalid-request";

    /**
     * The outcome of {@code context}'s request once its response is over.
     *
     * @param router the router the request went through, whose routes name its template
     * @param answered whether the response was fully written; false when the connection closed first
     */
    public static RequestOutcome of(RoutingContext context, Router router, boolean answered) {
        HttpServerRequest request = context.request();
        String route = RouteTemplates.cachedFor(router).templateOf(request.method(), request.path());
        int status = context.response().getStatusCode();
        String method = RouteTemplates.methodName(request.method());
        if (!answered) {
            return new RequestOutcome(method, route, status, AuditOutcome.FAILED, CONNECTION_CLOSED);
        }
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
