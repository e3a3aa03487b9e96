package dev.ngao.risk;

import dev.ngao.platform.auth.SignedRequestSettings;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.config.NonBlank;
import dev.ngao.risk.topology.TopologyOptions;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.DefaultRuleSet;
import dev.ngao.rules.RuleSetCompiler;
import dev.ngao.rules.RuleTypes;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Configuration of risk-streams: the shared Kafka keys plus its own, read from NGAO_* variables. */
public final class RiskConfig extends AbstractConfig {

    /** Every key of this service starts so; its variables start with NGAO_RISK_. */
    private static final String PREFIX = "risk.";

    public static final String APPLICATION_ID = PREFIX + "application.id";
    public static final String STATE_DIR = PREFIX + "state.dir";
    public static final String PER_TRANSACTION_LIMITS = PREFIX + "limits.per.transaction";
    public static final String DAILY_LIMITS = PREFIX + "limits.daily";
    public static final String RULE_SET_VERSION = PREFIX + "rule.set.version";
    public static final String REPLAY_RETENTION_HOURS = PREFIX + "replay.retention.hours";
    public static final String USAGE_RETENTION_DAYS = PREFIX + "usage.retention.days";
    public static final String CHALLENGE_TIMEOUT_SECONDS = PREFIX + "challenge.timeout.seconds";
    public static final String START_TIMEOUT_SECONDS = PREFIX + "start.timeout.seconds";
    /** The master key of the API key secrets (same value as ingest's), for the signed-request guard. */
    public static final String KEYS_MASTER_KEY = PREFIX + SignedRequestSettings.MASTER_KEY;
    public static final String STREAM_THREADS = PREFIX + "stream.threads";
    public static final String COMMIT_INTERVAL_MS = PREFIX + "commit.interval.ms";
    public static final String CACHE_MAX_BYTES = PREFIX + "cache.max.bytes";
    public static final String MAX_TASK_IDLE_MS = PREFIX + "max.task.idle.ms";
    public static final String ROCKSDB_MEMORY_BYTES = PREFIX + "rocksdb.memory.bytes";
    public static final String PRODUCER_LINGER_MS = PREFIX + "producer.linger.ms";
    public static final String STANDBY_REPLICAS = PREFIX + "standby.replicas";
    public static final String VELOCITY_RETENTION_HOURS = PREFIX + "velocity.retention.hours";
    public static final String HISTORY_RETENTION_DAYS = PREFIX + "history.retention.days";
    public static final String DEVICE_RETENTION_DAYS = PREFIX + "device.retention.days";
    public static final String HTTP_HOST = PREFIX + "http.host";
    public static final String HTTP_PORT = PREFIX + "http.port";
    public static final String HTTP_ADVERTISED_HOST = PREFIX + "http.advertised.host";

    /** Velocity and distinct observations are kept at least as long as the longest window a rule may ask for. */
    static final int MINIMUM_VELOCITY_RETENTION_HOURS = (int) RuleTypes.MAXIMUM_WINDOW.toHours();
    /** The approved history is kept for the longest average a rule may ask for, plus today. */
    static final int MINIMUM_HISTORY_RETENTION_DAYS = RuleTypes.MAXIMUM_HISTORY_DAYS + 1;

    /** Signed requests: the API keys' master key and the usage API guard's settings, under risk. */
    public static final ConfigDef DEFINITION = SignedRequestSettings.define(KafkaSettings.define(new ConfigDef()
            .define(APPLICATION_ID, ConfigDef.Type.STRING, "ngao-risk", new NonBlank(), ConfigDef.Importance.HIGH,
                    "Kafka Streams application.id: consumer group, transactional id and internal topic prefix.")
            .define(STATE_DIR, ConfigDef.Type.STRING, "data/risk-streams", new NonBlank(), ConfigDef.Importance.HIGH,
                    "Directory of the RocksDB state stores; keep it on a persistent volume to avoid restores.")
            .define(PER_TRANSACTION_LIMITS, ConfigDef.Type.LIST,
                    "KES:15000000,UGX:5000000,PEN:500000,XOF:3000000,USD:100000", new LimitEntries(),
                    ConfigDef.Importance.HIGH,
                    "Per-transaction limit per currency, CUR:amountMinor; an amount at the limit is allowed. "
                            + "Requests in a currency not listed are declined.")
            .define(DAILY_LIMITS, ConfigDef.Type.LIST,
                    "KES:30000000,UGX:10000000,PEN:1000000,XOF:6000000,USD:200000", new LimitEntries(),
                    ConfigDef.Importance.HIGH,
                    "Daily limit per account and currency (UTC day of requestedAt), CUR:amountMinor. "
                            + "Requests in a currency not listed are declined.")
            .define(RULE_SET_VERSION, ConfigDef.Type.STRING, "limits-v1", new NonBlank(), ConfigDef.Importance.MEDIUM,
                    "Version of the built-in default rule set (amount-positive, the two limits above, card state, "
                            + "card controls and card funds), in force until a 'default' rule set is published on "
                            + "risk.rulesets.")
            .define(REPLAY_RETENTION_HOURS, ConfigDef.Type.INT, 168, ConfigDef.Range.between(1, 24 * 90),
                    ConfigDef.Importance.MEDIUM,
                    "How long a transaction id is remembered (processed requests, decisions, reservations), so "
                            + "that a replayed request is not decided or counted twice and a late provider outcome "
                            + "still releases.")
            .define(USAGE_RETENTION_DAYS, ConfigDef.Type.INT, 3, ConfigDef.Range.between(1, 400),
                    ConfigDef.Importance.MEDIUM,
                    "How many days a usage counter is kept after its period (day, week, month) ended, so late "
                            + "requests and releases still find it.")
            .define(CHALLENGE_TIMEOUT_SECONDS, ConfigDef.Type.INT,
                    (int) TopologyOptions.DEFAULT_CHALLENGE_TIMEOUT.toSeconds(), ConfigDef.Range.between(30, 86_400),
                    ConfigDef.Importance.MEDIUM,
                    "How long a CHALLENGE (a rule's step-up verification) waits for the merchant to post its "
                            + "result; not completed by then, it becomes a final DECLINE (reason challenge-expired) "
                            + "and its reservation is released, 30 to 35 seconds later (a result posted in time "
                            + "and still on its way decides meanwhile).")
            .define(STREAM_THREADS, ConfigDef.Type.INT, 2, ConfigDef.Range.between(1, 64),
                    ConfigDef.Importance.MEDIUM,
                    "Kafka Streams num.stream.threads: decision tasks run in parallel up to one per core (each "
                            + "payments.requests partition is one task).")
            .define(COMMIT_INTERVAL_MS, ConfigDef.Type.INT, 20, ConfigDef.Range.between(5, 10_000),
                    ConfigDef.Importance.MEDIUM,
                    "Kafka Streams commit.interval.ms: under exactly-once a decision is readable only after its "
                            + "transaction commits, so this bounds the wait a decision adds (and the staleness of the "
                            + "cross-account signals); lower costs more transactions per second.")
            .define(MAX_TASK_IDLE_MS, ConfigDef.Type.LONG, -1L, ConfigDef.Range.between(-1, 60_000),
                    ConfigDef.Importance.LOW,
                    "Kafka Streams max.task.idle.ms: -1 processes whatever input is fetched, never waiting for a task's "
                            + "other inputs to be fetched to merge them by timestamp (a decision task's commands, the "
                            + "lifecycle's provider events, answers, refusals and resolutions); every processor "
                            + "remembers what it reads before what it follows, so no order is needed for correctness, "
                            + "and waiting cost throughput. 0 (Kafka's default) waits while a fetch is due.")
            .define(CACHE_MAX_BYTES, ConfigDef.Type.LONG, 64L * 1024 * 1024, ConfigDef.Range.between(0, 1L << 34),
                    ConfigDef.Importance.LOW,
                    "Kafka Streams statestore.cache.max.bytes: the record cache in front of the stores, so a key "
                            + "written many times in one commit interval (a busy account, a merchant's slice) reaches "
                            + "RocksDB and its changelog once.")
            .define(ROCKSDB_MEMORY_BYTES, ConfigDef.Type.LONG, 256L * 1024 * 1024,
                    ConfigDef.Range.between(16L * 1024 * 1024, 1L << 36), ConfigDef.Importance.MEDIUM,
                    "Off-heap memory of every RocksDB store of the process together: one block cache shared by all "
                            + "stores, with their write buffers charged to it (a quarter), so memory does not grow "
                            + "with the number of stores, partitions or segments.")
            .define(PRODUCER_LINGER_MS, ConfigDef.Type.INT, 5, ConfigDef.Range.between(0, 1_000),
                    ConfigDef.Importance.LOW,
                    "linger.ms of the producer that writes decisions and changelogs: batches records between "
                            + "commits; a commit flushes whatever lingers, so it never delays a decision past the "
                            + "commit.")
            .define(STANDBY_REPLICAS, ConfigDef.Type.INT, 1, ConfigDef.Range.between(0, 5),
                    ConfigDef.Importance.MEDIUM,
                    "Kafka Streams num.standby.replicas: warm copies of each store on other instances, so a "
                            + "failover does not wait for a restore from the changelog.")
            .define(VELOCITY_RETENTION_HOURS, ConfigDef.Type.INT, MINIMUM_VELOCITY_RETENTION_HOURS + 24,
                    ConfigDef.Range.between(MINIMUM_VELOCITY_RETENTION_HOURS, 24 * 400), ConfigDef.Importance.MEDIUM,
                    "How long velocity and distinct-count observations are kept; at least the longest window a "
                            + "rule may use (" + RuleTypes.MAXIMUM_WINDOW.toDays() + " days).")
            .define(HISTORY_RETENTION_DAYS, ConfigDef.Type.INT, MINIMUM_HISTORY_RETENTION_DAYS,
                    ConfigDef.Range.between(MINIMUM_HISTORY_RETENTION_DAYS, 400), ConfigDef.Importance.LOW,
                    "How many UTC days of approved spend per account are kept for the amount-anomaly rules; at "
                            + "least the longest history a rule may average (" + RuleTypes.MAXIMUM_HISTORY_DAYS
                            + " days before today).")
            .define(DEVICE_RETENTION_DAYS, ConfigDef.Type.INT, 180, ConfigDef.Range.between(1, 3_650),
                    ConfigDef.Importance.LOW,
                    "How long a device is remembered on an account after it was last used (new-device rules).")
            .define(HTTP_HOST, ConfigDef.Type.STRING, "127.0.0.1", new NonBlank(), ConfigDef.Importance.MEDIUM,
                    "Interface the usage query API (interactive queries) listens on.")
            .define(HTTP_PORT, ConfigDef.Type.INT, 8084, ConfigDef.Range.between(0, 65_535),
                    ConfigDef.Importance.MEDIUM, "Port of the usage query API; 0 takes any free port.")
            .define(HTTP_ADVERTISED_HOST, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "Host other instances reach this one's query API at (Kafka Streams application.server is "
                            + "this host and the port the API is bound to); empty for risk.http.host.")
            .define(START_TIMEOUT_SECONDS, ConfigDef.Type.INT, 60, ConfigDef.Range.between(1, 3_600),
                    ConfigDef.Importance.LOW,
                    "How long start() waits for Kafka Streams to reach RUNNING before failing.")), PREFIX);

    private final SignedRequestSettings signedRequests;

    public RiskConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
        this.signedRequests = new SignedRequestSettings(this, PREFIX);
    }

    /** The usage API's guard: master key of the API key secrets, tolerance, nonces, proxies, environment. */
    public SignedRequestSettings signedRequests() {
        return signedRequests;
    }

    /** @throws dev.ngao.platform.config.InvalidConfigurationException naming the bad key and its variable */
    public static RiskConfig fromEnvironment(Map<String, String> environment) {
        return EnvironmentConfig.load(DEFINITION, environment, RiskConfig::new);
    }

    public String applicationId() {
        return getString(APPLICATION_ID);
    }

    public Path stateDirectory() {
        return Path.of(getString(STATE_DIR));
    }

    /** The built-in default rule set, from the limit keys and the rule-set version. */
    public CompiledRuleSet defaultRuleSet() {
        return DefaultRuleSet.of(ruleSetVersion(),
                LimitEntries.parse(PER_TRANSACTION_LIMITS, getList(PER_TRANSACTION_LIMITS)),
                LimitEntries.parse(DAILY_LIMITS, getList(DAILY_LIMITS)));
    }

    public String ruleSetVersion() {
        return getString(RULE_SET_VERSION);
    }

    /** The topology's options; {@code partitions} is the partition count of the topics it is co-partitioned with. */
    public TopologyOptions topologyOptions(int partitions) {
        return new TopologyOptions(defaultRuleSet(), new RuleSetCompiler()::compile, partitions,
                replayRetention(), usageRetention(),
                Duration.ofHours(getInt(VELOCITY_RETENTION_HOURS)), Duration.ofDays(getInt(HISTORY_RETENTION_DAYS)),
                Duration.ofDays(getInt(DEVICE_RETENTION_DAYS)), Duration.ofSeconds(getInt(CHALLENGE_TIMEOUT_SECONDS)));
    }

    public int streamThreads() {
        return getInt(STREAM_THREADS);
    }

    public int commitIntervalMs() {
        return getInt(COMMIT_INTERVAL_MS);
    }

    public long maxTaskIdleMs() {
        return getLong(MAX_TASK_IDLE_MS);
    }

    public long cacheMaxBytes() {
        return getLong(CACHE_MAX_BYTES);
    }

    public long rocksDbMemoryBytes() {
        return getLong(ROCKSDB_MEMORY_BYTES);
    }

    public int producerLingerMs() {
        return getInt(PRODUCER_LINGER_MS);
    }

    public int standbyReplicas() {
        return getInt(STANDBY_REPLICAS);
    }

    public Duration replayRetention() {
        return Duration.ofHours(getInt(REPLAY_RETENTION_HOURS));
    }

    public Duration usageRetention() {
        return Duration.ofDays(getInt(USAGE_RETENTION_DAYS));
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    /** The host other instances forward queries to: the advertised host, else the bound interface. */
    public String httpAdvertisedHost() {
        String advertised = getString(HTTP_ADVERTISED_HOST).trim();
        return advertised.isEmpty() ? httpHost() : advertised;
    }

    public Duration startTimeout() {
        return Duration.ofSeconds(getInt(START_TIMEOUT_SECONDS));
    }
}
