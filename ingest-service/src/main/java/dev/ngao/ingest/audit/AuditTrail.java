package dev.ngao.ingest.audit;

import dev.ngao.platform.auth.SignedRequestGuard;
import dev.ngao.platform.observability.TraceContext;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a route adds to its request's audit record, through the routing context: every request is audited
 * by {@link RequestAudit} without any route's help, and a route only adds what it alone knows (the
 * transaction it created or read, the provider a webhook came from, masked facts). PII goes only through
 * {@link #pii}, which masks it; free-text details are scrubbed of anything that looks like PII anyway.
 */
public final class AuditTrail {

    /** Routing-context entry: the transaction the request created or concerns. */
    public static final String TRANSACTION_ID = "ngao.audit.transactionId";
    /** Routing-context entry: who acted when it is not an API key (e.g. "provider:pagoefectivo"). */
    public static final String ACTOR = "ngao.audit.actor";
    /** Routing-context entry: the client address resolved through trusted proxies, put there by the signed-request guard. */
    public static final String CLIENT_IP = SignedRequestGuard.CLIENT_ADDRESS;
    /** Routing-context entry: this request's id, also sent back as {@value RequestIds#HEADER}. */
    public static final String REQUEST_ID = "ngao.requestId";
    public static final String TRACE_ID = "ngao.traceId";

    static final String DETAILS = "ngao.audit.details";
    /** Details a route may add, and their length: bounded, like everything a caller can influence. */
    static final int MAXIMUM_ROUTE_DETAILS = 16;
    static final int MAXIMUM_DETAIL_LENGTH = 128;
    private static final Pattern DETAIL_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,39}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private AuditTrail() {
    }

    public static void transactionId(RoutingContext context, String transactionId) {
        if (transactionId != null && IDENTIFIER.matcher(transactionId).matches()) {
            context.put(TRANSACTION_ID, transactionId);
            TraceContext.putTransactionId(transactionId);
        }
    }

    public static void actor(RoutingContext context, String actor) {
        if (actor != null && IDENTIFIER.matcher(actor).matches()) {
            context.put(ACTOR, actor);
        }
    }

    /** The request's id; only on requests that passed {@link RequestAudit}. */
    public static String requestId(RoutingContext context) {
        return context.get(REQUEST_ID);
    }

    /** A fact that is not personal data (a merchant reference, a provider event id); scrubbed all the same. */
    public static void detail(RoutingContext context, String name, String value) {
        put(context, name, PiiScrubber.scrub(value));
    }

    /** Personal data, recorded only under the mask of its kind. */
    public static void pii(RoutingContext context, String name, PiiKind kind, String value) {
        put(context, name, kind.mask(value));
    }

    /** The details routes added, in the order they were added. */
    static Map<String, String> details(RoutingContext context) {
        Map<String, String> details = context.get(DETAILS);
        return details == null ? Map.of() : details;
    }

    private static void put(RoutingContext context, String name, String value) {
        if (name == null || !DETAIL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("audit detail names are identifiers of at most 40 characters");
        }
        if (value == null) {
            return;
        }
        Map<String, String> details = context.get(DETAILS);
        if (details == null) {
            details = new LinkedHashMap<>();
            context.put(DETAILS, details);
        }
        if (details.size() < MAXIMUM_ROUTE_DETAILS || details.containsKey(name)) {
            details.put(name, value.length() > MAXIMUM_DETAIL_LENGTH ? value.substring(0, MAXIMUM_DETAIL_LENGTH) : value);
        }
    }
}
