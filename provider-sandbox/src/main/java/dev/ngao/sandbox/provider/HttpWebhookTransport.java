package dev.ngao.sandbox.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Posts webhooks to the ingest service. */
public final class HttpWebhookTransport implements WebhookTransport {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<String> ingestBaseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public HttpWebhookTransport(String ingestBaseUrl) {
        String url = withoutTrailingSlash(ingestBaseUrl);
        this.ingestBaseUrl = () -> url;
    }

    /**
     * @param ingestBaseUrl read at each call: the embedded mode starts the sandbox before the ingest service,
     *                      whose port is known only once it listens
     */
    public HttpWebhookTransport(Supplier<String> ingestBaseUrl) {
        this.ingestBaseUrl = () -> withoutTrailingSlash(ingestBaseUrl.get());
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public CompletionStage<Integer> post(String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingestBaseUrl.get() + path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }
}
