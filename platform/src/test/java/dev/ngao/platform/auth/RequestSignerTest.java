package dev.ngao.platform.auth;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RequestSignerTest {

    private static final String OLD_SECRET = "nsk_old-secret-0123456789abcdef";
    private static final String NEW_SECRET = "nsk_new-secret-0123456789abcdef";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:15:30Z"), ZoneOffset.UTC);

    @Test
    void shouldProduceHeadersTheVerifierAcceptsWhenSigningRoundTrip() {
        // Given a signer and a request
        RequestSigner signer = new RequestSigner("key-a", List.of(OLD_SECRET), CLOCK, new SecureRandom());
        URI uri = URI.create("http://127.0.0.1:8080/v1/payments?dry=true");
        String body = "{\"amount\":\"1.00\"}";

        // When it is signed
        RequestSigner.SignedHeaders headers = signer.sign("POST", uri, body);

        // Then the verifier's side of the scheme accepts it, with the key id and the clock's seconds
        assertThat(headers.keyId()).isEqualTo("key-a");
        assertThat(headers.timestamp()).isEqualTo(Long.toString(CLOCK.instant().getEpochSecond()));
        assertThat(RequestSigning.isValidNonce(headers.nonce())).isTrue();
        String canonical = RequestSigning.canonicalString("POST", "/v1/payments?dry=true", headers.timestamp(),
                headers.nonce(), RequestSigning.bodySha256Hex(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(RequestSigning.matchesAny(OLD_SECRET.getBytes(StandardCharsets.UTF_8), canonical,
                RequestSigning.presentedSignatures(headers.signature()))).isTrue();

        // And a changed body, path or method no longer verifies
        String tampered = RequestSigning.canonicalString("POST", "/v1/payments?dry=false", headers.timestamp(),
                headers.nonce(), RequestSigning.bodySha256Hex(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(RequestSigning.matchesAny(OLD_SECRET.getBytes(StandardCharsets.UTF_8), tampered,
                RequestSigning.presentedSignatures(headers.signature()))).isFalse();
    }

    @Test
    void shouldSendOneSignaturePerSecretWhenRotating() {
        RequestSigner signer = new RequestSigner("key-a", List.of(OLD_SECRET, NEW_SECRET), CLOCK, new SecureRandom());

        RequestSigner.SignedHeaders headers = signer.sign("GET", "/v1/payments/txn_1", null);

        List<byte[]> presented = RequestSigning.presentedSignatures(headers.signature());
        assertThat(presented).hasSize(2);
        String canonical = RequestSigning.canonicalString("GET", "/v1/payments/txn_1", headers.timestamp(),
                headers.nonce(), RequestSigning.bodySha256Hex(null));
        assertThat(RequestSigning.matchesAny(NEW_SECRET.getBytes(StandardCharsets.UTF_8), canonical, presented)).isTrue();
        assertThat(RequestSigning.matchesAny(OLD_SECRET.getBytes(StandardCharsets.UTF_8), canonical, presented)).isTrue();
    }

    @Test
    void shouldUseFreshNonceForEveryRequest() {
        RequestSigner signer = new RequestSigner("key-a", OLD_SECRET);
        Set<String> nonces = new HashSet<>();

        for (int request = 0; request < 1_000; request++) {
            nonces.add(signer.sign("GET", "/v1/payments/txn_1", (byte[]) null).nonce());
        }

        assertThat(nonces).hasSize(1_000).allSatisfy(nonce -> assertThat(RequestSigning.isValidNonce(nonce)).isTrue());
    }

    @Test
    void shouldPutTheFourHeadersOnJavaHttpRequest() {
        RequestSigner signer = new RequestSigner("key-a", OLD_SECRET);
        URI uri = URI.create("http://127.0.0.1:8080/v1/payments");

        HttpRequest request = signer.sign("GET", uri, (byte[]) null).applyTo(HttpRequest.newBuilder(uri)).GET().build();

        assertThat(request.headers().map().keySet()).containsExactlyInAnyOrder(RequestSigning.KEY_ID_HEADER,
                RequestSigning.TIMESTAMP_HEADER, RequestSigning.NONCE_HEADER, RequestSigning.SIGNATURE_HEADER);
    }

    @Test
    void shouldNotRevealSecretWhenPrinted() {
        assertThat(new RequestSigner("key-a", OLD_SECRET).toString()).contains("key-a").doesNotContain(OLD_SECRET);
    }
}
