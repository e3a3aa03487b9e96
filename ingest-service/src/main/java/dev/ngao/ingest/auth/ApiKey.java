package dev.ngao.ingest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * One API key: its public id, the merchant it acts for, and the digest of its secret. The secret itself
 * is not kept: only its SHA-256 digest, compared in constant time, so a heap dump or a stray
 * {@code toString()} cannot reveal it.
 */
public final class ApiKey {

    private final String keyId;
    private final String merchantId;
    private final byte[] secretDigest;

    public ApiKey(String keyId, String merchantId, String secret) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.merchantId = Objects.requireNonNull(merchantId, "merchantId");
        this.secretDigest = sha256(Objects.requireNonNull(secret, "secret"));
    }

    public String keyId() {
        return keyId;
    }

    public String merchantId() {
        return merchantId;
    }

    /** Whether {@code presentedSecret} is this key's secret; the comparison time does not depend on where they differ. */
    public boolean matches(String presentedSecret) {
        return MessageDigest.isEqual(secretDigest, sha256(presentedSecret));
    }

    /** SHA-256 of the UTF-8 text: equal-length digests make {@link MessageDigest#isEqual} independent of the secret length. */
    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKey[keyId=" + keyId + ", merchantId=" + merchantId + "]";
    }
}
