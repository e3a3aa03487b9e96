package dev.ngao.ingest.audit;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.platform.auth.RequestSigning;
import dev.ngao.platform.observability.TraceContext;
import dev.ngao.platform.observability.Traceparent;
import dev.ngao.platform.auth.Caller;
import dev.ngao.ingest.http.RequestOutcome;
import dev.ngao.ingest.http.RouteGroup;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Audits every request, accepted or refused: mounted first on the router, it gives the request its id
 * (echoed as {@value RequestIds#HEADER}) and, once the response is over, writes one {@link AuditRecord}:
 * who (the key id when authenticated, else "anonymous" and the key id presented if it is well formed; the
 * client address), what (method and route template, the transaction when the route named one), the outcome
 * from the status (SUCCESS, REFUSED, FAILED), the reason (the problem type of a refusal) and UTC time.
 * Routes are audited without their cooperation; {@link AuditTrail} lets them add what only they know.
 */
public final class RequestAudit implements RouteGroup {

    public static final String COMPONENT = "ingest-service";
    public static final String ANONYMOUS = "anonymous";
    public static final String SUBJECT_TRANSACTION = "transaction";
    public static final String SUBJECT_REQUEST = "request";

    public static final String REQUEST_ID_DETAIL = "requestId";
    public static final String TRACE_ID_DETAIL = "traceId";
    public static final String CLIENT_IP_DETAIL = "clientIp";
    public static final String METHOD_DETAIL = "method";
    public static final String ROUTE_DETAIL = "route";
    public static final String STATUS_DETAIL = "status";
    public static final String REASON_DETAIL = "reason";
    public static final String DURATION_DETAIL = "durationMs";
    public static final String PRESENTED_KEY_ID_DETAIL = "presentedKeyId";
    public static final String MERCHANT_DETAIL = "merchantId";

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String UNKNOWN_ADDRESS = "unknown";

    private final AuditLog log;
    private final Clock clock;

    public RequestAudit(AuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** One handler ahead of every route of {@code router}; the route table is read at the end of each request. */
    @Override
    public void mount(Router router) {
        router.route().handler(context -> observe(context, router));
    }

    private void observe(RoutingContext context, Router router) {
        long startedNanos = System.nanoTime();
        String requestId = RequestIds.acceptOrCreate(context.request().getHeader(RequestIds.HEADER));
        context.put(AuditTrail.REQUEST_ID, requestId);
        TraceContext.putRequestId(requestId);
        context.response().putHeader(RequestIds.HEADER, requestId);
        // The caller's trace continued with our span (or a new trace): every event this request writes carries it.
        Traceparent trace = Traceparent.continueFrom(context.request().getHeader(Traceparent.HEADER));
        TraceContext.put(trace);
        context.put(AuditTrail.TRACE_ID, trace.traceId());
        context.response().putHeader(Traceparent.HEADER, trace.toString());
        context.addEndHandler(ended -> log.write(record(context, RequestOutcome.of(context, router, ended),
                (System.nanoTime() - startedNanos) / 1_000_000)));
        context.next();
    }

    /** The record of a request the HTTP decoder refused before routing: only its address and outcome are known. */
    public void auditInvalid(HttpServerRequest request, RequestOutcome outcome) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put(REQUEST_ID_DETAIL, UUID.randomUUID().toString());
        details.put(CLIENT_IP_DETAIL, address(request.remoteAddress()));
        log.write(build(ANONYMOUS, outcome, null, details));
    }

    AuditRecord record(RoutingContext context, RequestOutcome outcome, long durationMs) {
        Optional<Caller> caller = Caller.find(context);
        Map<String, String> details = new LinkedHashMap<>();
        details.put(REQUEST_ID_DETAIL, context.get(AuditTrail.REQUEST_ID));
        String clientIp = context.get(AuditTrail.CLIENT_IP);
        details.put(CLIENT_IP_DETAIL, clientIp != null ? clientIp : address(context.request().remoteAddress()));
        details.put(DURATION_DETAIL, Long.toString(durationMs));
        String traceId = context.get(AuditTrail.TRACE_ID);
        if (traceId != null) {
            details.put(TRACE_ID_DETAIL, traceId);
        }
        caller.ifPresent(found -> details.put(MERCHANT_DETAIL, found.merchantId()));
        if (caller.isEmpty()) {
            presentedKeyId(context.request()).ifPresent(keyId -> details.put(PRESENTED_KEY_ID_DETAIL, keyId));
        }
        AuditTrail.details(context).forEach(details::putIfAbsent);
        String actor = context.get(AuditTrail.ACTOR);
        if (actor == null) {
            actor = caller.map(Caller::keyId).orElse(ANONYMOUS);
        }
        return build(actor, outcome, context.get(AuditTrail.TRANSACTION_ID), details);
    }

    private AuditRecord build(String actor, RequestOutcome outcome, String transactionId, Map<String, String> details) {
        details.put(METHOD_DETAIL, outcome.method());
        details.put(ROUTE_DETAIL, outcome.route());
        details.put(STATUS_DETAIL, Integer.toString(outcome.status()));
        if (outcome.outcome() != AuditOutcome.SUCCESS) {
            details.put(REASON_DETAIL, outcome.reason());
        }
        return AuditRecord.newBuilder()
                .setAuditId(UUID.randomUUID().toString())
                .setOccurredAt(clock.instant())
                .setComponent(COMPONENT)
                .setActor(actor)
                .setAction(outcome.method() + " " + outcome.route())
                .setSubjectType(transactionId != null ? SUBJECT_TRANSACTION : SUBJECT_REQUEST)
                .setSubjectId(transactionId != null ? transactionId : details.get(REQUEST_ID_DETAIL))
                .setOutcome(outcome.outcome())
                .setDetails(details)
                .build();
    }

    /** The key id a refused caller presented: worth recording (who knocks with what), unless it is not an id at all. */
    private static Optional<String> presentedKeyId(HttpServerRequest request) {
        String presented = request.getHeader(RequestSigning.KEY_ID_HEADER);
        return Optional.ofNullable(presented)
                .filter(keyId -> KEY_ID.matcher(keyId).matches() && !PiiScrubber.looksLikePii(keyId));
    }

    private static String address(SocketAddress address) {
        if (address == null) {
            return UNKNOWN_ADDRESS;
        }
        return address.hostAddress() != null ? address.hostAddress() : UNKNOWN_ADDRESS;
    }
}
