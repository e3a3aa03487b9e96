package dev.ngao.platform.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * One secret of an API key, in clear, as the verifier needs it: HMAC verification recomputes the
 * signature with the secret itself, so the store cannot keep a one-way hash of it (it encrypts it instead,
 * see {@link SecretCipher}). Never printed: {@link #toString()} names the secret id and expiry only.
 */
public final class KeySecret {

    private final String secretId;
    private final byte[] value;
    private final Instant createdAt;
    private final Instant expiresAt;

    public KeySecret(String secretId, byte[] value, Instant createdAt, Instant expiresAt) {
        this.secretId = Objects.requireNonNull(secretId, "secretId");
        this.value = Objects.requireNonNull(value, "value").clone();
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public String secretId() {
        return secretId;
    }

    /** A copy of the secret's bytes (the UTF-8 of the text the merchant holds). */
    public byte[] value() {
        return value.clone();
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** Active strictly before its expiry instant. */
    public boolean isActiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** The same secret expiring at {@code newExpiry}. */
    public KeySecret expiringAt(Instant newExpiry) {
        return new KeySecret(secretId, value, createdAt, newExpiry);
    }

    @Override
    public String toString() {
        return "KeySecret[secretId=" + secretId + ", expiresAt=" + expiresAt + "]";
    }
}
