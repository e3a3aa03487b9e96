package dev.ngao.risk;

import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.config.NonBlank;
import dev.ngao.risk.rules.LimitPolicy;
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
    public static final String PURGE_INTERVAL_SECONDS = PREFIX + "purge.interval.seconds";
    public static final String START_TIMEOUT_SECONDS = PREFIX + "start.timeout.seconds";

    public static final ConfigDef DEFINITION = KafkaSettings.define(new ConfigDef()
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
                    "Version of the rule set, written into every decision reason.")
            .define(REPLAY_RETENTION_HOURS, ConfigDef.Type.INT, 168, ConfigDef.Range.between(1, 24 * 90),
                    ConfigDef.Importance.MEDIUM,
                    "How long a decided transaction id is remembered, so that a replayed request is not decided "
                            + "or counted twice.")
            .define(USAGE_RETENTION_DAYS, ConfigDef.Type.INT, 3, ConfigDef.Range.between(1, 400),
                    ConfigDef.Importance.MEDIUM,
                    "How many days daily usage is kept after its UTC day, so late requests still see it.")
            .define(PURGE_INTERVAL_SECONDS, ConfigDef.Type.INT, 300, ConfigDef.Range.between(1, 86_400),
                    ConfigDef.Importance.LOW,
                    "Wall-clock period of the purge of expired transaction ids and usage.")
            .define(START_TIMEOUT_SECONDS, ConfigDef.Type.INT, 60, ConfigDef.Range.between(1, 3_600),
                    ConfigDef.Importance.LOW,
                    "How long start() waits for Kafka Streams to reach RUNNING before failing."));

    public RiskConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
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

    public LimitPolicy limitPolicy() {
        return new LimitPolicy(getString(RULE_SET_VERSION),
                LimitEntries.parse(PER_TRANSACTION_LIMITS, getList(PER_TRANSACTION_LIMITS)),
                LimitEntries.parse(DAILY_LIMITS, getList(DAILY_LIMITS)));
    }

    public Duration replayRetention() {
        return Duration.ofHours(getInt(REPLAY_RETENTION_HOURS));
    }

    public Duration usageRetention() {
        return Duration.ofDays(getInt(USAGE_RETENTION_DAYS));
    }

    public Duration purgeInterval() {
        return Duration.ofSeconds(getInt(PURGE_INTERVAL_SECONDS));
    }

    public Duration startTimeout() {
        return Duration.ofSeconds(getInt(START_TIMEOUT_SECONDS));
    }
}
