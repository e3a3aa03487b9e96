package dev.ngao.reconciler;

import dev.ngao.platform.auth.SignedRequestSettings;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.config.NonBlank;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.config.ProviderSettings;
import dev.ngao.providers.config.ProvidersConfig;
import dev.ngao.reconciler.chase.ChasePolicy;
import dev.ngao.reconciler.submit.SubmissionPolicy;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.net.URI;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/** Configuration of the reconciler: the shared Kafka keys plus its own, read from NGAO_* variables. */
public final class ReconcilerConfig extends AbstractConfig {

    /** Every key of this service starts so; its variables start with NGAO_RECONCILER_. */
    private static final String PREFIX = "reconciler.";

    public static final String APPLICATION_ID = PREFIX + "application.id";
    public static final String STATE_DIR = PREFIX + "state.dir";
    public static final String ROCKSDB_MEMORY_BYTES = PREFIX + "rocksdb.memory.bytes";
    public static final String GRACE_PERIOD_SECONDS = PREFIX + "grace.period.seconds";
    public static final String PUNCTUATE_INTERVAL_SECONDS = PREFIX + "punctuate.interval.seconds";
    public static final String CLOSED_RETENTION_HOURS = PREFIX + "closed.retention.hours";
    public static final String START_TIMEOUT_SECONDS = PREFIX + "start.timeout.seconds";
    public static final String VIEW_POLL_TIMEOUT_MS = PREFIX + "view.poll.timeout.ms";
    public static final String REPORT_DIR = PREFIX + "report.dir";
    public static final String REPORT_INBOX_DIR = PREFIX + "report.inbox.dir";
    public static final String REPORT_AMOUNT_TOLERANCE_MINOR = PREFIX + "report.amount.tolerance.minor";
    public static final String REPORT_SCHEDULE_ENABLED = PREFIX + "report.schedule.enabled";
    public static final String REPORT_SCHEDULE_TIME = PREFIX + "report.schedule.time";
    public static final String REPORT_SCHEDULE_ZONE = PREFIX + "report.schedule.zone";
    public static final String HTTP_HOST = PREFIX + "http.host";
    public static final String HTTP_PORT = PREFIX + "http.port";
    public static final String HTTP_MAX_UPLOAD_BYTES = PREFIX + "http.max.upload.bytes";
    public static final String CHASE_INTERVAL_SECONDS = PREFIX + "chase.interval.seconds";
    public static final String CHASE_INITIAL_BACKOFF_SECONDS = PREFIX + "chase.initial.backoff.seconds";
    public static final String CHASE_MAX_BACKOFF_SECONDS = PREFIX + "chase.max.backoff.seconds";
    public static final String CHASE_MAX_ATTEMPTS = PREFIX + "chase.max.attempts";
    public static final String CHASE_QUERY_TIMEOUT_MS = PREFIX + "chase.query.timeout.ms";
    public static final String CHASE_MAX_QUERIES_PER_PASS = PREFIX + "chase.max.queries.per.pass";
    public static final String PROVIDERS_ENABLED = PREFIX + "providers.enabled";
    public static final String SUBMIT_ENABLED = PREFIX + "submit.enabled";
    public static final String SUBMIT_TIMEOUT_MS = PREFIX + "submit.timeout.ms";
    public static final String SUBMIT_MAX_ATTEMPTS = PREFIX + "submit.max.attempts";
    public static final String SUBMIT_INITIAL_BACKOFF_MS = PREFIX + "submit.initial.backoff.ms";
    public static final String SUBMIT_MAX_BACKOFF_MS = PREFIX + "submit.max.backoff.ms";
    /** The master key of the API key secrets (same value as ingest's), for the signed-request guard. */
    public static final String KEYS_MASTER_KEY = PREFIX + SignedRequestSettings.MASTER_KEY;
    /** Requests that never got a decision, and finished submissions, are forgotten after this long. */
    static final Duration SUBMIT_RETENTION = Duration.ofDays(7);
    private static final Duration SUBMIT_RETRY_CHECK = Duration.ofSeconds(1);

    /** The reconciler's keys, the shared Kafka keys, and the provider adapters' {@code providers.*} keys. */
    public static final ConfigDef DEFINITION = SignedRequestSettings.define(ProvidersConfig.define(KafkaSettings.define(new ConfigDef()
            .define(APPLICATION_ID, ConfigDef.Type.STRING, "ngao-reconciler", new NonBlank(), ConfigDef.Importance.HIGH,
                    "Kafka Streams application.id: consumer group, transactional id and internal topic prefix.")
            .define(STATE_DIR, ConfigDef.Type.STRING, "data/reconciler", new NonBlank(), ConfigDef.Importance.HIGH,
                    "Directory of the RocksDB state stores; keep it on a persistent volume to avoid restores.")
            .define(ROCKSDB_MEMORY_BYTES, ConfigDef.Type.LONG, 32L * 1024 * 1024,
                    ConfigDef.Range.between(1024L * 1024, 64L * 1024 * 1024 * 1024), ConfigDef.Importance.MEDIUM,
                    "Off-heap memory of the RocksDB stores of both Kafka Streams applications (matching and "
                            + "submission) together: one block cache with their memtables charged to it (a quarter). "
                            + "Without a bound each store, partition and window segment takes Kafka Streams' "
                            + "defaults, a 50 MiB block cache and three 16 MiB memtables of its own.")
            .define(GRACE_PERIOD_SECONDS, ConfigDef.Type.INT, 120, ConfigDef.Range.between(1, 86_400),
                    ConfigDef.Importance.HIGH,
                    "How long an approval waits for its ledger entry, and an entry for its approval, before the "
                            + "reconciler reports a break (wall clock, from when the reconciler saw the record).")
            .define(PUNCTUATE_INTERVAL_SECONDS, ConfigDef.Type.INT, 10, ConfigDef.Range.between(1, 3_600),
                    ConfigDef.Importance.LOW,
                    "Wall-clock period of the check for items past their grace period.")
            .define(CLOSED_RETENTION_HOURS, ConfigDef.Type.INT, 24, ConfigDef.Range.between(1, 720),
                    ConfigDef.Importance.MEDIUM,
                    "How long a matched or broken transaction is remembered, so that a late duplicate decision or "
                            + "ledger entry (the ledger republishes after a crash) is ignored, not reported.")
            .define(START_TIMEOUT_SECONDS, ConfigDef.Type.INT, 60, ConfigDef.Range.between(1, 3_600),
                    ConfigDef.Importance.LOW,
                    "How long start() waits for Kafka Streams to reach RUNNING before failing.")
            .define(VIEW_POLL_TIMEOUT_MS, ConfigDef.Type.LONG, 200L, ConfigDef.Range.between(10, 10_000),
                    ConfigDef.Importance.LOW,
                    "Longest wait of one poll of the ledger view's topics; bounds how long stopping takes.")
            .define(REPORT_DIR, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "Where each run writes <provider>-<day>-breaks.csv and <provider>-<day>-summary.html; empty for "
                            + "<state dir>/reports.")
            .define(REPORT_INBOX_DIR, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "Where the scheduled daily run finds each provider's report, <provider>-<day>.csv; empty for "
                            + "<state dir>/inbox.")
            .define(REPORT_AMOUNT_TOLERANCE_MINOR, ConfigDef.Type.LONG, 0L, ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.HIGH,
                    "Largest difference in minor units between a report amount (or a reference's fee total) and "
                            + "the ledger still taken as agreement; 0 matches exactly.")
            .define(REPORT_SCHEDULE_ENABLED, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.MEDIUM,
                    "Run the daily reconciliation of every provider with a report format at the scheduled time.")
            .define(REPORT_SCHEDULE_TIME, ConfigDef.Type.STRING, "02:00", new LocalTimeValidator(),
                    ConfigDef.Importance.MEDIUM,
                    "Local time (HH:mm) of the daily run, in the schedule zone; each provider's previous settlement "
                            + "day (in the provider's own zone) is reconciled.")
            .define(REPORT_SCHEDULE_ZONE, ConfigDef.Type.STRING, "UTC", new ZoneValidator(),
                    ConfigDef.Importance.MEDIUM, "IANA zone of the daily run's time, e.g. UTC or America/Lima.")
            .define(HTTP_HOST, ConfigDef.Type.STRING, "127.0.0.1", new NonBlank(), ConfigDef.Importance.MEDIUM,
                    "Interface the report upload API listens on.")
            .define(HTTP_PORT, ConfigDef.Type.INT, 8083, ConfigDef.Range.between(0, 65_535),
                    ConfigDef.Importance.MEDIUM, "Port of the report upload API; 0 takes any free port.")
            .define(HTTP_MAX_UPLOAD_BYTES, ConfigDef.Type.LONG, 1_073_741_824L,
                    ConfigDef.Range.between(1_024, Long.MAX_VALUE), ConfigDef.Importance.LOW,
                    "Largest report accepted by upload; it is streamed to disk, never held in memory.")
            .define(CHASE_INTERVAL_SECONDS, ConfigDef.Type.INT, 30, ConfigDef.Range.between(1, 3_600),
                    ConfigDef.Importance.LOW, "Period of the stuck-payment chaser's pass.")
            .define(CHASE_INITIAL_BACKOFF_SECONDS, ConfigDef.Type.INT, 30, ConfigDef.Range.between(1, 86_400),
                    ConfigDef.Importance.LOW,
                    "Wait after the first query that leaves a payment pending; doubles per attempt, with jitter.")
            .define(CHASE_MAX_BACKOFF_SECONDS, ConfigDef.Type.INT, 1_800, ConfigDef.Range.between(1, 86_400),
                    ConfigDef.Importance.LOW, "Longest wait between two status queries of one payment.")
            .define(CHASE_MAX_ATTEMPTS, ConfigDef.Type.INT, 8, ConfigDef.Range.between(1, 1_000),
                    ConfigDef.Importance.MEDIUM,
                    "Status queries before a payment still pending or unknown is flagged for manual review "
                            + "(an UNRESOLVED_PENDING break).")
            .define(CHASE_QUERY_TIMEOUT_MS, ConfigDef.Type.LONG, 10_000L, ConfigDef.Range.between(100, 300_000),
                    ConfigDef.Importance.LOW,
                    "Longest wait for one status query's answer (the adapter's own retries happen within it).")
            .define(CHASE_MAX_QUERIES_PER_PASS, ConfigDef.Type.INT, 200, ConfigDef.Range.between(1, 100_000),
                    ConfigDef.Importance.LOW, "Status queries per chaser pass at most; the rest wait for the next.")
            .define(PROVIDERS_ENABLED, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.HIGH,
                    "Build an adapter for every provider from the providers.* keys: their report formats read "
                            + "reports, their status queries chase stuck payments, their probes feed providers.health. "
                            + "False runs matching and the ledger view only.")
            .define(SUBMIT_ENABLED, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.HIGH,
                    "Submit every approved mobile-money collection, payout and CIP to its provider through its "
                            + "adapter (needs providers enabled); the provider's answer goes to "
                            + "providers.status-queries. False when another system instructs the providers.")
            .define(SUBMIT_TIMEOUT_MS, ConfigDef.Type.LONG, 15_000L, ConfigDef.Range.between(100, 300_000),
                    ConfigDef.Importance.LOW,
                    "Longest wait for one submission's answer (the adapter's own retries happen within it).")
            .define(SUBMIT_MAX_ATTEMPTS, ConfigDef.Type.INT, 8, ConfigDef.Range.between(1, 1_000),
                    ConfigDef.Importance.MEDIUM, "Submissions of one payment that failed retryably (timeout, 5xx, "
                            + "429, open circuit) before it is left to the stuck-payment chaser.")
            .define(SUBMIT_INITIAL_BACKOFF_MS, ConfigDef.Type.LONG, 1_000L, ConfigDef.Range.between(1, 3_600_000),
                    ConfigDef.Importance.LOW, "Wait after the first failed submission; doubles per attempt, with "
                            + "jitter.")
            .define(SUBMIT_MAX_BACKOFF_MS, ConfigDef.Type.LONG, 60_000L, ConfigDef.Range.between(1, 86_400_000),
                    ConfigDef.Importance.LOW, "Longest wait between two submissions of one payment."))), PREFIX);

    private final SignedRequestSettings signedRequests;

    public ReconcilerConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
        this.signedRequests = new SignedRequestSettings(this, PREFIX);
    }

    /** The upload API's guard: master key of the API key secrets, tolerance, nonces, proxies, environment. */
    public SignedRequestSettings signedRequests() {
        return signedRequests;
    }

    /**
     * Where the upload API listens, from {@code environment} or the defaults: for the command that uploads
     * to a running reconciler, which needs neither brokers nor the keys' master key.
     */
    public static URI uploadBaseUri(Map<String, String> environment) {
        String host = environment.getOrDefault(EnvironmentConfig.variableName(HTTP_HOST),
                (String) DEFINITION.configKeys().get(HTTP_HOST).defaultValue);
        String port = environment.getOrDefault(EnvironmentConfig.variableName(HTTP_PORT),
                String.valueOf(DEFINITION.configKeys().get(HTTP_PORT).defaultValue));
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }

    /** @throws dev.ngao.platform.config.InvalidConfigurationException naming the bad key and its variable */
    public static ReconcilerConfig fromEnvironment(Map<String, String> environment) {
        return EnvironmentConfig.load(DEFINITION, environment, ReconcilerConfig::new);
    }

    public String applicationId() {
        return getString(APPLICATION_ID);
    }

    /** The RocksDB memory the matching and submission applications share, bytes. */
    public long rocksDbMemoryBytes() {
        return getLong(ROCKSDB_MEMORY_BYTES);
    }

    public Path stateDirectory() {
        return Path.of(getString(STATE_DIR));
    }

    public Duration gracePeriod() {
        return Duration.ofSeconds(getInt(GRACE_PERIOD_SECONDS));
    }

    public Duration punctuateInterval() {
        return Duration.ofSeconds(getInt(PUNCTUATE_INTERVAL_SECONDS));
    }

    public Duration closedRetention() {
        return Duration.ofHours(getInt(CLOSED_RETENTION_HOURS));
    }

    public Duration startTimeout() {
        return Duration.ofSeconds(getInt(START_TIMEOUT_SECONDS));
    }

    public Path viewDirectory() {
        return stateDirectory().resolve("ledger-view");
    }

    public Duration viewPollTimeout() {
        return Duration.ofMillis(getLong(VIEW_POLL_TIMEOUT_MS));
    }

    public Path reportDirectory() {
        String configured = getString(REPORT_DIR);
        return configured.isBlank() ? stateDirectory().resolve("reports") : Path.of(configured);
    }

    public Path inboxDirectory() {
        String configured = getString(REPORT_INBOX_DIR);
        return configured.isBlank() ? stateDirectory().resolve("inbox") : Path.of(configured);
    }

    public long amountToleranceMinor() {
        return getLong(REPORT_AMOUNT_TOLERANCE_MINOR);
    }

    public boolean scheduleEnabled() {
        return getBoolean(REPORT_SCHEDULE_ENABLED);
    }

    public LocalTime scheduleTime() {
        return LocalTime.parse(getString(REPORT_SCHEDULE_TIME));
    }

    public ZoneId scheduleZone() {
        return ZoneId.of(getString(REPORT_SCHEDULE_ZONE));
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public long maxUploadBytes() {
        return getLong(HTTP_MAX_UPLOAD_BYTES);
    }

    public Duration chaseInterval() {
        return Duration.ofSeconds(getInt(CHASE_INTERVAL_SECONDS));
    }

    public boolean providersEnabled() {
        return getBoolean(PROVIDERS_ENABLED);
    }

    /** Each provider's adapter settings (base URL, credentials, timeouts, circuit breaker, pending timeout). */
    public Map<ProviderKind, ProviderSettings> providerSettings() {
        return ProvidersConfig.allSettings(this);
    }

    public boolean submitEnabled() {
        return getBoolean(SUBMIT_ENABLED);
    }

    /** @throws ConfigException when the maximum backoff is shorter than the initial one */
    public SubmissionPolicy submissionPolicy() {
        try {
            return new SubmissionPolicy(Duration.ofMillis(getLong(SUBMIT_TIMEOUT_MS)), getInt(SUBMIT_MAX_ATTEMPTS),
                    Duration.ofMillis(getLong(SUBMIT_INITIAL_BACKOFF_MS)), Duration.ofMillis(getLong(SUBMIT_MAX_BACKOFF_MS)),
                    SUBMIT_RETRY_CHECK, SUBMIT_RETENTION);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SUBMIT_MAX_BACKOFF_MS, getLong(SUBMIT_MAX_BACKOFF_MS), e.getMessage());
        }
    }

    public Duration heartbeatInterval() {
        return ProvidersConfig.heartbeatInterval(this);
    }

    public int failuresBeforeDown() {
        return ProvidersConfig.heartbeatFailuresBeforeDown(this);
    }

    /**
     * The chase policy: each provider's pending timeout ({@code providers.<id>.pending.timeout.seconds}; for a CIP
     * counted from its expiry), backoff and attempts.
     */
    public ChasePolicy chasePolicy() {
        Map<String, Duration> timeouts = new HashMap<>();
        providerSettings().forEach((kind, settings) -> timeouts.put(kind.id(), settings.pendingTimeout()));
        Duration longest = timeouts.values().stream().max(Duration::compareTo).orElseThrow();
        return new ChasePolicy(timeouts, longest,
                Duration.ofSeconds(getInt(CHASE_INITIAL_BACKOFF_SECONDS)),
                Duration.ofSeconds(getInt(CHASE_MAX_BACKOFF_SECONDS)), getInt(CHASE_MAX_ATTEMPTS),
                Duration.ofMillis(getLong(CHASE_QUERY_TIMEOUT_MS)), getInt(CHASE_MAX_QUERIES_PER_PASS));
    }

    /** A local time of day, HH:mm. */
    private static final class LocalTimeValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                LocalTime.parse(String.valueOf(value));
            } catch (DateTimeParseException e) {
                throw new ConfigException(name, value, "must be a time of day HH:mm");
            }
        }

        @Override
        public String toString() {
            return "HH:mm";
        }
    }

    /** An IANA zone id. */
    private static final class ZoneValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                ZoneId.of(String.valueOf(value));
            } catch (DateTimeException e) {
                throw new ConfigException(name, value, "must be an IANA zone id such as UTC or America/Lima");
            }
        }

        @Override
        public String toString() {
            return "IANA zone id";
        }
    }
}
