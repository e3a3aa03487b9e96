package dev.ngao.platform.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Errors as {@code application/problem+json} (RFC 9457) with a stable {@code type} per kind of
 * failure. Details are written for the caller: never a stack trace, secret or PII.
 */
public final class Problems {

    public static final String CONTENT_TYPE = "application/problem+json";
    /**
     * Routing-context entry holding the type slug of the problem sent (e.g. "malformed-json"), so the
     * audit and the metrics can name the reason of a refusal without parsing the answer.
     */
    public static final String TYPE_CONTEXT_KEY = "ngao.problem.type";
    private static final String TYPE_BASE = "https://ngao.dev/problems/";

    private Problems() {
    }

    public static JsonObject body(int status, String type, String title, String detail) {
        JsonObject problem = new JsonObject()
                .put("type", TYPE_BASE + type)
                .put("title", title)
                .put("status", status);
        if (detail != null) {
            problem.put("detail", detail);
        }
        return problem;
    }

    public static void send(RoutingContext context, int status, String type, String title, String detail) {
        send(context, status, type, body(status, type, title, detail));
    }

    /** Sends {@code problem}, made by {@link #body} and possibly extended (e.g. with the refused fields). */
    public static void send(RoutingContext context, int status, String type, JsonObject problem) {
        if (context.response().ended()) {
            return;
        }
        context.put(TYPE_CONTEXT_KEY, type);
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", CONTENT_TYPE)
                .end(problem.encode());
    }
}
