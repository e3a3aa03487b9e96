package dev.ngao.providers.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ngao.events.PaymentRequest;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.providers.config.ProviderSettings;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What the three adapters share: requests built against the configured base URL with the provider's
 * credentials, JSON in and out, calls through {@link ResilientHttp}, and a probe of {@code GET /health}.
 * Submissions carry the caller's {@code Idempotency-Key} (the same for every attempt of one submission): a
 * submission repeated after a timeout or a crash must not become a second payment at the provider.
 */
public abstract class HttpProviderAdapter implements ProviderAdapter {

    public static final String HEALTH_PATH = "/health";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** The longest key the providers take (255 characters, as the common Idempotency-Key APIs allow). */
    public static final int MAXIMUM_KEY_LENGTH = 255;

    private final ResilientHttp http;
    private final String base;

    protected HttpProviderAdapter(ResilientHttp http) {
        this.http = http;
        String url = http.settings().baseUrl().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public ProviderKind kind() {
        return http.settings().kind();
    }

    public ProviderSettings settings() {
        return http.settings();
    }

    public ResilientHttp http() {
        return http;
    }

    /** Completes true when the provider answers {@code GET /health} with 2xx; fails with {@link ProviderCallException} otherwise. */
    @Override
    public CompletionStage<Boolean> probe() {
        HttpRequest request = authenticated(HttpRequest.newBuilder(uri(HEALTH_PATH)).GET()).build();
        return http.once("probe", request, response -> true);
    }

    @Override
    public CompletionStage<ProviderStatusResult> submit(PaymentRequest request, String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > MAXIMUM_KEY_LENGTH) {
            throw new IllegalArgumentException("an idempotency key of 1 to " + MAXIMUM_KEY_LENGTH
                    + " characters is required");
        }
        byte[] body = JsonBodies.write(submission(request));
        HttpRequest call = authenticated(HttpRequest.newBuilder(uri(submitPath())))
                .header("Content-Type", "application/json")
                .header(IDEMPOTENCY_KEY, idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        JsonBodies json = new JsonBodies(kind().id(), "submit");
        return http.call("submit", call, response -> status(json, json.read(response.body())));
    }

    /** A 404 is an answer: the provider does not know the payment, and the result says {@code UNKNOWN}. */
    @Override
    public CompletionStage<ProviderStatusResult> queryStatus(String transactionId, String providerReference) {
        HttpRequest call = authenticated(HttpRequest.newBuilder(uri(statusPath(encode(transactionId)))).GET()).build();
        JsonBodies json = new JsonBodies(kind().id(), "query status");
        return http.call("query status", call, new ResilientHttp.Answer<>() {
            @Override
            public ProviderStatusResult read(HttpResponse<byte[]> response) {
                if (response.statusCode() == 404) {
                    return new ProviderStatusResult(transactionId, providerReference,
                            dev.ngao.events.ProviderStatus.UNKNOWN, null, null, null);
                }
                return status(json, json.read(response.body()));
            }

            @Override
            public boolean accepts(int status) {
                return status == 404 || status >= 200 && status < 300;
            }
        });
    }

    protected URI uri(String path) {
        return URI.create(base + path);
    }

    protected static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The request with this provider's credentials. */
    protected abstract HttpRequest.Builder authenticated(HttpRequest.Builder request);

    protected abstract String submitPath();

    protected abstract String statusPath(String encodedTransactionId);

    /** The submission body of {@code request}, in the provider's contract. */
    protected abstract Map<String, Object> submission(PaymentRequest request);

    /** A status answer (of a submission or a query) normalised. */
    protected abstract ProviderStatusResult status(JsonBodies json, JsonNode answer);
}
