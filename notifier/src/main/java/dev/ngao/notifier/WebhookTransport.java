package dev.ngao.notifier;

import io.vertx.core.Future;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** Sends one signed notification; the future holds the merchant's HTTP status, or fails without one. */
interface WebhookTransport extends AutoCloseable {

    Future<Integer> post(URI url, Map<String, String> headers, byte[] body, Duration timeout);

    @Override
    void close();
}
