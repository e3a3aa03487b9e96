package dev.ngao.launcher;

import dev.ngao.platform.config.EnvironmentConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.nio.file.Path;
import java.util.Map;

/** Settings of the embedded mode: where data lives, the broker's ports, and the demo traffic. */
public final class LauncherConfig extends AbstractConfig {

    public static final String DATA_DIR = "data.dir";
    public static final String EMBEDDED_KAFKA_PORT = "embedded.kafka.port";
    public static final String EMBEDDED_CONTROLLER_PORT = "embedded.controller.port";
    public static final String DEMO_RATE_PER_SECOND = "demo.rate.per.second";
    public static final String DEMO_DURATION_SECONDS = "demo.duration.seconds";
    public static final String STATUS_INTERVAL_SECONDS = "status.interval.seconds";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(DATA_DIR, ConfigDef.Type.STRING, "data", ConfigDef.Importance.HIGH,
                    "Directory of the embedded mode's state: Kafka log, risk state, ledger, generated secrets. "
                            + "Running again on the same directory resumes.")
            .define(EMBEDDED_KAFKA_PORT, ConfigDef.Type.INT, 9092, ConfigDef.Range.between(1, 65535),
                    ConfigDef.Importance.MEDIUM, "Port of the embedded broker's client listener.")
            .define(EMBEDDED_CONTROLLER_PORT, ConfigDef.Type.INT, 9093, ConfigDef.Range.between(1, 65535),
                    ConfigDef.Importance.LOW, "Port of the embedded KRaft controller listener.")
            .define(DEMO_RATE_PER_SECOND, ConfigDef.Type.INT, 50, ConfigDef.Range.between(1, 10_000),
                    ConfigDef.Importance.MEDIUM, "Demo payments posted per second with --demo.")
            .define(DEMO_DURATION_SECONDS, ConfigDef.Type.INT, 0, ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.LOW, "Stop the embedded run after this many seconds of demo traffic; 0 runs "
                            + "until Ctrl-C.")
            .define(STATUS_INTERVAL_SECONDS, ConfigDef.Type.INT, 1, ConfigDef.Range.between(1, 3600),
                    ConfigDef.Importance.LOW, "How often the live status line is printed.");

    public LauncherConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
    }

    public static LauncherConfig fromEnvironment(Map<String, String> environment) {
        return EnvironmentConfig.load(DEFINITION, environment, LauncherConfig::new);
    }

    public Path dataDirectory() {
        return Path.of(getString(DATA_DIR)).toAbsolutePath();
    }

    public int kafkaPort() {
        return getInt(EMBEDDED_KAFKA_PORT);
    }

    public int controllerPort() {
        return getInt(EMBEDDED_CONTROLLER_PORT);
    }

    public int demoRatePerSecond() {
        return getInt(DEMO_RATE_PER_SECOND);
    }

    public int demoDurationSeconds() {
        return getInt(DEMO_DURATION_SECONDS);
    }

    public int statusIntervalSeconds() {
        return getInt(STATUS_INTERVAL_SECONDS);
    }
}
