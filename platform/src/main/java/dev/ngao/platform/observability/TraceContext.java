package dev.ngao.platform.observability;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;
import org.slf4j.MDC;

import java.util.Optional;

/**
 * Where the trace of the work at hand is kept. In Vert.x code: on the request's own (duplicated) context, so
 * callbacks of that request, and only of that request, find it; Vert.x requires such storage to be declared
 * before any Vert.x instance exists, which is why this class is a {@link VertxServiceProvider} (listed in
 * META-INF/services). In threads that work one record at a time (pollers, stream threads): in SLF4J's MDC,
 * under {@value #TRACE_ID_KEY}, so JSON logs carry it.
 */
public final class TraceContext implements VertxServiceProvider {

    /** MDC keys: every log line of the work names its trace and, where known, its transaction. */
    public static final String TRACE_ID_KEY = "traceId";
    public static final String TRANSACTION_ID_KEY = "transactionId";
    /** MDC key of an HTTP request's id (X-Request-Id), on the lines logged while it is handled. */
    public static final String REQUEST_ID_KEY = "requestId";

    private static final ContextLocal<Traceparent> TRACE = ContextLocal.registerLocal(Traceparent.class);
    private static final ContextLocal<RequestIds> REQUEST = ContextLocal.registerLocal(RequestIds.class);

    /** The ids of the HTTP request handled on a context: its own, and the transaction it concerns once known. */
    public record RequestIds(String requestId, String transactionId) {
    }

    @Override
    public void init(VertxBootstrap bootstrap) {
        // Nothing to configure: loading this provider registered the context local above.
    }

    /** Keeps {@code trace} on the current Vert.x context (an HTTP request's own); no-op outside Vert.x. */
    public static void put(Traceparent trace) {
        Context context = Vertx.currentContext();
        if (context != null) {
            context.putLocal(TRACE, trace);
        }
    }

    /** Keeps the HTTP request's id on the current Vert.x context (the request's own); no-op outside Vert.x. */
    public static void putRequestId(String requestId) {
        Context context = Vertx.currentContext();
        if (context != null) {
            context.putLocal(REQUEST, new RequestIds(requestId, null));
        }
    }

    /** Adds the transaction the current Vert.x context's request concerns, once a route knows it. */
    public static void putTransactionId(String transactionId) {
        Context context = Vertx.currentContext();
        if (context != null) {
            RequestIds ids = context.getLocal(REQUEST);
            context.putLocal(REQUEST, new RequestIds(ids == null ? null : ids.requestId(), transactionId));
        }
    }

    /** The request and transaction ids of the current Vert.x context, if they were put there. */
    public static Optional<RequestIds> currentRequest() {
        Context context = Vertx.currentContext();
        return context == null ? Optional.empty() : Optional.ofNullable(context.getLocal(REQUEST));
    }

    /** The trace of the current Vert.x context, if one was put there. */
    public static Optional<Traceparent> current() {
        Context context = Vertx.currentContext();
        return context == null ? Optional.empty() : Optional.ofNullable(context.getLocal(TRACE));
    }

    /**
     * Names the trace and transaction in the MDC of this thread until the returned scope closes, as
     * {@code try (var scope = TraceContext.log(trace, transactionId)) {...}}. Either may be null.
     */
    public static LogScope log(Traceparent trace, String transactionId) {
        if (trace != null) {
            MDC.put(TRACE_ID_KEY, trace.traceId());
        }
        if (transactionId != null) {
            MDC.put(TRANSACTION_ID_KEY, transactionId);
        }
        return new LogScope();
    }

    /** Clears what {@link #log} put in the MDC. */
    public static final class LogScope implements AutoCloseable {

        private LogScope() {
        }

        @Override
        public void close() {
            MDC.remove(TRACE_ID_KEY);
            MDC.remove(TRANSACTION_ID_KEY);
        }
    }
}
