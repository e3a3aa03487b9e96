package dev.ngao.ingest.idempotency;

import dev.ngao.events.IdempotencyCompletion;
import dev.ngao.events.RecordedHeader;
import dev.ngao.ingest.http.Answer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The first answer to a key, as kept and replayed: status, replayable headers in order, body byte for byte. */
public record RecordedAnswer(int status, List<Header> headers, byte[] body) {

    /**
     * Headers that belong to the answer itself and are replayed. Per-request headers (request id, rate
     * limit state, Date, Content-Length) are not: the replay gets its own.
     */
    public static final Set<String> REPLAYED_HEADERS = Set.of("content-type", "location", "cache-control",
            "content-location", "content-language", "etag", "link");

    public record Header(String name, String value) {
    }

    public RecordedAnswer {
        headers = List.copyOf(headers);
        body = body.clone();
    }

    public static RecordedAnswer of(Answer answer) {
        List<Header> headers = new ArrayList<>();
        for (Map.Entry<String, String> header : answer.headers()) {
            if (REPLAYED_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(new Header(header.getKey(), header.getValue()));
            }
        }
        return new RecordedAnswer(answer.status(), headers, answer.body().getBytes());
    }

    static RecordedAnswer of(IdempotencyCompletion completion) {
        List<Header> headers = completion.getHeaders().stream()
                .map(header -> new Header(header.getName(), header.getValue())).toList();
        ByteBuffer buffer = completion.getBody().duplicate();
        byte[] body = new byte[buffer.remaining()];
        buffer.get(body);
        return new RecordedAnswer(completion.getStatus(), headers, body);
    }

    List<RecordedHeader> avroHeaders() {
        return headers.stream().map(header -> new RecordedHeader(header.name(), header.value())).toList();
    }

    /** By content: the body is compared byte for byte. */
    @Override
    public boolean equals(Object other) {
        return other instanceof RecordedAnswer answer && status == answer.status && headers.equals(answer.headers)
                && Arrays.equals(body, answer.body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        // The body is an answer to a merchant and is not printed.
        return "RecordedAnswer[status=" + status + ", headers=" + headers + ", body=" + body.length + " bytes]";
    }

    public MultiMap headerMap() {
        MultiMap map = HttpHeaders.headers();
        headers.forEach(header -> map.add(header.name(), header.value()));
        return map;
    }

    public Buffer bodyBuffer() {
        return Buffer.buffer(body);
    }
}
