package dev.ngao.ingest;

import dev.ngao.ingest.auth.RateLimiter;
import dev.ngao.platform.auth.SignedRequestGuard;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.RequestBodies;
import dev.ngao.ingest.http.RequestStreamFailures;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.platform.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP API's route table: the observers every request passes first (audit, metrics), operations
 * routes, then the guards every {@code /v1} request passes in order (signed-request authentication around
 * the body buffer, then rate limits, then idempotency), then each area's routes, then the catch-all 404
 * and the failure handler that keeps 5xx free of detail.
 */
public final class IngestApi {

    public static final String HEALTH_PATH = "/health";
    public static final String API_PATHS = "/v1/*";

    private static final Logger LOG = LoggerFactory.getLogger(IngestApi.class);

    private final Vertx vertx;
    private final List<Handler<RoutingContext>> guards;
    private final List<RouteGroup> groups;
    private final int bodyLimitBytes;
    private final List<RouteGroup> observers;
    private final List<RouteGroup> operations;

    /**
     * @param guards handlers every {@code /v1} request passes, in order; each calls {@code next()} or answers
     * @param groups the API's areas
     */
    public IngestApi(Vertx vertx, List<Handler<RoutingContext>> guards, List<RouteGroup> groups, int bodyLimitBytes) {
        this(vertx, guards, groups, bodyLimitBytes, List.of(), List.of());
    }

    private IngestApi(Vertx vertx, List<Handler<RoutingContext>> guards, List<RouteGroup> groups, int bodyLimitBytes,
                      List<RouteGroup> observers, List<RouteGroup> operations) {
        this.vertx = vertx;
        this.guards = List.copyOf(guards);
        this.groups = List.copyOf(groups);
        this.bodyLimitBytes = bodyLimitBytes;
        this.observers = List.copyOf(observers);
        this.operations = List.copyOf(operations);
    }

    /**
     * This API with {@code observers} mounted ahead of every route (each mounts one catch-all handler that
     * registers what it needs at the end of the request and calls {@code next()}: the audit, the metrics)
     * and unauthenticated {@code operations} routes (health, metrics, documentation) ahead of the guards.
     */
    public IngestApi withOperations(List<RouteGroup> observers, RouteGroup operations) {
        return new IngestApi(vertx, guards, groups, bodyLimitBytes, observers, List.of(operations));
    }

    /**
     * The usual API. Its guards, in order: the signature headers and timestamp (401 before any body is
     * read), the media type (415, still before reading: JSON, or another type a group takes on one of its
     * paths, such as YAML rule sets), the body within its limit (413), the signature over the buffered body
     * with the key's environment, address allowlist, certificate and nonce (401 or 403), then the key's rate
     * limit for the route (429).
     */
    public static IngestApi of(Vertx vertx, SignedRequestGuard authentication, RateLimiter rateLimiter,
                               List<RouteGroup> groups, int bodyLimitBytes) {
        return of(vertx, authentication, rateLimiter, List.of(), groups, bodyLimitBytes);
    }

    /** As above, with {@code laterGuards} (the idempotency guard) after the rate limit. */
    public static IngestApi of(Vertx vertx, SignedRequestGuard authentication, RateLimiter rateLimiter,
                               List<Handler<RoutingContext>> laterGuards, List<RouteGroup> groups, int bodyLimitBytes) {
        Map<String, Set<String>> otherBodyMediaTypes = new HashMap<>();
        groups.forEach(group -> otherBodyMediaTypes.putAll(group.otherBodyMediaTypes()));
        List<Handler<RoutingContext>> guards = new ArrayList<>(List.of(authentication.headersHandler(),
                RequestBodies.requireMediaTypeWhenBodyPresent(otherBodyMediaTypes), RequestBodies.buffer(bodyLimitBytes),
                authentication.verifyHandler(), rateLimiter));
        guards.addAll(laterGuards);
        return new IngestApi(vertx, guards, groups, bodyLimitBytes);
    }

    public Router router() {
        Router router = Router.router(vertx);
        observers.forEach(observer -> observer.mount(router));
        router.get(HEALTH_PATH).handler(this::health);
        operations.forEach(group -> group.mount(router));
        guards.forEach(guard -> router.route(API_PATHS).handler(guard));
        groups.forEach(group -> group.mount(router));
        router.route().handler(this::notFound);
        router.route().failureHandler(this::failure);
        // Vert.x answers these itself, outside any route (a query or path it cannot decode): as problems too.
        router.errorHandler(400, this::undecodable);
        router.errorHandler(500, this::failure);
        return router;
    }

    private void health(RoutingContext context) {
        HttpReplies.replyJson(context, 200, new JsonObject().put("status", "UP"));
    }

    private void notFound(RoutingContext context) {
        Problems.send(context, 404, "not-found", "Not Found", "No such resource.");
    }

    private void undecodable(RoutingContext context) {
        Problems.send(context, 400, "malformed-request", "Bad Request", "The path or query cannot be decoded.");
    }

    private void failure(RoutingContext context) {
        int status = context.statusCode();
        if (status == 413) {
            Problems.send(context, 413, "payload-too-large", "Payload Too Large",
                    "The body must not exceed " + bodyLimitBytes + " bytes.");
        } else if (status >= 400 && status < 500 && context.failure() == null) {
            Problems.send(context, status, "request-refused", "Request Refused", null);
        } else if (RequestStreamFailures.isCallersFault(context.failure())) {
            Problems.send(context, 400, "malformed-request", "Bad Request", "The request body cannot be read.");
        } else {
            LOG.error("Request {} {} failed", context.request().method(), context.request().path(), context.failure());
            Problems.send(context, 500, "internal-error", "Internal Server Error", null);
        }
    }
}
