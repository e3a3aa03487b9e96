package dev.ngao.ingest;

import dev.ngao.events.ProviderStatus;
import dev.ngao.ingest.fuzz.ApiFuzzer;
import dev.ngao.platform.webhook.CardNetworkSignature;
import dev.ngao.platform.webhook.MobileMoneyHubSignature;
import dev.ngao.platform.webhook.PagoEfectivoSignature;
import dev.ngao.platform.webhook.WebhookSignatureScheme;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** How each simulated provider calls its webhook: path, signature scheme, and a payload in its own words. */
public enum ProviderCalls {

    MOBILE_MONEY("/webhooks/mobile-money", new MobileMoneyHubSignature(), "ingest.webhooks.mobilemoney.secrets",
            Map.of(ProviderStatus.PENDING, "PENDING", ProviderStatus.SUCCEEDED, "SUCCESSFUL",
                    ProviderStatus.FAILED, "FAILED", ProviderStatus.EXPIRED, "TIMED_OUT",
                    ProviderStatus.REVERSED, "REVERSED")) {
        @Override
        public String body(String eventId, String transactionId, ProviderStatus status) {
            return "{\"eventId\":\"" + eventId + "\",\"transactionId\":\"" + transactionId
                    + "\",\"hubReference\":\"MMH-8842\",\"status\":\"" + word(status)
                    + "\",\"amount\":\"1500.50\",\"currency\":\"KES\",\"occurredAt\":\"2026-03-01T10:15:30Z\"}";
        }
    },
    PAGOEFECTIVO("/webhooks/pagoefectivo", new PagoEfectivoSignature(), "ingest.webhooks.pagoefectivo.secrets",
            Map.of(ProviderStatus.PENDING, "cip.generated", ProviderStatus.SUCCEEDED, "cip.paid",
                    ProviderStatus.FAILED, "cip.cancelled", ProviderStatus.EXPIRED, "cip.expired",
                    ProviderStatus.REVERSED, "cip.extorned")) {
        @Override
        public String body(String eventId, String transactionId, ProviderStatus status) {
            return "{\"eventId\":\"" + eventId + "\",\"eventType\":\"" + word(status) + "\",\"cip\":\"2026030112345\","
                    + "\"transactionCode\":\"" + transactionId + "\",\"amount\":\"50.00\",\"currency\":\"PEN\","
                    + "\"eventDate\":\"2026-03-01T05:15:30\"}";
        }
    },
    CARD_NETWORK("/webhooks/card-network", new CardNetworkSignature(), "ingest.webhooks.cardnetwork.secrets",
            Map.of(ProviderStatus.PENDING, "AUTHORIZED", ProviderStatus.SUCCEEDED, "CAPTURED",
                    ProviderStatus.FAILED, "DECLINED", ProviderStatus.EXPIRED, "AUTHORIZATION_EXPIRED",
                    ProviderStatus.REVERSED, "REVERSED")) {
        @Override
        public String body(String eventId, String transactionId, ProviderStatus status) {
            return "{\"id\":\"" + eventId + "\",\"transactionId\":\"" + transactionId + "\",\"authorizationCode\":\"A1B2C3\","
                    + "\"type\":\"" + word(status) + "\",\"amount\":{\"value\":\"12.34\",\"currency\":\"USD\"},"
                    + "\"timestamp\":\"2026-03-01T10:15:30.123Z\"}";
        }
    };

    public static final String SECRET = "provider-webhook-secret-0000000001";
    public static final String OLD_SECRET = "provider-webhook-secret-old-000002";

    public final String path;
    public final WebhookSignatureScheme scheme;
    public final String secretsKey;
    private final Map<ProviderStatus, String> words;

    ProviderCalls(String path, WebhookSignatureScheme scheme, String secretsKey, Map<ProviderStatus, String> words) {
        this.path = path;
        this.scheme = scheme;
        this.secretsKey = secretsKey;
        this.words = words;
    }

    public abstract String body(String eventId, String transactionId, ProviderStatus status);

    public String word(ProviderStatus status) {
        return words.get(status);
    }

    /** The transaction the fuzzer's payloads name: the fuzzing test records it as submitted. */
    public static final String FUZZED_TRANSACTION = "txn_3f9c0b7e5d2a4c61a8e0f1b2c3d4e5f6";

    /** Each provider's webhook as the fuzzer signs it, with {@code secret}, and one valid payload to mutate. */
    public static List<ApiFuzzer.SignedWebhook> fuzzed(String secret) {
        return Arrays.stream(values())
                .map(provider -> new ApiFuzzer.SignedWebhook(provider.path, provider.scheme, secret,
                        provider.body("fuzz-evt-1", FUZZED_TRANSACTION, ProviderStatus.SUCCEEDED)))
                .toList();
    }

    /** The signature headers of {@code body}, as the provider sends them at {@code at} with {@code secret}. */
    public Map<String, String> signed(String body, Instant at, String secret) {
        return scheme.sign(body.getBytes(StandardCharsets.UTF_8), at, secret.getBytes(StandardCharsets.UTF_8));
    }
}
