package dev.ngao.ingest.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Set;

/**
 * The body stage every {@code /v1} request passes: refuse a body that is not JSON (415) before reading
 * it, then buffer it within the size limit (413 beyond it, from the Content-Length alone when declared).
 * The buffered body serves the signature check (which hashes its exact bytes) and the handlers after it;
 * a BodyHandler a route adds later is a no-op, since Vert.x 5 buffers a request's body only once.
 */
public final class RequestBodies {

    private static final Set<HttpMethod> METHODS_WITH_BODIES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    private RequestBodies() {
    }

    /** 415 for a POST, PUT or PATCH that carries a body other than JSON; anything else passes. */
    public static void requireJsonWhenBodyPresent(RoutingContext context) {
        if (!METHODS_WITH_BODIES.contains(context.request().method()) || "0".equals(
                context.request().getHeader("Content-Length"))) {
            context.next();
            return;
        }
        HttpReplies.requireJson(context);
    }

    /** Buffers the body in memory up to {@code limitBytes}. */
    public static Handler<RoutingContext> buffer(int limitBytes) {
        return BodyHandler.create(false).setBodyLimit(limitBytes);
    }
}
