package dev.ngao.sandbox.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ngao.sandbox.WebhookSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Makes the calls planned for each payment, in order: one payment's calls one after the other (each after
 * its delay and after the previous answered), payments side by side. A genuine call the ingest service does
 * not take (5xx, or no answer) is sent again, as providers do, up to {@link #ATTEMPTS} times; forged and
 * stale calls are sent once.
 */
public final class WebhookDispatcher {

    public static final int ATTEMPTS = 5;
    private static final Duration RETRY_WAIT = Duration.ofMillis(250);
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A call made and how it was answered (HTTP status; 0 when there was no answer). */
    public record Sent(Delivery delivery, int status) {
    }

    private final WebhookTransport transport;
    private final Map<dev.ngao.providers.ProviderKind, WebhookSigner> signers;
    private final Map<dev.ngao.providers.ProviderKind, WebhookSigner> forgers;
    private final Map<dev.ngao.providers.ProviderKind, WebhookSigner> staleSigners;
    private final Consumer<Sent> sent;
    private final AtomicLong inFlight = new AtomicLong();

    /**
     * @param secrets the webhook secret of each provider, as the ingest service is configured with it
     * @param staleBy how far back a stale call's timestamp is (beyond the ingest service's tolerance)
     */
    public WebhookDispatcher(WebhookTransport transport, Map<dev.ngao.providers.ProviderKind, String> secrets,
                             Duration staleBy, Clock clock, Consumer<Sent> sent) {
        this.transport = transport;
        this.sent = sent;
        this.signers = new java.util.EnumMap<>(dev.ngao.providers.ProviderKind.class);
        this.forgers = new java.util.EnumMap<>(dev.ngao.providers.ProviderKind.class);
        this.staleSigners = new java.util.EnumMap<>(dev.ngao.providers.ProviderKind.class);
        secrets.forEach((kind, secret) -> {
            WebhookSigner signer = new WebhookSigner(Dialect.of(kind).scheme(), secret, clock);
            signers.put(kind, signer);
            // A secret nobody configured: the signature is well formed and wrong.
            forgers.put(kind, new WebhookSigner(Dialect.of(kind).scheme(), "forged-" + secret + "-not-the-secret", clock));
            staleSigners.put(kind, signer.skewedBy(staleBy.negated()));
        });
    }

    /** Sends one payment's calls in order; completes when the last is answered. */
    public CompletableFuture<Void> dispatch(List<Delivery> deliveries) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        inFlight.incrementAndGet();
        for (Delivery delivery : deliveries) {
            chain = chain.thenCompose(ignored -> after(delivery.delay()))
                    .thenCompose(ignored -> send(delivery, 1));
        }
        return chain.whenComplete((ignored, failure) -> {
            inFlight.decrementAndGet();
            if (failure != null) {
                LOG.warn("Webhooks of a payment stopped: {}", failure.toString());
            }
        });
    }

    /** Payments whose calls are still being made. */
    public long inFlight() {
        return inFlight.get();
    }

    private CompletableFuture<Void> send(Delivery delivery, int attempt) {
        byte[] body = body(delivery.webhook().body());
        WebhookSigner signer = switch (delivery.signing()) {
            case VALID -> signers.get(delivery.webhook().kind());
            case FORGED -> forgers.get(delivery.webhook().kind());
            case STALE -> staleSigners.get(delivery.webhook().kind());
        };
        if (signer == null) {
            throw new IllegalStateException("no webhook secret for " + delivery.webhook().kind().id());
        }
        String path = Dialect.of(delivery.webhook().kind()).webhookPath();
        return transport.post(path, signer.headers(body), body).toCompletableFuture()
                .handle((status, failure) -> failure == null ? status : 0)
                .thenCompose(status -> {
                    boolean retry = delivery.signing() == Delivery.Signing.VALID && (status == 0 || status >= 500)
                            && attempt < ATTEMPTS;
                    if (retry) {
                        return after(RETRY_WAIT.multipliedBy(attempt)).thenCompose(ignored -> send(delivery, attempt + 1));
                    }
                    LOG.debug("Webhook {} of {} ({}) answered {}", delivery.webhook().eventId(),
                            delivery.webhook().transactionId(), delivery.signing(), status);
                    sent.accept(new Sent(delivery, status));
                    return CompletableFuture.completedFuture(null);
                });
    }

    private static CompletableFuture<Void> after(Duration delay) {
        if (delay.isZero()) {
            return CompletableFuture.completedFuture(null);
        }
        Executor delayed = CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS);
        return CompletableFuture.runAsync(() -> { }, delayed);
    }

    static byte[] body(Map<String, Object> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
