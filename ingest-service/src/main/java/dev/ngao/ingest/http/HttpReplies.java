package dev.ngao.ingest.http;

import dev.ngao.platform.http.Problems;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What every route group answers with: JSON replies, the JSON-only guard, JSON bodies, validation problems. */
public final class HttpReplies {

    public static final String JSON = "application/json";

    private HttpReplies() {
    }

    /** A JSON answer with the headers already put on the response (Location, ...), through {@link #reply}. */
    public static void replyJson(RoutingContext context, int status, JsonObject body) {
        if (context.response().ended()) {
            return;
        }
        reply(context, Answer.json(status, context.response().headers(), body));
    }

    /**
     * Sends {@code answer}, after the request's {@link AnswerRecorder} (if any) has kept it. The recorder
     * sees the answer even when the caller has left, so a retry can be answered with it.
     */
    public static void reply(RoutingContext context, Answer answer) {
        Future<Void> recorded = AnswerRecorder.of(context)
                .map(recorder -> recorder.record(answer))
                .orElse(Future.succeededFuture());
        recorded.onComplete(ignored -> {
            HttpServerResponse response = context.response();
            if (response.ended() || response.closed()) {
                return;
            }
            response.setStatusCode(answer.status());
            // The answer's headers replace their namesakes only: setAll would also drop the headers already
            // on the response that are not the answer's own (X-Request-Id, put there by the audit).
            answer.headers().names().forEach(response.headers()::remove);
            answer.headers().forEach(header -> response.headers().add(header.getKey(), header.getValue()));
            response.end(answer.body());
        });
    }

    /** Refuses any media type but JSON with 415, before a body is buffered. */
    public static void requireJson(RoutingContext context) {
        if (!JSON.equals(mediaType(context))) {
            Problems.send(context, 415, "unsupported-media-type", "Unsupported Media Type",
                    "Send the body as " + JSON + ".");
            return;
        }
        context.next();
    }

    /** The request's media type in lower case, without parameters ({@code charset}...); empty when none. */
    public static String mediaType(RoutingContext context) {
        String contentType = context.request().getHeader("Content-Type");
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    /** The body as one JSON object, or empty when it is absent, malformed, not an object or not {@link StrictJson}. */
    @SuppressWarnings("unchecked")
    public static Optional<Map<String, Object>> jsonObjectBody(RoutingContext context) {
        if (context.body().isEmpty() || !StrictJson.wellFormed(context.body().buffer())) {
            return Optional.empty();
        }
        try {
            Object parsed = Json.decodeValue(context.body().buffer());
            if (parsed instanceof JsonObject object) {
                return Optional.of(object.getMap());
            }
            if (parsed instanceof Map<?, ?> map) {
                return Optional.of((Map<String, Object>) map);
            }
            return Optional.empty();
        } catch (DecodeException e) {
            return Optional.empty();
        }
    }

    /**
     * The query's parameters; empty, with {@code 400 malformed-request} answered, when the query cannot be decoded
     * (Vert.x decodes it on first use and throws on a broken percent-escape such as {@code ?%zz}: a 400
     * {@link HttpException} around the decoder's {@link IllegalArgumentException}).
     */
    public static Optional<MultiMap> queryParams(RoutingContext context) {
        try {
            return Optional.of(context.queryParams());
        } catch (HttpException | IllegalArgumentException e) {
            Problems.send(context, 400, "malformed-request", "Bad Request", "The path or query cannot be decoded.");
            return Optional.empty();
        }
    }

    public static void malformedJson(RoutingContext context) {
        sendProblem(context, 400, "malformed-json", Problems.body(400, "malformed-json", "Malformed JSON",
                "The body must be one JSON object, each key at most once."));
    }

    /**
     * Sends {@code problem} through the request's {@link AnswerRecorder} when it has one, as {@link #reply}
     * sends answers: an idempotent request's refusal then frees its key before the caller hears of it, so a
     * corrected retry sent at once finds it free. Without a recorder, as {@link Problems#send}.
     */
    public static void sendProblem(RoutingContext context, int status, String type, JsonObject problem) {
        if (AnswerRecorder.of(context).isEmpty()) {
            Problems.send(context, status, type, problem);
            return;
        }
        if (context.response().ended()) {
            return;
        }
        context.put(Problems.TYPE_CONTEXT_KEY, type);
        reply(context, Answer.problem(status, context.response().headers(), problem));
    }

    /** 422 with one {field, message} per invalid field; messages never echo PII. */
    public static void validationProblem(RoutingContext context, List<FieldError> errors) {
        JsonArray details = new JsonArray();
        errors.forEach(error -> details.add(new JsonObject().put("field", error.field()).put("message", error.message())));
        JsonObject problem = Problems.body(422, "validation-failed", "Validation Failed",
                        "One or more fields are invalid; see errors.")
                .put("errors", details);
        sendProblem(context, 422, "validation-failed", problem);
    }
}
