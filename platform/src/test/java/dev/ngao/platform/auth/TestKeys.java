package dev.ngao.platform.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Keys for tests, built directly so each test states only what matters to it. */
public final class TestKeys {

    public static final List<CidrBlock> LOOPBACK = List.of(CidrBlock.parse("127.0.0.0/8"), CidrBlock.parse("::1/128"));
    public static final Set<String> PAYMENT_SCOPES = Set.of(Scopes.PAYMENTS_WRITE, Scopes.PAYMENTS_READ);

    /** A master key as configuration takes it (Base64), for services' configuration in tests. */
    public static final String MASTER_KEY_TEXT = java.util.Base64.getEncoder().encodeToString(masterKey((byte) 7));

    private TestKeys() {
    }

    /** A sandbox key with the payment scopes, usable from loopback, one secret valid for a year from {@code now}. */
    public static ApiKey key(String keyId, String merchantId, String secret, Instant now) {
        return new ApiKey(keyId, merchantId, Environment.SANDBOX, PAYMENT_SCOPES, LOOPBACK, Set.of(),
                List.of(secret("s1", secret, now, now.plus(Duration.ofDays(365)))), now, now, null);
    }

    /** A master key of 32 bytes of {@code fill}, for the secret cipher. */
    public static byte[] masterKey(byte fill) {
        byte[] key = new byte[SecretCipher.MASTER_KEY_BYTES];
        java.util.Arrays.fill(key, fill);
        return key;
    }

    public static KeySecret secret(String secretId, String value, Instant createdAt, Instant expiresAt) {
        return new KeySecret(secretId, value.getBytes(StandardCharsets.UTF_8), createdAt, expiresAt);
    }

    public static ApiKey withScopes(ApiKey key, Set<String> scopes) {
        return new ApiKey(key.keyId(), key.merchantId(), key.environment(), scopes, key.allowedNetworks(),
                key.clientCertificates(), key.secrets(), key.createdAt(), key.updatedAt(), key.revokedAt());
    }

    public static ApiKey withEnvironment(ApiKey key, Environment environment) {
        return new ApiKey(key.keyId(), key.merchantId(), environment, key.scopes(), key.allowedNetworks(),
                key.clientCertificates(), key.secrets(), key.createdAt(), key.updatedAt(), key.revokedAt());
    }

    public static ApiKey withNetworks(ApiKey key, String... cidrs) {
        return new ApiKey(key.keyId(), key.merchantId(), key.environment(), key.scopes(),
                java.util.Arrays.stream(cidrs).map(CidrBlock::parse).toList(),
                key.clientCertificates(), key.secrets(), key.createdAt(), key.updatedAt(), key.revokedAt());
    }

    public static ApiKey withCertificates(ApiKey key, Set<String> bindings) {
        return new ApiKey(key.keyId(), key.merchantId(), key.environment(), key.scopes(), key.allowedNetworks(),
                bindings, key.secrets(), key.createdAt(), key.updatedAt(), key.revokedAt());
    }
}
