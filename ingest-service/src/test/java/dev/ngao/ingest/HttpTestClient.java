package dev.ngao.ingest;

import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.platform.auth.RequestSigner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Speaks to the ingest API over real HTTP, as a merchant's back end would: every request signed when a key is given. */
final class HttpTestClient {

    static final String VALID_BODY = """
            {"type": "MOBILE_MONEY_COLLECTION", "amount": "1500.50", "currency": "KES",
             "msisdn": "+254712345678", "operator": "MPESA", "country": "KE", "merchantReference": "order-42"}""";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    HttpTestClient(int port) {
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    /** A payment with a fresh Idempotency-Key, as a merchant sends a new request. */
    HttpResponse<String> postPayment(String keyId, String secret, String contentType, String body) {
        return send(postPaymentRequest(keyId, secret, contentType, body, newIdempotencyKey()));
    }

    /** A payment with {@code idempotencyKey} (none when null), as a merchant retrying sends it. */
    HttpResponse<String> postPaymentWithKey(String keyId, String secret, String body, String idempotencyKey) {
        return send(postPaymentRequest(keyId, secret, "application/json", body, idempotencyKey));
    }

    CompletableFuture<HttpResponse<String>> postPaymentAsync(String keyId, String secret, String body) {
        return postPaymentWithKeyAsync(keyId, secret, body, newIdempotencyKey());
    }

    CompletableFuture<HttpResponse<String>> postPaymentWithKeyAsync(String keyId, String secret, String body,
                                                                   String idempotencyKey) {
        return client.sendAsync(postPaymentRequest(keyId, secret, "application/json", body, idempotencyKey),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A POST of {@code body} to {@code path} with {@code headers}, unauthenticated (webhooks). */
    HttpResponse<String> post(String path, java.util.Map<String, String> headers, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        return send(builder.build());
    }

    /** A JSON POST of {@code body} (none when null) to {@code path}, signed, without Idempotency-Key. */
    HttpResponse<String> postSigned(String path, String keyId, String secret, String body) {
        URI uri = URI.create(baseUrl + path);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return send(signed(builder, keyId, secret, "POST", uri, body == null ? "" : body).build());
    }

    static String newIdempotencyKey() {
        return java.util.UUID.randomUUID().toString();
    }

    HttpResponse<String> get(String path, String keyId, String secret) {
        URI uri = URI.create(baseUrl + path);
        return send(signed(HttpRequest.newBuilder(uri), keyId, secret, "GET", uri, "").GET().build());
    }

    private HttpRequest postPaymentRequest(String keyId, String secret, String contentType, String body,
                                           String idempotencyKey) {
        URI uri = URI.create(baseUrl + PaymentRoutes.PAYMENTS_PATH);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        return signed(builder, keyId, secret, "POST", uri, body).build();
    }

    /** Signed with the key's secret when both are given; unsigned otherwise. */
    private static HttpRequest.Builder signed(HttpRequest.Builder builder, String keyId, String secret, String method,
                                              URI uri, String body) {
        if (keyId == null || secret == null) {
            return builder;
        }
        return new RequestSigner(keyId, secret).sign(method, uri, body).applyTo(builder);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP call failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
