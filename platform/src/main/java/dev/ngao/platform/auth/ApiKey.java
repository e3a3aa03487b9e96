package dev.ngao.platform.auth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One API key: who it acts for, where and from where it may be used, what it may do, and its secrets
 * (several while it rotates, each with an expiry). {@link #toString()} never shows a secret.
 *
 * @param allowedNetworks    where requests may come from; empty allows no address (least privilege: a key
 *                           is usable only from the networks its owner named)
 * @param clientCertificates certificates bound to the key for mutual TLS, {@code sha256:<hex>} or
 *                           {@code subject:<RFC 2253 name>}; empty means the key cannot pass a mutual-TLS door
 * @param revokedAt          when the key was revoked; a revoked key has no secrets and is refused
 */
public record ApiKey(
        String keyId,
        String merchantId,
        Environment environment,
        Set<String> scopes,
        List<CidrBlock> allowedNetworks,
        Set<String> clientCertificates,
        List<KeySecret> secrets,
        Instant createdAt,
        Instant updatedAt,
        Instant revokedAt) {

    /** Key ids and merchant ids: short, printable, safe in logs and headers. */
    public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public ApiKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        scopes = Set.copyOf(scopes);
        allowedNetworks = List.copyOf(allowedNetworks);
        clientCertificates = Set.copyOf(clientCertificates);
        secrets = List.copyOf(secrets);
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    /** The secrets a request may be signed with at {@code now}: none when revoked. */
    public List<KeySecret> activeSecrets(Instant now) {
        if (isRevoked()) {
            return List.of();
        }
        return secrets.stream().filter(secret -> secret.isActiveAt(now)).toList();
    }

    /** Whether a request from {@code clientAddress} (an address literal) may use this key. */
    public boolean allowsAddress(String clientAddress) {
        Optional<byte[]> address = IpAddresses.parse(clientAddress);
        return address.isPresent() && allowedNetworks.stream().anyMatch(block -> block.contains(address.get()));
    }

    public ApiKey withSecrets(List<KeySecret> newSecrets, Instant now) {
        return new ApiKey(keyId, merchantId, environment, scopes, allowedNetworks, clientCertificates, newSecrets,
                createdAt, now, revokedAt);
    }

    public ApiKey revoked(Instant now) {
        return new ApiKey(keyId, merchantId, environment, scopes, allowedNetworks, clientCertificates, List.of(),
                createdAt, now, now);
    }

    @Override
    public String toString() {
        return "ApiKey[keyId=" + keyId + ", merchantId=" + merchantId + ", environment=" + environment.text()
                + ", scopes=" + scopes + ", allowedNetworks=" + allowedNetworks + ", secrets=" + secrets
                + (isRevoked() ? ", revokedAt=" + revokedAt : "") + "]";
    }
}
