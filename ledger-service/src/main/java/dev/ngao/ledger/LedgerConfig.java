package dev.ngao.ledger;

import dev.ngao.platform.auth.SignedRequestSettings;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.config.NonBlank;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Configuration of ledger-service: its own keys plus the shared Kafka keys, read from NGAO_* variables. */
public final class LedgerConfig extends AbstractConfig {

    /** Every key of this service starts so; its variables start with NGAO_LEDGER_. */
    private static final String PREFIX = "ledger.";

    public static final String DATA_DIR = PREFIX + "data.dir";
    public static final String HTTP_HOST = PREFIX + "http.host";
    public static final String HTTP_PORT = PREFIX + "http.port";
    public static final String GROUP_ID = PREFIX + "group.id";
    public static final String POLL_TIMEOUT_MS = PREFIX + "poll.timeout.ms";
    public static final String UNDECIDED_RETENTION_MS = PREFIX + "undecided.retention.ms";
    public static final String UNDECIDED_SWEEP_INTERVAL_MS = PREFIX + "undecided.sweep.interval.ms";
    public static final String UNDECIDED_SWEEP_MAX_PER_PASS = PREFIX + "undecided.sweep.max.per.pass";
    public static final String UNDECIDED_BACKFILL_MAX_PER_PASS = PREFIX + "undecided.backfill.max.per.pass";
    /** The master key of the API key secrets (same value as ingest's), for the signed-request guard. */
    public static final String KEYS_MASTER_KEY = PREFIX + SignedRequestSettings.MASTER_KEY;

    /** Signed requests: the API keys' master key and the guard's settings, under ledger. (e.g. NGAO_LEDGER_KEYS_MASTER_KEY). */
    public static final ConfigDef DEFINITION = SignedRequestSettings.define(KafkaSettings.define(new ConfigDef()
            .define(DATA_DIR, ConfigDef.Type.STRING, "data/ledger", new NonBlank(), ConfigDef.Importance.HIGH,
                    "Directory of the ledger's RocksDB database: journal entries, balances, payment lifecycles "
                            + "and the consumed offsets of risk.decisions and providers.events. It is the ledger's "
                            + "system of record: back it up.")
            .define(HTTP_HOST, ConfigDef.Type.STRING, "127.0.0.1", new NonBlank(), ConfigDef.Importance.MEDIUM,
                    "Interface the balance and entry query API listens on.")
            .define(HTTP_PORT, ConfigDef.Type.INT, 8082, ConfigDef.Range.between(0, 65_535),
                    ConfigDef.Importance.MEDIUM, "Port of the query API; 0 takes any free port.")
            .define(GROUP_ID, ConfigDef.Type.STRING, "ngao-ledger", new NonBlank(), ConfigDef.Importance.MEDIUM,
                    "Consumer group of the decision consumer; the provider event consumer uses this id with "
                            + "-provider-events appended. Offsets committed to Kafka are informational: the offsets "
                            + "stored with the ledger decide where consumption resumes.")
            .define(POLL_TIMEOUT_MS, ConfigDef.Type.LONG, 200L, ConfigDef.Range.between(10, 10_000),
                    ConfigDef.Importance.LOW,
                    "Longest wait of one round of polls of risk.decisions and providers.events; bounds how long "
                            + "stopping takes and how often pending ledger.entries are retried.")
            .define(UNDECIDED_RETENTION_MS, ConfigDef.Type.LONG, Duration.ofDays(7).toMillis(),
                    ConfigDef.Range.between(Duration.ofHours(1).toMillis(), Duration.ofDays(400).toMillis()),
                    ConfigDef.Importance.MEDIUM,
                    "How long provider statuses of a payment wait in the ledger for its risk decision; past it the "
                            + "lifecycle is dropped (audited on audit.ledger as lifecycle.dropped). Keep it far above "
                            + "the longest delay of a decision behind its statuses.")
            .define(UNDECIDED_SWEEP_INTERVAL_MS, ConfigDef.Type.LONG, 60_000L,
                    ConfigDef.Range.between(1_000, Duration.ofDays(1).toMillis()), ConfigDef.Importance.LOW,
                    "Pause between two passes of the sweep of undecided lifecycles.")
            .define(UNDECIDED_SWEEP_MAX_PER_PASS, ConfigDef.Type.INT, 1_000, ConfigDef.Range.between(1, 100_000),
                    ConfigDef.Importance.LOW,
                    "Most undecided lifecycles one sweep pass looks at (the oldest first); the next pass goes on "
                            + "from there.")
            .define(UNDECIDED_BACKFILL_MAX_PER_PASS, ConfigDef.Type.INT, 1_000, ConfigDef.Range.between(1, 100_000),
                    ConfigDef.Importance.LOW,
                    "Most lifecycles (or undecided index marks) one pass of the one-time backfill of the undecided "
                            + "index looks at; a pass runs between two poll rounds until the walk of the lifecycles "
                            + "reaches their end, resuming after a restart where it stopped.")), PREFIX);

    private final SignedRequestSettings signedRequests;

    public LedgerConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
        this.signedRequests = new SignedRequestSettings(this, PREFIX);
    }

    /**
     * Reads and validates the configuration from {@code environment}.
     *
     * @throws dev.ngao.platform.config.InvalidConfigurationException naming the offending key and variable
     */
    public static LedgerConfig fromEnvironment(Map<String, String> environment) {
        return EnvironmentConfig.load(DEFINITION, environment, LedgerConfig::new);
    }

    /**
     * The data directory alone, from {@code environment} or the default: for offline tools (ledger verify)
     * that read the store and need neither brokers nor the API keys' master key.
     */
    public static Path dataDirectory(Map<String, String> environment) {
        String variable = EnvironmentConfig.variableName(DATA_DIR);
        return Path.of(environment.getOrDefault(variable, (String) DEFINITION.configKeys().get(DATA_DIR).defaultValue));
    }

    public Path dataDirectory() {
        return Path.of(getString(DATA_DIR));
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public String groupId() {
        return getString(GROUP_ID);
    }

    /** The guard's settings: master key of the API key secrets, tolerance, nonces, proxies, environment. */
    public SignedRequestSettings signedRequests() {
        return signedRequests;
    }

    public Duration pollTimeout() {
        return Duration.ofMillis(getLong(POLL_TIMEOUT_MS));
    }

    public Duration undecidedRetention() {
        return Duration.ofMillis(getLong(UNDECIDED_RETENTION_MS));
    }

    public Duration undecidedSweepInterval() {
        return Duration.ofMillis(getLong(UNDECIDED_SWEEP_INTERVAL_MS));
    }

    public int undecidedSweepMaxPerPass() {
        return getInt(UNDECIDED_SWEEP_MAX_PER_PASS);
    }

    public int undecidedBackfillMaxPerPass() {
        return getInt(UNDECIDED_BACKFILL_MAX_PER_PASS);
    }
}
