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
 * Puts the trace of the Vert.x request being handled into the MDC just before each log event is made, so the
 * text and JSON layouts name it like the pollers' and stream threads' traces ({@link TraceContext#log}).
 * Vert.x keeps a request's trace on its own context, not in a thread's MDC: an event loop interleaves many
 * requests, and an MDC entry left by one would be read by the next. So on a Vert.x thread the entry is set
 * from the current context, or removed when it has none; on other threads the MDC is left as it is.
 * Logback has no hook between a thread's context and the MDC other than a turbo filter, which runs on the
 * logging thread before the event copies the MDC; it never filters (always NEUTRAL).
 */
public final class TraceMdcFilter extends TurboFilter {

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (Vertx.currentContext() != null) {
            Optional<Traceparent> trace = TraceContext.current();
            if (trace.isPresent()) {
                MDC.put(TraceContext.TRACE_ID_KEY, trace.get().traceId());
            } else {
                MDC.remove(TraceContext.TRACE_ID_KEY);
            }
        }
        return FilterReply.NEUTRAL;
    }
}
