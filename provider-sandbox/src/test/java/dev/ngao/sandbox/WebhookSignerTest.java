package dev.ngao.sandbox;

import dev.ngao.platform.webhook.CardNetworkSignature;
import dev.ngao.platform.webhook.MobileMoneyHubSignature;
import dev.ngao.platform.webhook.PagoEfectivoSignature;
import dev.ngao.platform.webhook.WebhookVerdict;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignerTest {

    private static final String SECRET = "sandbox-webhook-secret-0123456789";
    private static final byte[] BODY = "{\"eventId\":\"e-1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldSignSoThatTheVerifierAcceptsWhenEachProviderSigns() {
        for (WebhookSigner signer : List.of(WebhookSigner.mobileMoneyHub(SECRET), WebhookSigner.pagoEfectivo(SECRET),
                WebhookSigner.cardNetwork(SECRET))) {
            assertThat(verdict(signer, SECRET)).as(signer.provider()).isEqualTo(WebhookVerdict.VALID);
        }
        assertThat(List.of(WebhookSigner.mobileMoneyHub(SECRET).provider(), WebhookSigner.pagoEfectivo(SECRET).provider(),
                WebhookSigner.cardNetwork(SECRET).provider())).containsExactly(MobileMoneyHubSignature.PROVIDER,
                PagoEfectivoSignature.PROVIDER, CardNetworkSignature.PROVIDER);
    }

    @Test
    void shouldMakeForgedCallsWhenSigningWithAnotherSecret() {
        assertThat(verdict(WebhookSigner.cardNetwork("not-the-configured-secret-0000"), SECRET))
                .isEqualTo(WebhookVerdict.FORGED);
    }

    @Test
    void shouldMakeStaleCallsWhenTheClockIsSkewedBeyondTheTolerance() {
        WebhookSigner signer = WebhookSigner.pagoEfectivo(SECRET).skewedBy(Duration.ofMinutes(-10));

        assertThat(verdict(signer, SECRET)).isEqualTo(WebhookVerdict.STALE);
    }

    /** What the receiving side (ingest-service) concludes, with {@code configuredSecret} and 5 minutes of tolerance. */
    private static WebhookVerdict verdict(WebhookSigner signer, String configuredSecret) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(signer.headers(BODY));
        return signer.scheme().verify(headers::get, BODY, List.of(configuredSecret.getBytes(StandardCharsets.UTF_8)),
                Instant.now(), Duration.ofMinutes(5));
    }
}
