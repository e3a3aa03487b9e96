package dev.ngao.sandbox.provider;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Where webhooks go: the ingest service over HTTP, or a recorder in tests. Completes with the HTTP status. */
@FunctionalInterface
public interface WebhookTransport {

    CompletionStage<Integer> post(String path, Map<String, String> headers, byte[] body);
}
