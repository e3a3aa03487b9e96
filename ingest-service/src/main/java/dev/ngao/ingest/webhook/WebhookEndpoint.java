package dev.ngao.ingest.webhook;

import dev.ngao.platform.webhook.WebhookSignatureScheme;
import dev.ngao.platform.webhook.WebhookVerdict;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One provider's webhook door: its path, its signature scheme, its secrets (several while it rotates) and
 * how far its timestamps may drift, plus the reader of its payload.
 */
public record WebhookEndpoint(String path, WebhookSignatureScheme scheme, List<byte[]> secrets, Duration tolerance,
                              ProviderPayload payload) {

    public WebhookEndpoint {
        secrets = secrets.stream().map(byte[]::clone).toList();
    }

    public String provider() {
        return scheme.provider();
    }

    /** The verdict on a call; with no secret configured nothing is ever valid. */
    public WebhookVerdict verify(UnaryOperator<String> header, byte[] body, Instant now) {
        return scheme.verify(header, body, secrets, now, tolerance);
    }

    @Override
    public String toString() {
        return "WebhookEndpoint[" + path + ", " + secrets.size() + " secrets]";
    }
}
