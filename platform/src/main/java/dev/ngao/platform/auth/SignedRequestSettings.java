package dev.ngao.platform.auth;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.util.List;
import java.util.function.Function;

/**
 * The settings every service that verifies signed requests needs, under the service's own prefix: the
 * master key that decrypts the API key secrets of {@code ingest.api-keys} (the same value everywhere),
 * the timestamp tolerance, the nonce cache bound, the trusted proxies and, for every service but ingest
 * (whose door defines it itself), the environment whose keys it accepts. The master key is never printed.
 */
public final class SignedRequestSettings {

    public static final String MASTER_KEY = "keys.master.key";
    public static final String TIMESTAMP_TOLERANCE_SECONDS = "auth.timestamp.tolerance.seconds";
    public static final String NONCE_CACHE_MAX_ENTRIES = "auth.nonce.cache.max.entries";
    public static final String TRUSTED_PROXIES = "auth.trusted.proxies";
    public static final String ENVIRONMENT = "environment";

    private final byte[] masterKey;
    private final long timestampToleranceSeconds;
    private final int nonceCacheMaxEntries;
    private final List<CidrBlock> trustedProxies;
    private final Environment environment;

    /** Reads the settings {@link #define} or {@link #defineKeys} added under {@code prefix}, e.g. {@code ledger.}. */
    public SignedRequestSettings(AbstractConfig config, String prefix) {
        this.masterKey = SecretCipher.decodeMasterKey(config.getPassword(prefix + MASTER_KEY).value());
        this.timestampToleranceSeconds = config.getInt(prefix + TIMESTAMP_TOLERANCE_SECONDS);
        this.nonceCacheMaxEntries = config.getInt(prefix + NONCE_CACHE_MAX_ENTRIES);
        this.trustedProxies = config.getList(prefix + TRUSTED_PROXIES).stream().map(CidrBlock::parse).toList();
        this.environment = Environment.parse(config.getString(prefix + ENVIRONMENT));
    }

    /** Every setting, the environment included, for a service that verifies keys but serves no door of its own. */
    public static ConfigDef define(ConfigDef definition, String prefix) {
        return defineKeys(definition, prefix)
                .define(prefix + ENVIRONMENT, ConfigDef.Type.STRING, Environment.SANDBOX.text(),
                        ConfigDef.ValidString.in(Environment.SANDBOX.text(), Environment.LIVE.text()),
                        ConfigDef.Importance.HIGH, "Whose keys this API accepts: sandbox or live keys; the "
                                + "other environment's keys are refused with 403.");
    }

    /** The settings without the environment, for a service that defines its environment itself (ingest). */
    public static ConfigDef defineKeys(ConfigDef definition, String prefix) {
        return definition
                .define(prefix + MASTER_KEY, ConfigDef.Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE,
                        new MasterKeyValidator(), ConfigDef.Importance.HIGH, "Master key that encrypts API key "
                                + "secrets at rest (AES-256-GCM): Base64 of 32 random bytes, e.g. from openssl rand "
                                + "-base64 32. Every service that verifies keys needs the same value; secrets stored "
                                + "under another master key cannot be read, so keep it with the deployment's secrets.")
                .define(prefix + TIMESTAMP_TOLERANCE_SECONDS, ConfigDef.Type.INT, 300,
                        ConfigDef.Range.between(1, 3_600), ConfigDef.Importance.MEDIUM, "How far X-Ngao-Timestamp "
                                + "may be from the server's clock, either way, before a signed request is refused; "
                                + "nonces are remembered this long.")
                .define(prefix + NONCE_CACHE_MAX_ENTRIES, ConfigDef.Type.INT, 1_000_000,
                        ConfigDef.Range.between(1_000, 50_000_000), ConfigDef.Importance.LOW,
                        "Most nonces remembered within the timestamp window; when full, signed requests get 503 "
                                + "until some expire rather than a nonce being forgotten early.")
                .define(prefix + TRUSTED_PROXIES, ConfigDef.Type.LIST, "", new EachEntry(CidrBlock::parse),
                        ConfigDef.Importance.MEDIUM, "Proxies (CIDR, IPv4 or IPv6) whose X-Forwarded-For is "
                                + "believed; from any other peer the TCP address is the client's.");
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

    /** The environment whose keys are accepted. */
    public Environment environment() {
        return environment;
    }

    @Override
    public String toString() {
        return "SignedRequestSettings[environment=" + environment.text() + ", toleranceSeconds="
                + timestampToleranceSeconds + ", trustedProxies=" + trustedProxies + "]";
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
    public record EachEntry(Function<String, ?> parser) implements ConfigDef.Validator {
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
