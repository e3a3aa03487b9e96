package dev.ngao.ingest.auth;

import dev.ngao.platform.auth.ApiKey;
import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.ClientCertificates;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.KeySecret;
import dev.ngao.platform.auth.KeyStore;
import dev.ngao.platform.auth.Scopes;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Key management: create a key, rotate its secret without downtime, revoke it, list keys. A new secret
 * is returned once, in {@link IssuedSecret}, and never again: the store keeps it only encrypted, and no
 * listing shows it. Last writer wins when two administrators change one key at the same moment.
 */
public final class KeyAdministration {

    public static final Duration DEFAULT_SECRET_VALIDITY = Duration.ofDays(365);
    public static final Duration DEFAULT_ROTATION_OVERLAP = Duration.ofHours(24);
    /** A key holds at most this many secrets; rotating beyond it drops the ones expiring first. */
    public static final int MAXIMUM_SECRETS = 3;
    public static final int MINIMUM_IMPORTED_SECRET_LENGTH = 24;
    private static final String SECRET_PREFIX = "nsk_";
    private static final int SECRET_RANDOM_BYTES = 32;

    private final KeyStore store;
    private final Clock clock;
    private final SecureRandom random;

    public KeyAdministration(KeyStore store, Clock clock, SecureRandom random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    /** What a new key is: everything but its secret. */
    public record NewKey(String keyId, String merchantId, Environment environment, Set<String> scopes,
                         List<CidrBlock> allowedNetworks, Set<String> clientCertificates, Duration secretValidity) {

        public NewKey {
            Objects.requireNonNull(environment, "environment");
            scopes = Set.copyOf(scopes);
            allowedNetworks = List.copyOf(allowedNetworks);
            clientCertificates = Set.copyOf(clientCertificates);
            Objects.requireNonNull(secretValidity, "secretValidity");
        }
    }

    /** A secret shown once, at creation or rotation. {@link #toString()} hides it. */
    public record IssuedSecret(String keyId, String secretId, String secret, Instant expiresAt) {

        @Override
        public String toString() {
            return "IssuedSecret[keyId=" + keyId + ", secretId=" + secretId + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** Creates a key with a fresh random secret. */
    public IssuedSecret create(NewKey spec) {
        return create(spec, newSecretText());
    }

    /**
     * Creates a key with a secret the caller already has (the embedded demo keeps its secret in a file).
     *
     * @throws IllegalArgumentException when the spec is invalid, the key id is taken or the secret is short
     */
    public IssuedSecret create(NewKey spec, String secret) {
        validate(spec);
        if (secret.length() < MINIMUM_IMPORTED_SECRET_LENGTH) {
            throw new IllegalArgumentException("a secret needs at least " + MINIMUM_IMPORTED_SECRET_LENGTH
                    + " characters");
        }
        if (store.find(spec.keyId()).isPresent()) {
            throw new IllegalArgumentException("key " + spec.keyId() + " exists already");
        }
        Instant now = clock.instant();
        KeySecret first = new KeySecret("s1", secret.getBytes(StandardCharsets.UTF_8), now,
                now.plus(spec.secretValidity()));
        Set<String> certificates = spec.clientCertificates().stream().map(ClientCertificates::requireValidBinding)
                .collect(Collectors.toSet());
        store.save(new ApiKey(spec.keyId(), spec.merchantId(), spec.environment(), spec.scopes(),
                spec.allowedNetworks(), certificates, List.of(first), now, now, null));
        return new IssuedSecret(spec.keyId(), first.secretId(), secret, first.expiresAt());
    }

    /**
     * Adds a fresh secret and lets every older one expire after {@code overlap} (sooner if it expires
     * sooner anyway), so clients can switch during the overlap without a refused request. An overlap of
     * zero retires the old secrets at once (a leaked secret).
     */
    public IssuedSecret rotate(String keyId, Duration overlap, Duration secretValidity) {
        if (overlap.isNegative() || secretValidity.isNegative() || secretValidity.isZero()) {
            throw new IllegalArgumentException("overlap must not be negative and validity must be positive");
        }
        ApiKey key = existing(keyId);
        Instant now = clock.instant();
        Instant oldExpiry = now.plus(overlap);
        List<KeySecret> secrets = new ArrayList<>();
        for (KeySecret secret : key.secrets()) {
            if (secret.isActiveAt(now)) {
                secrets.add(secret.expiresAt().isAfter(oldExpiry) ? secret.expiringAt(oldExpiry) : secret);
            }
        }
        String text = newSecretText();
        KeySecret fresh = new KeySecret(nextSecretId(key), text.getBytes(StandardCharsets.UTF_8), now,
                now.plus(secretValidity));
        secrets.add(fresh);
        while (secrets.size() > MAXIMUM_SECRETS) {
            secrets.remove(secrets.stream().min(Comparator.comparing(KeySecret::expiresAt)).orElseThrow());
        }
        // An overlap of zero leaves the old secrets expiring now: they are dropped with the expired ones.
        store.save(key.withSecrets(secrets.stream().filter(secret -> secret.isActiveAt(now)).toList(), now));
        return new IssuedSecret(keyId, fresh.secretId(), text, fresh.expiresAt());
    }

    /** Revokes the key for good: its secrets are dropped and every request with it is refused. */
    public void revoke(String keyId) {
        ApiKey key = existing(keyId);
        if (!key.isRevoked()) {
            store.save(key.revoked(clock.instant()));
        }
    }

    /** Every key, revoked ones included, with secret ids and expiries but never a secret. */
    public List<ApiKey> list() {
        return store.all();
    }

    private ApiKey existing(String keyId) {
        ApiKey key = store.find(keyId).orElseThrow(() -> new IllegalArgumentException("no key " + keyId));
        if (key.isRevoked()) {
            throw new IllegalArgumentException("key " + keyId + " is revoked");
        }
        return key;
    }

    private static void validate(NewKey spec) {
        if (spec.keyId() == null || !ApiKey.IDENTIFIER.matcher(spec.keyId()).matches()
                || spec.merchantId() == null || !ApiKey.IDENTIFIER.matcher(spec.merchantId()).matches()) {
            throw new IllegalArgumentException("key id and merchant id need 1 to 64 characters among A-Z a-z 0-9 . _ -");
        }
        if (spec.scopes().isEmpty() || !Scopes.ALL.containsAll(spec.scopes())) {
            throw new IllegalArgumentException("scopes must be one or more of " + Scopes.ALL.stream().sorted().toList());
        }
        if (spec.allowedNetworks().isEmpty()) {
            throw new IllegalArgumentException("name at least one allowed network (CIDR); "
                    + "0.0.0.0/0 and ::/0 allow every address");
        }
        if (spec.secretValidity().isNegative() || spec.secretValidity().isZero()) {
            throw new IllegalArgumentException("secret validity must be positive");
        }
        spec.clientCertificates().forEach(ClientCertificates::requireValidBinding);
    }

    private static String nextSecretId(ApiKey key) {
        int highest = 0;
        for (KeySecret secret : key.secrets()) {
            if (secret.secretId().matches("s[0-9]{1,9}")) {
                highest = Math.max(highest, Integer.parseInt(secret.secretId().substring(1)));
            }
        }
        return "s" + (highest + 1);
    }

    /** {@code nsk_} and 43 URL-safe characters: 256 random bits, easy to put in a header-free config file. */
    private String newSecretText() {
        byte[] bytes = new byte[SECRET_RANDOM_BYTES];
        random.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
