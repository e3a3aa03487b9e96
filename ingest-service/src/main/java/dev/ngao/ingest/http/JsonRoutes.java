package dev.ngao.ingest.http;

import dev.ngao.platform.auth.Scopes;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.platform.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a route group mounts a route that takes a JSON body, and the answers such routes share: the scope
 * check first, the media type before anything is buffered, the body limit, then the handler; 503 with
 * {@code Retry-After} when Kafka did not acknowledge.
 */
public final class JsonRoutes {

    /** Seconds a caller should wait before retrying when Kafka did not acknowledge. */
    public static final String RETRY_AFTER_SECONDS = "5";

    private JsonRoutes() {
    }

    /**
     * Mounts {@code method path}: the caller needs {@code scope} (403), the body must be JSON (415) within
     * {@code bodyLimitBytes} (413). Vert.x wants a body handler ahead of user handlers on a route, hence two
     * routes for one path.
     */
    public static void mount(Router router, HttpMethod method, String path, String scope, int bodyLimitBytes,
                             Handler<RoutingContext> handler) {
        router.route(method, path).handler(Scopes.require(scope)).handler(HttpReplies::requireJson);
        router.route(method, path).handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes)).handler(handler);
    }

    /**
     * Mounts a route that creates something: as {@link #mount}, plus {@code Idempotency-Key} (400 without it)
     * after the body is read, so a retry with the same key and body replays the first answer and writes nothing.
     * The handler must answer its success through {@link HttpReplies#replyJson} or {@link HttpReplies#reply},
     * which the recorder sees; recorded answers are stored in clear, so they must not carry PII.
     */
    public static void mountCreating(Router router, HttpMethod method, String path, String scope, int bodyLimitBytes,
                                     Handler<RoutingContext> handler) {
        router.route(method, path).handler(Scopes.require(scope)).handler(HttpReplies::requireJson);
        router.route(method, path).handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes))
                .handler(Idempotency.required()).handler(handler);
    }

    /**
     * The body as one JSON object made of plain maps and lists (so validators need no Vert.x); answers 400 and
     * returns empty when it is absent, malformed or not an object.
     */
    public static Optional<Map<String, Object>> body(RoutingContext context) {
        Optional<Map<String, Object>> body = HttpReplies.jsonObjectBody(context).map(JsonRoutes::plainObject);
        if (body.isEmpty()) {
            HttpReplies.malformedJson(context);
        }
        return body;
    }

    /** 503: the request was not accepted because Kafka failed or did not acknowledge in time. */
    public static void unavailable(RoutingContext context, String detail) {
        if (context.response().closed()) {
            return;
        }
        context.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        Problems.send(context, 503, "unavailable", "Service Unavailable", detail);
    }

    /** A 2xx answer with a {@code Location} header, unless the caller already left. */
    public static void replyWithLocation(RoutingContext context, int status, String location, JsonObject body) {
        if (context.response().closed()) {
            return;
        }
        context.response().putHeader("Location", location);
        HttpReplies.replyJson(context, status, body);
    }

    /** 404 for an unknown resource, or one of another merchant: the same answer, so ids cannot be probed. */
    public static void notFound(RoutingContext context, String detail) {
        Problems.send(context, 404, "not-found", "Not Found", detail);
    }

    /** A 422 of its own kind (not field validation), with the one field it concerns. */
    public static void unprocessable(RoutingContext context, String type, String title, FieldError error) {
        if (context.response().ended()) {
            return;
        }
        JsonObject problem = Problems.body(422, type, title, error.message())
                .put("errors", new JsonArray().add(new JsonObject()
                        .put("field", error.field()).put("message", error.message())));
        HttpReplies.sendProblem(context, 422, type, problem);
    }

    @SuppressWarnings("unchecked")
    static Object plain(Object value) {
        if (value instanceof JsonObject object) {
            return plainObject(object.getMap());
        }
        if (value instanceof Map<?, ?> map) {
            return plainObject((Map<String, Object>) map);
        }
        if (value instanceof JsonArray array) {
            return plainList(array.getList());
        }
        if (value instanceof List<?> list) {
            return plainList(list);
        }
        return value;
    }

    private static Map<String, Object> plainObject(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, item) -> copy.put(key, plain(item)));
        return copy;
    }

    private static List<Object> plainList(List<?> list) {
        List<Object> copy = new ArrayList<>(list.size());
        list.forEach(item -> copy.add(plain(item)));
        return copy;
    }
}
