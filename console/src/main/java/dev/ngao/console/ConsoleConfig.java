package dev.ngao.console;

import dev.ngao.platform.auth.SecretCipher;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.config.NonBlank;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Configuration of the analyst console: its own keys plus the shared Kafka keys, read from NGAO_* variables. */
public final class ConsoleConfig extends AbstractConfig {

    /** Every key of this service starts so; its variables start with NGAO_CONSOLE_. */
    private static final String PREFIX = "console.";

    public static final String HTTP_HOST = PREFIX + "http.host";
    public static final String HTTP_PORT = PREFIX + "http.port";
    public static final String INGEST_URL = PREFIX + "ingest.url";
    public static final String INGEST_TIMEOUT_MS = PREFIX + "ingest.timeout.ms";
    public static final String PROMETHEUS_URL = PREFIX + "prometheus.url";
    public static final String SESSION_IDLE_MINUTES = PREFIX + "session.idle.minutes";
    public static final String SESSION_MAX = PREFIX + "session.max";
    public static final String COOKIE_SECURE = PREFIX + "cookie.secure";
    public static final String DECISIONS_KEPT = PREFIX + "decisions.kept";
    public static final String REVIEWS_KEPT = PREFIX + "reviews.kept";
    public static final String BREAKS_KEPT = PREFIX + "breaks.kept";
    public static final String POLL_TIMEOUT_MS = PREFIX + "poll.timeout.ms";
    public static final String KEYS_MASTER_KEY = PREFIX + "keys.master.key";
    public static final String PUBLIC_URL = PREFIX + "public.url";
    public static final String SESSION_ABSOLUTE_HOURS = PREFIX + "session.absolute.hours";
    public static final String SIGN_IN_MAX_FAILURES = PREFIX + "sign.in.max.failures";
    public static final String SIGN_IN_LOCKOUT_MINUTES = PREFIX + "sign.in.lockout.minutes";
    public static final String ENROLMENT_VALID_HOURS = PREFIX + "enrolment.valid.hours";

    public static final ConfigDef DEFINITION = KafkaSettings.define(new ConfigDef()
            .define(HTTP_HOST, ConfigDef.Type.STRING, "127.0.0.1", new NonBlank(), ConfigDef.Importance.MEDIUM,
                    "Interface the console listens on.")
            .define(HTTP_PORT, ConfigDef.Type.INT, 8087, ConfigDef.Range.between(0, 65_535),
                    ConfigDef.Importance.MEDIUM, "Port of the console; 0 takes any free port.")
            .define(INGEST_URL, ConfigDef.Type.STRING, "http://127.0.0.1:8080", new NonBlank(),
                    ConfigDef.Importance.HIGH,
                    "Base URL of the ingest service. Resolutions are sent there signed with the API key linked to "
                            + "the person's account, so ingest checks the key's scope and merchant again.")
            .define(INGEST_TIMEOUT_MS, ConfigDef.Type.LONG, 5_000L, ConfigDef.Range.between(100, 60_000),
                    ConfigDef.Importance.LOW, "Longest wait for an answer of the ingest service.")
            .define(PROMETHEUS_URL, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "Base URL of the Prometheus that evaluates deploy/prometheus/ngao-alerts.yml; the Alerts tab "
                            + "shows the alerts it holds (GET /api/v1/alerts). Empty: the tab says no Prometheus is "
                            + "configured. Read with the ingest timeout.")
            .define(SESSION_IDLE_MINUTES, ConfigDef.Type.INT, 30, ConfigDef.Range.between(1, 1_440),
                    ConfigDef.Importance.MEDIUM,
                    "A session unused this long ends; the person signs in again with password and code.")
            .define(SESSION_ABSOLUTE_HOURS, ConfigDef.Type.INT, 12, ConfigDef.Range.between(1, 168),
                    ConfigDef.Importance.MEDIUM,
                    "A session ends this long after its sign-in, however much it is used.")
            .define(SIGN_IN_MAX_FAILURES, ConfigDef.Type.INT, 5, ConfigDef.Range.between(1, 100),
                    ConfigDef.Importance.MEDIUM,
                    "Failed sign-ins in a row (wrong password or code) that lock an account; a username without "
                            + "an account is locked alike, so the answers do not tell which exist.")
            .define(SIGN_IN_LOCKOUT_MINUTES, ConfigDef.Type.INT, 15, ConfigDef.Range.between(1, 10_080),
                    ConfigDef.Importance.MEDIUM,
                    "How long a locked account refuses every sign-in, right password or not.")
            .define(ENROLMENT_VALID_HOURS, ConfigDef.Type.INT, 72, ConfigDef.Range.between(1, 720),
                    ConfigDef.Importance.LOW,
                    "How long an enrolment link printed by ngao users add (or reset) works.")
            .define(PUBLIC_URL, ConfigDef.Type.STRING, "http://127.0.0.1:8087", new NonBlank(),
                    ConfigDef.Importance.MEDIUM,
                    "The console's address as people reach it (through TLS anywhere but this machine); "
                            + "ngao users add prints enrolment links under it.")
            .define(KEYS_MASTER_KEY, ConfigDef.Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.Importance.HIGH,
                    "Master key of the API key secrets (the same value as ingest's): Base64 of 32 random bytes. "
                            + "The console opens with it the secret of the key linked to each account, which signs "
                            + "that person's calls to ingest, and encrypts the people's TOTP secrets at rest.")
            .define(SESSION_MAX, ConfigDef.Type.INT, 1_000, ConfigDef.Range.between(1, 100_000),
                    ConfigDef.Importance.LOW, "Sessions open at once; past it the least recently used one ends.")
            .define(COOKIE_SECURE, ConfigDef.Type.BOOLEAN, false, ConfigDef.Importance.HIGH,
                    "Mark the session cookie Secure (sent over HTTPS only). Set it whenever the console is reached "
                            + "through TLS, which is everywhere but this machine.")
            .define(DECISIONS_KEPT, ConfigDef.Type.INT, 2_000, ConfigDef.Range.between(1, 1_000_000),
                    ConfigDef.Importance.LOW, "Recent decisions kept in memory for the decisions view, over all merchants.")
            .define(REVIEWS_KEPT, ConfigDef.Type.INT, 100_000, ConfigDef.Range.between(1, 10_000_000),
                    ConfigDef.Importance.LOW,
                    "Open reviews kept in memory; past it the oldest drop out of the queue view (logged), though "
                            + "they stay open in risk-streams and can still be resolved through the API.")
            .define(BREAKS_KEPT, ConfigDef.Type.INT, 100_000, ConfigDef.Range.between(1, 10_000_000),
                    ConfigDef.Importance.LOW,
                    "Reconciliation breaks kept in memory for the breaks view; past it the oldest days drop out.")
            .define(POLL_TIMEOUT_MS, ConfigDef.Type.LONG, 200L, ConfigDef.Range.between(10, 10_000),
                    ConfigDef.Importance.LOW, "Longest wait of one poll of each topic; bounds how long stopping takes."));

    private final URI ingestUrl;
    private final URI prometheusUrl;
    private final byte[] masterKey;

    public ConsoleConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
        this.ingestUrl = parseBaseUrl(INGEST_URL, getString(INGEST_URL));
        String prometheus = getString(PROMETHEUS_URL).strip();
        this.prometheusUrl = prometheus.isEmpty() ? null : parseBaseUrl(PROMETHEUS_URL, prometheus);
        try {
            this.masterKey = SecretCipher.decodeMasterKey(getPassword(KEYS_MASTER_KEY).value());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(KEYS_MASTER_KEY + " " + e.getMessage());
        }
    }

    /**
     * Reads and validates the configuration from {@code environment}.
     *
     * @throws dev.ngao.platform.config.InvalidConfigurationException naming the offending key and variable
     */
    public static ConsoleConfig fromEnvironment(Map<String, String> environment) {
        return EnvironmentConfig.load(DEFINITION, environment, ConsoleConfig::new);
    }

    /** An http(s) base URL without a trailing slash, query or credentials; {@code key} names it in refusals. */
    private static URI parseBaseUrl(String key, String text) {
        URI url;
        try {
            url = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (URISyntaxException e) {
            throw new ConfigException(key + " is malformed: " + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigException(key + " must be http or https");
        }
        if (url.getHost() == null || url.getHost().isBlank()) {
            throw new ConfigException(key + " has no host");
        }
        if (url.getRawQuery() != null || url.getUserInfo() != null) {
            throw new ConfigException(key + " must be a base URL without query or credentials");
        }
        return url;
    }

    /** Prometheus' base URL for the alert feed; empty when none is configured. */
    public Optional<URI> prometheusUrl() {
        return Optional.ofNullable(prometheusUrl);
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public URI ingestUrl() {
        return ingestUrl;
    }

    public Duration ingestTimeout() {
        return Duration.ofMillis(getLong(INGEST_TIMEOUT_MS));
    }

    public Duration sessionIdle() {
        return Duration.ofMinutes(getInt(SESSION_IDLE_MINUTES));
    }

    public int sessionMax() {
        return getInt(SESSION_MAX);
    }

    public boolean cookieSecure() {
        return getBoolean(COOKIE_SECURE);
    }

    public int decisionsKept() {
        return getInt(DECISIONS_KEPT);
    }

    public int reviewsKept() {
        return getInt(REVIEWS_KEPT);
    }

    public int breaksKept() {
        return getInt(BREAKS_KEPT);
    }

    public Duration pollTimeout() {
        return Duration.ofMillis(getLong(POLL_TIMEOUT_MS));
    }

    /** A copy of the API keys' master key. */
    public byte[] masterKey() {
        return masterKey.clone();
    }

    /** The base of enrolment links, without a trailing slash. */
    public String publicUrl() {
        String url = getString(PUBLIC_URL).trim();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public Duration sessionAbsolute() {
        return Duration.ofHours(getInt(SESSION_ABSOLUTE_HOURS));
    }

    public int signInMaxFailures() {
        return getInt(SIGN_IN_MAX_FAILURES);
    }

    public Duration signInLockout() {
        return Duration.ofMinutes(getInt(SIGN_IN_LOCKOUT_MINUTES));
    }

    public Duration enrolmentValidity() {
        return Duration.ofHours(getInt(ENROLMENT_VALID_HOURS));
    }
}
