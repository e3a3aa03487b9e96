package dev.ngao.console;

import dev.ngao.platform.auth.RequestSigner;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The console's calls to the ingest service, each signed with the API key linked to the signed-in person's
 * account, so ingest authenticates and scope-checks every action exactly as it would a direct API call; the
 * console holds no key of its own.
 */
final class IngestClient {

    static final String REVIEWS_PATH = "/v1/reviews/";
    static final String APPROVALS_PATH = "/v1/approvals";

    private final URI baseUrl;
    private final Duration timeout;
    private final HttpClient http;

    IngestClient(URI baseUrl, Duration timeout) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** What ingest said: its status and body (a JSON object, or a problem document). */
    record Answer(int status, JsonObject body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** Sends an analyst's resolution of a review to ingest, which writes it to risk.reviews. */
    CompletableFuture<Answer> resolve(RequestSigner signer, String transactionId, String idempotencyKey,
                                      JsonObject resolution) {
        URI uri = at(REVIEWS_PATH + transactionId + "/resolution");
        byte[] body = resolution.encode().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signer.sign("POST", uri, body).applyTo(request);
        return send(request.build());
    }

    /** The caller's merchant's approvals with {@code status} (PENDING, APPROVED, REJECTED, EXPIRED), as ingest lists them. */
    CompletableFuture<Answer> approvals(RequestSigner signer, String status) {
        URI uri = at(APPROVALS_PATH + "?status=" + status);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        signer.sign("GET", uri, new byte[0]).applyTo(request);
        return send(request.build());
    }

    /**
     * Approves ({@code approve}) or rejects ({@code reject}) an approval, signed with the person's key: ingest
     * refuses the key that made the request, so the maker cannot be its own checker here either.
     */
    CompletableFuture<Answer> decideApproval(RequestSigner signer, String approvalId, String decision,
                                             JsonObject body) {
        URI uri = at(APPROVALS_PATH + "/" + approvalId + "/" + decision);
        byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        signer.sign("POST", uri, bytes).applyTo(request);
        return send(request.build());
    }

    /** {@code path} under the base URL, keeping any path the base has (ingest behind a path-routing proxy). */
    URI at(String path) {
        return URI.create(baseUrl.toString() + path);
    }

    private CompletableFuture<Answer> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Answer(response.statusCode(), parse(response.body())));
    }

    private static JsonObject parse(String body) {
        if (body == null || body.isBlank()) {
            return new JsonObject();
        }
        try {
            return new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            return new JsonObject().put("detail", "ingest answered a body that is not JSON");
        }
    }
}
