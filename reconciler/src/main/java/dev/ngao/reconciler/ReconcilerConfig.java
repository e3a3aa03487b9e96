package dev.ngao.reconciler;

import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.config.NonBlank;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Configuration of the reconciler: the shared Kafka keys plus its own, read from NGAO_* variables. */
public final class ReconcilerConfig extends AbstractConfig {

    /** Every key of this service starts so; its variables start with NGAO_RECONCILER_. */
    private static final String PREFIX = "reconciler.";

    public static final String APPLICATION_ID = PREFIX + "application.id";
    public static final String STATE_DIR = PREFIX + "state.dir";
    public static final String GRACE_PERIOD_SECONDS = PREFIX + "grace.period.seconds";
    public static final String PUNCTUATE_INTERVAL_SECONDS = PREFIX + "punctuate.interval.seconds";
    public static final String CLOSED_RETENTION_HOURS = PREFIX + "closed.retention.hours";
    public static final String START_TIMEOUT_SECONDS = PREFIX + "start.timeout.seconds";

    public static final ConfigDef DEFINITION = KafkaSettings.define(new ConfigDef()
            .define(APPLICATION_ID, ConfigDef.Type.STRING, "ngao-reconciler", new NonBlank(), ConfigDef.Importance.HIGH,
                    "Kafka Streams application.id: consumer group, transactional id and internal topic prefix.")
            .define(STATE_DIR, ConfigDef.Type.STRING, "data/reconciler", new NonBlank(), ConfigDef.Importance.HIGH,
                    "Directory of the RocksDB state stores; keep it on a persistent volume to avoid restores.")
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
                    "How long start() waits for Kafka Streams to reach RUNNING before failing."));

    public ReconcilerConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
    }

    /** @throws dev.ngao.platform.config.InvalidConfigurationException naming the bad key and its variable */
    public static ReconcilerConfig fromEnvironment(Map<String, String> environment) {
        return EnvironmentConfig.load(DEFINITION, environment, ReconcilerConfig::new);
    }

    public String applicationId() {
        return getString(APPLICATION_ID);
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
}
