package dev.ngao.ingest.auth;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.util.List;

/**
 * The authentication settings of ingest-service: the master key that encrypts API key secrets, the
 * timestamp tolerance, the nonce cache bound, the trusted proxies and the rate limits. Defined here and
 * added to the service's one config definition; the master key is never printed.
 */
public final class AuthSettings {

    private static final String PREFIX = "ingest.";
    public static final String MASTER_KEY = PREFIX + "keys.master.key";
    public static final String TIMESTAMP_TOLERANCE_SECONDS = PREFIX + "auth.timestamp.tolerance.seconds";
    public static final String NONCE_CACHE_MAX_ENTRIES = PREFIX + "auth.nonce.cache.max.entries";
    public static final String TRUSTED_PROXIES = PREFIX + "auth.trusted.proxies";
    public static final String RATE_LIMITS = PREFIX + "rate.limits";

    /** Card issuance is a fraud magnet, so it is tight; payments are generous, the risk rules do the rest. */
    public static final List<String> DEFAULT_RATE_LIMITS = List.of("POST /v1/cards 5/1m", "* /v1/payments* 1000/1s");

    private final byte[] masterKey;
    private final long timestampToleranceSeconds;
    private final int nonceCacheMaxEntries;
    private final List<CidrBlock> trustedProxies;
    private final List<RateLimitRule> rateLimits;

    public AuthSettings(AbstractConfig config) {
        this.masterKey = SecretCipher.decodeMasterKey(config.getPassword(MASTER_KEY).value());
        this.timestampToleranceSeconds = config.getInt(TIMESTAMP_TOLERANCE_SECONDS);
        this.nonceCacheMaxEntries = config.getInt(NONCE_CACHE_MAX_ENTRIES);
        this.trustedProxies = config.getList(TRUSTED_PROXIES).stream().map(CidrBlock::parse).toList();
        this.rateLimits = config.getList(RATE_LIMITS).stream().map(RateLimitRule::parse).toList();
    }

    public static ConfigDef define(ConfigDef definition) {
        return definition
                .define(MASTER_KEY, ConfigDef.Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, new MasterKeyValidator(),
                        ConfigDef.Importance.HIGH, "Master key that encrypts API key secrets at rest (AES-256-GCM): "
                                + "Base64 of 32 random bytes, e.g. from openssl rand -base64 32. Secrets stored "
                                + "under another master key cannot be read, so keep it with the deployment's secrets.")
                .define(TIMESTAMP_TOLERANCE_SECONDS, ConfigDef.Type.INT, 300, ConfigDef.Range.between(1, 3_600),
                        ConfigDef.Importance.MEDIUM, "How far X-Ngao-Timestamp may be from the server's clock, "
                                + "either way, before a signed request is refused; nonces are remembered this long.")
                .define(NONCE_CACHE_MAX_ENTRIES, ConfigDef.Type.INT, 1_000_000,
                        ConfigDef.Range.between(1_000, 50_000_000), ConfigDef.Importance.LOW,
                        "Most nonces remembered within the timestamp window; when full, signed requests get 503 "
                                + "until some expire rather than a nonce being forgotten early.")
                .define(TRUSTED_PROXIES, ConfigDef.Type.LIST, "", new EachEntry(CidrBlock::parse),
                        ConfigDef.Importance.MEDIUM, "Proxies (CIDR, IPv4 or IPv6) whose X-Forwarded-For is "
                                + "believed; from any other peer the TCP address is the client's.")
                .define(RATE_LIMITS, ConfigDef.Type.LIST, DEFAULT_RATE_LIMITS, new EachEntry(RateLimitRule::parse),
                        ConfigDef.Importance.MEDIUM, "Rate limits per key as METHOD PATH PERMITS/PERIOD "
                                + "(PATH ending in * is a prefix; PERIOD in s, m or h); the first matching rule "
                                + "applies; counted per ingest instance.");
    }

    /** A copy of the master key's bytes. */
    public byte[] masterKey() {
        return masterKey.clone();
    }

    public long timestampToleranceSeconds() {
        return timestampToleranceSeconds;
    }

    public int nonceCacheMaxEntries() {
        return nonceCacheMaxEntries;
    }

    public List<CidrBlock> trustedProxies() {
        return trustedProxies;
    }

    public List<RateLimitRule> rateLimits() {
        return rateLimits;
    }

    @Override
    public String toString() {
        return "AuthSettings[toleranceSeconds=" + timestampToleranceSeconds + ", trustedProxies=" + trustedProxies
                + ", rateLimits=" + rateLimits + "]";
    }

    private static final class MasterKeyValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return; // absence is reported by ConfigDef as a missing required key
            }
            try {
                SecretCipher.decodeMasterKey(((Password) value).value());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "Base64 of " + SecretCipher.MASTER_KEY_BYTES + " bytes";
        }
    }

    /** Checks every entry of a list with a parser that throws IllegalArgumentException. */
    private record EachEntry(java.util.function.Function<String, ?> parser) implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            for (Object entry : (List<?>) value) {
                try {
                    parser.apply(String.valueOf(entry));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "each entry parsed";
        }
    }
}
