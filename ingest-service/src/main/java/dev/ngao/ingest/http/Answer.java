package dev.ngao.ingest.http;

import dev.ngao.platform.http.Problems;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/** A complete HTTP answer, before it is sent: what an {@link AnswerRecorder} sees and may keep. */
public record Answer(int status, MultiMap headers, Buffer body) {

    public Answer {
        headers = HttpHeaders.headers().addAll(headers);
        body = body.copy();
    }

    /** A JSON answer carrying {@code extraHeaders} (Location, ...) plus the content type and no-store. */
    public static Answer json(int status, Map<String, String> extraHeaders, JsonObject body) {
        MultiMap headers = HttpHeaders.headers();
        extraHeaders.forEach(headers::add);
        return json(status, headers, body);
    }

    static Answer json(int status, MultiMap headersSoFar, JsonObject body) {
        MultiMap headers = HttpHeaders.headers().addAll(headersSoFar)
                .set(HttpHeaders.CONTENT_TYPE, HttpReplies.JSON)
                .set(HttpHeaders.CACHE_CONTROL, "no-store");
        return new Answer(status, headers, Buffer.buffer(body.encode()));
    }

    /** A problem ({@code application/problem+json}) with the headers already put on the response. */
    static Answer problem(int status, MultiMap headersSoFar, JsonObject problem) {
        MultiMap headers = HttpHeaders.headers().addAll(headersSoFar)
                .set(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE);
        return new Answer(status, headers, Buffer.buffer(problem.encode()));
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }
}
