package dev.ngao.launcher.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.ngao.platform.observability.TraceContext;
import dev.ngao.platform.observability.Traceparent;
import io.vertx.core.Vertx;
import org.slf4j.MDC;
import org.slf4j.Marker;

import java.util.Optional;

/**
 * Puts the trace, request id and transaction id of the Vert.x request being handled into the MDC just before
 * each log event is made, so the text and JSON layouts name them like the pollers' and stream threads' traces
 * ({@link TraceContext#log}). Vert.x keeps a request's ids on its own context, not in a thread's MDC: an event
 * loop interleaves many requests, and an MDC entry left by one would be read by the next. So on a Vert.x thread
 * each entry is set from the current context, or removed when it has none; on other threads the MDC is left
 * as it is.
 * Logback has no hook between a thread's context and the MDC other than a turbo filter, which runs on the
 * logging thread before the event copies the MDC; it never filters (always NEUTRAL).
 */
public final class TraceMdcFilter extends TurboFilter {

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (Vertx.currentContext() != null) {
            Optional<TraceContext.RequestIds> request = TraceContext.currentRequest();
            put(TraceContext.TRACE_ID_KEY, TraceContext.current().map(Traceparent::traceId).orElse(null));
            put(TraceContext.REQUEST_ID_KEY, request.map(TraceContext.RequestIds::requestId).orElse(null));
            put(TraceContext.TRANSACTION_ID_KEY, request.map(TraceContext.RequestIds::transactionId).orElse(null));
        }
        return FilterReply.NEUTRAL;
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        } else {
            MDC.remove(key);
        }
    }
}
