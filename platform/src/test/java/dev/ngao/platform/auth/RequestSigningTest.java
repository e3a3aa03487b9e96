package dev.ngao.platform.auth;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestSigningTest {

    private static final String SECRET = "nsk_test-secret-0123456789abcdef";
    private static final String BODY = "{\"amount\":\"10.00\"}";
    /** Computed outside Java (Python's hmac and hashlib) so the test pins the documented scheme, not the code. */
    private static final String BODY_SHA256 = "e9eb495accbce2a0e95bbe079b9f9e42ccae20371c1516e3ed3036d2a787cf53";
    private static final String EXPECTED_SIGNATURE = "7caa91397c062737b55afebc5981d9d91945a8310d246e48a6f281df2a4a27a2";

    @Test
    void shouldJoinMethodPathTimestampNonceAndBodyHashWithNewlinesWhenBuildingCanonicalString() {
        // When the canonical string of a POST is built
        String canonical = RequestSigning.canonicalString("post", "/v1/payments?x=1", "1700000000",
                "abcdefghijklmnop0123", BODY_SHA256);

        // Then it is the five parts in order, the method upper-cased, no trailing newline
        assertThat(canonical).isEqualTo("POST\n/v1/payments?x=1\n1700000000\nabcdefghijklmnop0123\n" + BODY_SHA256);
    }

    @Test
    void shouldHashBodyAsLowerCaseHexAndEmptyBodyAsHashOfNothing() {
        assertThat(RequestSigning.bodySha256Hex(BODY.getBytes(StandardCharsets.UTF_8))).isEqualTo(BODY_SHA256);
        assertThat(RequestSigning.bodySha256Hex(null)).isEqualTo(RequestSigning.bodySha256Hex(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void shouldMatchIndependentlyComputedHmacWhenSigning() {
        String canonical = RequestSigning.canonicalString("POST", "/v1/payments?x=1", "1700000000",
                "abcdefghijklmnop0123", BODY_SHA256);

        assertThat(RequestSigning.signatureHex(SECRET.getBytes(StandardCharsets.UTF_8), canonical))
                .isEqualTo(EXPECTED_SIGNATURE);
        assertThat(RequestSigning.signatureHeader(List.of(SECRET.getBytes(StandardCharsets.UTF_8)), canonical))
                .isEqualTo("v1=" + EXPECTED_SIGNATURE);
    }

    @Test
    void shouldKeepPathAndQueryRawWhenTakenFromUri() {
        assertThat(RequestSigning.pathAndQuery(URI.create("https://h:8443/v1/payments/txn%201?a=b%20c&d=e")))
                .isEqualTo("/v1/payments/txn%201?a=b%20c&d=e");
        assertThat(RequestSigning.pathAndQuery(URI.create("http://h"))).isEqualTo("/");
    }

    @Test
    void shouldParseSeveralSignaturesSeparatedBySpaces() {
        String other = "ab".repeat(32);
        List<byte[]> signatures = RequestSigning.presentedSignatures("v1=" + EXPECTED_SIGNATURE + "  v1=" + other);

        assertThat(signatures).hasSize(2);
        assertThat(HexFormat.of().formatHex(signatures.get(0))).isEqualTo(EXPECTED_SIGNATURE);
        assertThat(HexFormat.of().formatHex(signatures.get(1))).isEqualTo(other);
    }

    @Test
    void shouldRefuseWholeHeaderWhenAnyValueIsMalformed() {
        assertThat(RequestSigning.presentedSignatures(null)).isEmpty();
        assertThat(RequestSigning.presentedSignatures(" ")).isEmpty();
        assertThat(RequestSigning.presentedSignatures("v2=" + EXPECTED_SIGNATURE)).isEmpty();
        assertThat(RequestSigning.presentedSignatures("v1=" + EXPECTED_SIGNATURE + " v1=xyz")).isEmpty();
        assertThat(RequestSigning.presentedSignatures("v1=" + EXPECTED_SIGNATURE.substring(2))).isEmpty();
        assertThat(RequestSigning.presentedSignatures(("v1=" + EXPECTED_SIGNATURE + " ").repeat(5))).isEmpty();
    }

    @Test
    void shouldMatchWhenAnyPresentedSignatureIsRightAndNotOtherwise() {
        String canonical = RequestSigning.canonicalString("POST", "/v1/payments?x=1", "1700000000",
                "abcdefghijklmnop0123", BODY_SHA256);
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        byte[] wrong = HexFormat.of().parseHex("00".repeat(32));
        byte[] right = HexFormat.of().parseHex(EXPECTED_SIGNATURE);

        assertThat(RequestSigning.matchesAny(secret, canonical, List.of(wrong, right))).isTrue();
        assertThat(RequestSigning.matchesAny(secret, canonical, List.of(wrong))).isFalse();
        assertThat(RequestSigning.matchesAny(secret, canonical, List.of())).isFalse();
        assertThat(RequestSigning.matchesAny(secret, canonical.replace("POST", "GET"), List.of(right))).isFalse();
    }

    @Test
    void shouldAcceptOnlyUrlSafeNoncesOf16To64Characters() {
        assertThat(RequestSigning.isValidNonce("abcdefghijklmnop")).isTrue();
        assertThat(RequestSigning.isValidNonce("A-_9".repeat(16))).isTrue();
        assertThat(RequestSigning.isValidNonce("abcdefghijklmno")).isFalse();
        assertThat(RequestSigning.isValidNonce("a".repeat(65))).isFalse();
        assertThat(RequestSigning.isValidNonce("abcdefghijklmnop+")).isFalse();
        assertThat(RequestSigning.isValidNonce("abcdefghijklmnop\n")).isFalse();
        assertThat(RequestSigning.isValidNonce(null)).isFalse();
    }

    @Test
    void shouldParseOnlyPlainDecimalTimestamps() {
        assertThat(RequestSigning.parseTimestamp("1700000000")).isEqualTo(1_700_000_000L);
        assertThat(RequestSigning.parseTimestamp("-5")).isEqualTo(-1);
        assertThat(RequestSigning.parseTimestamp("1.7e9")).isEqualTo(-1);
        assertThat(RequestSigning.parseTimestamp("1700000000000000")).isEqualTo(-1);
        assertThat(RequestSigning.parseTimestamp(null)).isEqualTo(-1);
    }

    @Test
    void shouldRefuseToSignWithoutSecretsOrWithTooMany() {
        assertThatThrownBy(() -> RequestSigning.signatureHeader(List.of(), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RequestSigning.signatureHeader(List.of(secret, secret, secret, secret, secret), "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
