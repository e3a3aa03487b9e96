package dev.ngao.sandbox;

import dev.ngao.platform.webhook.CardNetworkSignature;
import dev.ngao.platform.webhook.MobileMoneyHubSignature;
import dev.ngao.platform.webhook.PagoEfectivoSignature;
import dev.ngao.platform.webhook.WebhookSignatureScheme;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Signs a simulated provider's webhooks exactly as ingest-service verifies them: both sides use the same
 * {@link WebhookSignatureScheme} of the platform. A simulator that misbehaves on request signs with a
 * skewed clock ({@link #skewedBy}) to send stale calls, or with another secret to send forged ones.
 */
public final class WebhookSigner {

    private final WebhookSignatureScheme scheme;
    private final byte[] secret;
    private final Clock clock;

    public WebhookSigner(WebhookSignatureScheme scheme, String secret, Clock clock) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static WebhookSigner mobileMoneyHub(String secret) {
        return new WebhookSigner(new MobileMoneyHubSignature(), secret, Clock.systemUTC());
    }

    public static WebhookSigner pagoEfectivo(String secret) {
        return new WebhookSigner(new PagoEfectivoSignature(), secret, Clock.systemUTC());
    }

    public static WebhookSigner cardNetwork(String secret) {
        return new WebhookSigner(new CardNetworkSignature(), secret, Clock.systemUTC());
    }

    /** The same signer with its clock moved by {@code skew}: a negative skew beyond the tolerance makes stale calls. */
    public WebhookSigner skewedBy(Duration skew) {
        return new WebhookSigner(scheme, new String(secret, StandardCharsets.UTF_8), Clock.offset(clock, skew));
    }

    public String provider() {
        return scheme.provider();
    }

    public WebhookSignatureScheme scheme() {
        return scheme;
    }

    /** The signature headers for {@code body}, signed now. */
    public Map<String, String> headers(byte[] body) {
        return scheme.sign(body, clock.instant(), secret);
    }

    /** The signature headers for a UTF-8 {@code body}. */
    public Map<String, String> headers(String body) {
        return headers(body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "WebhookSigner[" + scheme.provider() + "]";
    }
}
