package dev.ngao.ingest.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The body stage every {@code /v1} request passes: refuse a body that is not JSON (415) before reading
 * it, unless its path also takes another media type (rule sets in YAML), then buffer it within the size
 * limit (413 beyond it, from the Content-Length alone when declared).
 * The buffered body serves the signature check (which hashes its exact bytes) and the handlers after it;
 * a BodyHandler a route adds later is a no-op, since Vert.x 5 buffers a request's body only once.
 */
public final class RequestBodies {

    private static final Set<HttpMethod> METHODS_WITH_BODIES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);
    /** The media types Vert.x's body handler decodes as forms, whatever the route wants. */
    private static final List<String> FORM_TYPES = List.of("multipart/form-data", "application/x-www-form-urlencoded");

    private RequestBodies() {
    }

    /**
     * 415 for a POST, PUT or PATCH that carries a body other than JSON, and for any request that declares a
     * form, body or not; anything else passes. A body sent to one of the paths of {@code otherTypesByPath}
     * may also have one of that path's media types (parameters such as {@code charset} aside); the route
     * behind such a path checks the media type again. A declared form never reaches the body handler: it
     * would decode it as a form, and for a GET (or any method but POST, PUT, PATCH and DELETE) it fails with
     * an exception instead, which would be a 500.
     */
    public static Handler<RoutingContext> requireMediaTypeWhenBodyPresent(Map<String, Set<String>> otherTypesByPath) {
        Map<String, Set<String>> otherTypes = Map.copyOf(otherTypesByPath);
        return context -> {
            String contentType = context.request().getHeader("Content-Type");
            if (declaresForm(contentType)) {
                HttpReplies.requireJson(context);
                return;
            }
            if (!METHODS_WITH_BODIES.contains(context.request().method()) || "0".equals(
                    context.request().getHeader("Content-Length"))) {
                context.next();
                return;
            }
            if (otherTypes.getOrDefault(context.normalizedPath(), Set.of()).contains(HttpReplies.mediaType(context))) {
                context.next();
                return;
            }
            HttpReplies.requireJson(context);
        };
    }

    private static boolean declaresForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return FORM_TYPES.stream().anyMatch(type::startsWith);
    }

    /**
     * Buffers the body in memory up to {@code limitBytes}. Form fields are never merged into the request's
     * parameters: nothing here reads them, and merging decodes the query, which throws outside any route's
     * failure handling (no answer at all) when the query cannot be decoded.
     */
    public static Handler<RoutingContext> buffer(int limitBytes) {
        return BodyHandler.create(false).setBodyLimit(limitBytes).setMergeFormAttributes(false);
    }
}
