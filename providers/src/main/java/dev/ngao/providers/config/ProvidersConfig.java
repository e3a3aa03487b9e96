package dev.ngao.providers.config;

import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.NonBlank;
import dev.ngao.providers.ProviderKind;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The keys of the provider adapters, under {@code providers.}: per provider kind
 * ({@code providers.<id>.*}, id as in {@link ProviderKind#id()}) its base URL, credentials, timeouts, retries
 * and circuit breaker, and the heartbeat's schedule. A service that calls providers (the reconciler) adds
 * these keys to its own definition with {@link #define(ConfigDef)} and reads them with
 * {@link #settings(AbstractConfig, ProviderKind)}; the defaults point at the provider sandbox on this machine.
 */
public final class ProvidersConfig extends AbstractConfig {

    public static final String PREFIX = "providers.";

    public static final String HEARTBEAT_INTERVAL_MS = PREFIX + "heartbeat.interval.ms";
    public static final String HEARTBEAT_FAILURES_BEFORE_DOWN = PREFIX + "heartbeat.failures.before.down";

    public static final int MAXIMUM_RETRIES = 10;
    /** Where the sandbox listens by default: one server, one path prefix per provider. */
    public static final String DEFAULT_SANDBOX_URL = "http://127.0.0.1:8095/";

    static final int DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
    static final int DEFAULT_CALL_TIMEOUT_MS = 5_000;
    static final int DEFAULT_RETRIES = 3;
    static final int DEFAULT_BACKOFF_BASE_MS = 200;
    static final int DEFAULT_BACKOFF_MAX_MS = 10_000;
    static final int DEFAULT_FAILURE_RATE_PERCENT = 50;
    static final int DEFAULT_WINDOW_CALLS = 20;
    static final int DEFAULT_MINIMUM_CALLS = 10;
    static final int DEFAULT_OPEN_MS = 30_000;
    static final int DEFAULT_HALF_OPEN_CALLS = 3;
    static final int DEFAULT_PENDING_TIMEOUT_SECONDS = 900;

    public static final ConfigDef DEFINITION = define(new ConfigDef());

    public ProvidersConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
    }

    /** @throws dev.ngao.platform.config.InvalidConfigurationException naming the bad key and its variable */
    public static ProvidersConfig fromEnvironment(Map<String, String> environment) {
        return EnvironmentConfig.load(DEFINITION, environment, ProvidersConfig::new);
    }

    /** The key {@code providers.<id>.<suffix>}. */
    public static String key(ProviderKind kind, String suffix) {
        return PREFIX + kind.id() + "." + suffix;
    }

    /** Adds every provider key to {@code definition}. */
    public static ConfigDef define(ConfigDef definition) {
        for (ProviderKind kind : ProviderKind.values()) {
            String name = kind.id();
            definition
                    .define(key(kind, "base.url"), ConfigDef.Type.STRING, DEFAULT_SANDBOX_URL + name, new HttpUrl(),
                            ConfigDef.Importance.HIGH, "Base URL of the " + name + " API (the sandbox by default).")
                    .define(key(kind, "api.key"), ConfigDef.Type.STRING, "ngao-" + name, new NonBlank(),
                            ConfigDef.Importance.HIGH, "The API key Ngao identifies itself with at " + name + ".")
                    .define(key(kind, "api.secret"), ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH,
                            "The API secret that goes with the key at " + name
                                    + "; empty sends none, and the provider refuses the calls.")
                    .define(key(kind, "connect.timeout.ms"), ConfigDef.Type.INT, DEFAULT_CONNECT_TIMEOUT_MS,
                            ConfigDef.Range.between(1, 60_000), ConfigDef.Importance.MEDIUM,
                            "How long a connection to " + name + " may take to open.")
                    .define(key(kind, "call.timeout.ms"), ConfigDef.Type.INT, DEFAULT_CALL_TIMEOUT_MS,
                            ConfigDef.Range.between(1, 120_000), ConfigDef.Importance.MEDIUM,
                            "How long one call to " + name + " may take, each attempt on its own.")
                    .define(key(kind, "retries"), ConfigDef.Type.INT, DEFAULT_RETRIES,
                            ConfigDef.Range.between(0, MAXIMUM_RETRIES), ConfigDef.Importance.MEDIUM,
                            "Retries after the first attempt, only on connect errors, timeouts, 5xx and 429.")
                    .define(key(kind, "backoff.base.ms"), ConfigDef.Type.INT, DEFAULT_BACKOFF_BASE_MS,
                            ConfigDef.Range.between(1, 60_000), ConfigDef.Importance.LOW,
                            "Exponential backoff base: retry n waits a uniform draw between 0 and base * 2^(n-1).")
                    .define(key(kind, "backoff.max.ms"), ConfigDef.Type.INT, DEFAULT_BACKOFF_MAX_MS,
                            ConfigDef.Range.between(1, 600_000), ConfigDef.Importance.LOW,
                            "No retry waits longer; a Retry-After longer than this fails the call instead.")
                    .define(key(kind, "circuit.failure.rate.percent"), ConfigDef.Type.INT,
                            DEFAULT_FAILURE_RATE_PERCENT, ConfigDef.Range.between(1, 100), ConfigDef.Importance.LOW,
                            "Failure rate of the last calls to " + name + " that opens its circuit breaker.")
                    .define(key(kind, "circuit.window.calls"), ConfigDef.Type.INT, DEFAULT_WINDOW_CALLS,
                            ConfigDef.Range.between(1, 10_000), ConfigDef.Importance.LOW,
                            "Calls in the circuit breaker's sliding window.")
                    .define(key(kind, "circuit.minimum.calls"), ConfigDef.Type.INT, DEFAULT_MINIMUM_CALLS,
                            ConfigDef.Range.between(1, 10_000), ConfigDef.Importance.LOW,
                            "Calls the window needs before the failure rate is judged.")
                    .define(key(kind, "circuit.open.ms"), ConfigDef.Type.INT, DEFAULT_OPEN_MS,
                            ConfigDef.Range.between(1, 3_600_000), ConfigDef.Importance.LOW,
                            "How long an open circuit refuses calls before letting trial calls through (half-open).")
                    .define(key(kind, "circuit.half.open.calls"), ConfigDef.Type.INT, DEFAULT_HALF_OPEN_CALLS,
                            ConfigDef.Range.between(1, 100), ConfigDef.Importance.LOW,
                            "Trial calls while half-open; their failure rate closes or reopens the circuit.")
                    .define(key(kind, "pending.timeout.seconds"), ConfigDef.Type.INT, DEFAULT_PENDING_TIMEOUT_SECONDS,
                            ConfigDef.Range.between(1, 30 * 86_400), ConfigDef.Importance.MEDIUM,
                            "How long a payment may stay pending at " + name + " before it is chased by status "
                                    + "queries.");
        }
        return definition
                .define(HEARTBEAT_INTERVAL_MS, ConfigDef.Type.INT, 15_000, ConfigDef.Range.between(100, 3_600_000),
                        ConfigDef.Importance.LOW, "How often the heartbeat probes each provider.")
                .define(HEARTBEAT_FAILURES_BEFORE_DOWN, ConfigDef.Type.INT, 3, ConfigDef.Range.between(1, 100),
                        ConfigDef.Importance.LOW, "Consecutive failed probes after which a provider is reported DOWN.");
    }

    /** One provider's settings from a config that carries {@link #define}'s keys. */
    public static ProviderSettings settings(AbstractConfig config, ProviderKind kind) {
        return new ProviderSettings(kind, URI.create(config.getString(key(kind, "base.url"))),
                config.getString(key(kind, "api.key")), config.getPassword(key(kind, "api.secret")).value(),
                Duration.ofMillis(config.getInt(key(kind, "connect.timeout.ms"))),
                Duration.ofMillis(config.getInt(key(kind, "call.timeout.ms"))), config.getInt(key(kind, "retries")),
                Duration.ofMillis(config.getInt(key(kind, "backoff.base.ms"))),
                Duration.ofMillis(config.getInt(key(kind, "backoff.max.ms"))),
                config.getInt(key(kind, "circuit.failure.rate.percent")),
                config.getInt(key(kind, "circuit.window.calls")), config.getInt(key(kind, "circuit.minimum.calls")),
                Duration.ofMillis(config.getInt(key(kind, "circuit.open.ms"))),
                config.getInt(key(kind, "circuit.half.open.calls")),
                Duration.ofSeconds(config.getInt(key(kind, "pending.timeout.seconds"))));
    }

    /** Every provider's settings. */
    public static Map<ProviderKind, ProviderSettings> allSettings(AbstractConfig config) {
        Map<ProviderKind, ProviderSettings> all = new EnumMap<>(ProviderKind.class);
        for (ProviderKind kind : ProviderKind.values()) {
            all.put(kind, settings(config, kind));
        }
        return all;
    }

    public static Duration heartbeatInterval(AbstractConfig config) {
        return Duration.ofMillis(config.getInt(HEARTBEAT_INTERVAL_MS));
    }

    public static int heartbeatFailuresBeforeDown(AbstractConfig config) {
        return config.getInt(HEARTBEAT_FAILURES_BEFORE_DOWN);
    }

    private static final class HttpUrl implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                URI uri = URI.create(String.valueOf(value));
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new ConfigException(name, value, "must be an http or https URL with a host");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "must be an http or https URL with a host");
            }
        }

        @Override
        public String toString() {
            return "http(s) URL";
        }
    }
}
