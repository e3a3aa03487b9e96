package dev.ngao.sandbox.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Posts webhooks to the ingest service. */
public final class HttpWebhookTransport implements WebhookTransport {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String ingestBaseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public HttpWebhookTransport(String ingestBaseUrl) {
        this.ingestBaseUrl = ingestBaseUrl.endsWith("/") ? ingestBaseUrl.substring(0, ingestBaseUrl.length() - 1)
                : ingestBaseUrl;
    }

    @Override
    public CompletionStage<Integer> post(String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingestBaseUrl + path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }
}
