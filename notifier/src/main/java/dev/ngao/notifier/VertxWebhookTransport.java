package dev.ngao.notifier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * POSTs with Vert.x's HTTP client. Redirects are not followed (a 3xx is no acknowledgement, and a signed
 * body must not be carried to another host); the response body is read and dropped, never kept.
 */
final class VertxWebhookTransport implements WebhookTransport {

    private static final String USER_AGENT = "Ngao-Notifier/1";

    private final HttpClientAgent client;
    private final int connectTimeoutMs;

    VertxWebhookTransport(Vertx vertx, int connectTimeoutMs, int maxConnections) {
        this.connectTimeoutMs = connectTimeoutMs;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout(connectTimeoutMs)
                        .setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(maxConnections));
    }

    @Override
    public Future<Integer> post(URI url, Map<String, String> headers, byte[] body, Duration timeout) {
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url.toString())
                .setFollowRedirects(false)
                .setConnectTimeout(connectTimeoutMs)
                .setIdleTimeout(timeout.toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", USER_AGENT);
        headers.forEach(request::putHeader);
        return client.request(request)
                .compose(sent -> sent.send(Buffer.buffer(body)))
                .compose(response -> {
                    response.handler(ignored -> { });
                    return response.end().map(done -> response.statusCode());
                })
                // The whole attempt, connection included, gets one deadline.
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        client.close();
    }
}
