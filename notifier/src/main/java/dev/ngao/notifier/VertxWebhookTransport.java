package dev.ngao.notifier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * POSTs with Vert.x's HTTP client. Redirects are not followed (a 3xx is no acknowledgement, and a signed
 * body must not be carried to another host).
 *
 * <p>The status line is the merchant's answer: the attempt completes with it, and the response body is
 * neither read nor waited for (with no data handler, Vert.x drops it as it arrives and returns the connection
 * to the pool at its end). A 2xx must not depend on what follows it: a body that stalls or is cut short would
 * otherwise turn an acknowledged message into a failed attempt, sent again. Nor may a handler be needed
 * once the response future has completed: that callback can run as an event-loop task after the response's
 * last bytes were handled, and Vert.x refuses handlers on an ended response (IllegalStateException), which
 * would fail an attempt the merchant had acknowledged.
 */
final class VertxWebhookTransport implements WebhookTransport {

    private static final Logger LOG = LoggerFactory.getLogger(VertxWebhookTransport.class);
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
                .map(response -> {
                    leaveTheBodyUnread(response, headers.get(WebhookSigner.ID_HEADER));
                    return response.statusCode();
                })
                // The whole attempt, connection included, gets one deadline, up to the status line.
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The body is dropped as it arrives; a break in it comes after the status the attempt already has, so it
     * is logged here instead of by Vert.x, which reports a failure of a response without handlers as an error.
     */
    private static void leaveTheBodyUnread(HttpClientResponse response, String webhookId) {
        try {
            response.exceptionHandler(error -> LOG.debug("Answer to {} broke off after its status line: {}",
                    webhookId, error.toString()));
        } catch (IllegalStateException ended) {
            // Vert.x takes no handler on a response that has ended, and nothing can break off after the end.
            LOG.trace("Answer to {} had ended when its status line was read", webhookId);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
