package dev.ngao.platform.auth;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Signs requests the way Ngao verifies them ({@link RequestSigning}): a fresh random nonce and the
 * current time for every call, so each signed request can be sent once. Made for {@code java.net.http}:
 * {@code signer.sign("POST", uri, body).applyTo(builder)}; any other client can take {@link
 * SignedHeaders#asMap()}. Thread-safe.
 *
 * <p>During a rotation the signer can hold two secrets and send both signatures, so requests keep
 * passing whichever secret the server still accepts.
 */
public final class RequestSigner {

    /** 24 random bytes give 32 URL-safe characters: well inside 16..64, and never repeated in practice. */
    private static final int NONCE_BYTES = 24;

    private final String keyId;
    private final List<byte[]> secrets;
    private final Clock clock;
    private final SecureRandom random;

    public RequestSigner(String keyId, String secret) {
        this(keyId, List.of(secret), Clock.systemUTC(), new SecureRandom());
    }

    /**
     * @param secrets one to {@value RequestSigning#MAXIMUM_SIGNATURES} secrets of the key, each giving one signature
     * @param clock   where the timestamp comes from (tests pin it)
     */
    public RequestSigner(String keyId, List<String> secrets, Clock clock, SecureRandom random) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        if (secrets.isEmpty() || secrets.size() > RequestSigning.MAXIMUM_SIGNATURES) {
            throw new IllegalArgumentException("sign with 1 to " + RequestSigning.MAXIMUM_SIGNATURES + " secrets");
        }
        List<byte[]> bytes = new ArrayList<>();
        secrets.forEach(secret -> bytes.add(secret.getBytes(StandardCharsets.UTF_8)));
        this.secrets = List.copyOf(bytes);
        this.clock = clock;
        this.random = random;
    }

    public String keyId() {
        return keyId;
    }

    /** The four headers for {@code method} on {@code uri} with {@code body} (null or empty for none). */
    public SignedHeaders sign(String method, URI uri, byte[] body) {
        return sign(method, RequestSigning.pathAndQuery(uri), body);
    }

    /** The four headers for {@code method} on the raw {@code pathAndQuery} with {@code body}. */
    public SignedHeaders sign(String method, String pathAndQuery, byte[] body) {
        return signBodyHash(method, pathAndQuery, RequestSigning.bodySha256Hex(body));
    }

    /**
     * The four headers for a body known by its SHA-256 (lower-case hex) only: a large file hashed as it is
     * read, never held in memory whole.
     */
    public SignedHeaders signBodyHash(String method, String pathAndQuery, String bodySha256Hex) {
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        String nonce = newNonce();
        String canonical = RequestSigning.canonicalString(method, pathAndQuery, timestamp, nonce, bodySha256Hex);
        return new SignedHeaders(keyId, timestamp, nonce, RequestSigning.signatureHeader(secrets, canonical));
    }

    /** Same as {@link #sign(String, URI, byte[])} for a UTF-8 text body. */
    public SignedHeaders sign(String method, URI uri, String body) {
        return sign(method, uri, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private String newNonce() {
        byte[] bytes = new byte[NONCE_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "RequestSigner[keyId=" + keyId + "]";
    }

    /** The four headers of one signed request. */
    public record SignedHeaders(String keyId, String timestamp, String nonce, String signature) {

        /** Header name to value, in the documented order. */
        public Map<String, String> asMap() {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(RequestSigning.KEY_ID_HEADER, keyId);
            headers.put(RequestSigning.TIMESTAMP_HEADER, timestamp);
            headers.put(RequestSigning.NONCE_HEADER, nonce);
            headers.put(RequestSigning.SIGNATURE_HEADER, signature);
            return headers;
        }

        /** Adds the four headers to a {@code java.net.http} request. */
        public HttpRequest.Builder applyTo(HttpRequest.Builder builder) {
            asMap().forEach(builder::header);
            return builder;
        }
    }
}
