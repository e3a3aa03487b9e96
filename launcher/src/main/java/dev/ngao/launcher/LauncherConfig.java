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
    public static final String EMBEDDED_KAFKA_IO_THREADS = "embedded.kafka.io.threads";
    public static final String EMBEDDED_KAFKA_NETWORK_THREADS = "embedded.kafka.network.threads";
    public static final String EMBEDDED_KAFKA_BACKGROUND_THREADS = "embedded.kafka.background.threads";
    public static final String EMBEDDED_KAFKA_CLEANER_BUFFER_BYTES = "embedded.kafka.cleaner.dedupe.buffer.bytes";
    public static final String EMBEDDED_RISK_ROCKSDB_MEMORY_BYTES = "embedded.risk.rocksdb.memory.bytes";

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
                    ConfigDef.Importance.LOW, "How often the live status line is printed.")
            .define(EMBEDDED_KAFKA_IO_THREADS, ConfigDef.Type.INT, EmbeddedKafkaBroker.Resources.EMBEDDED.ioThreads(),
                    ConfigDef.Range.between(1, 64), ConfigDef.Importance.LOW,
                    "The embedded broker's request handler threads (num.io.threads; Kafka's default is 8). It shares "
                            + "the process, and its cores, with every service.")
            .define(EMBEDDED_KAFKA_NETWORK_THREADS, ConfigDef.Type.INT,
                    EmbeddedKafkaBroker.Resources.EMBEDDED.networkThreads(), ConfigDef.Range.between(1, 64),
                    ConfigDef.Importance.LOW, "The embedded broker's network threads per listener "
                            + "(num.network.threads; Kafka's default is 3).")
            .define(EMBEDDED_KAFKA_BACKGROUND_THREADS, ConfigDef.Type.INT,
                    EmbeddedKafkaBroker.Resources.EMBEDDED.backgroundThreads(), ConfigDef.Range.between(1, 64),
                    ConfigDef.Importance.LOW, "The embedded broker's background threads: retention, deletions "
                            + "(background.threads; Kafka's default is 10).")
            .define(EMBEDDED_KAFKA_CLEANER_BUFFER_BYTES, ConfigDef.Type.LONG,
                    EmbeddedKafkaBroker.Resources.EMBEDDED.cleanerDedupeBufferBytes(),
                    ConfigDef.Range.atLeast(1024L * 1024), ConfigDef.Importance.LOW,
                    "Key map of the embedded broker's log cleaner, held on the heap for the life of the process "
                            + "(log.cleaner.dedupe.buffer.size; Kafka's default is 128 MiB). 16 MiB map about "
                            + "600,000 keys per cleaning pass; a compacted partition with more takes several passes.")
            .define(EMBEDDED_RISK_ROCKSDB_MEMORY_BYTES, ConfigDef.Type.LONG, 96L * 1024 * 1024,
                    ConfigDef.Range.atLeast(8L * 1024 * 1024), ConfigDef.Importance.MEDIUM,
                    "RocksDB memory of risk-streams in the embedded mode, block cache and memtables together: the "
                            + "embedded default of NGAO_RISK_ROCKSDB_MEMORY_BYTES (which, when set, wins), lower than "
                            + "the 256 MiB a risk-streams process of its own gets: here it shares one process with "
                            + "the broker and every other service.");

    /**
     * The JVM options the {@code ngao} script gives the embedded commands (demo, embedded, bench-memory,
     * bench-e2e, bench-cards), read by the script itself from the environment; here for the documentation, and
     * kept equal to the script's defaults by a test. Their reasons are in the script.
     */
    public static final ConfigDef JVM_DEFINITION = new ConfigDef()
            .define("heap.max", ConfigDef.Type.STRING, "1g", ConfigDef.Importance.MEDIUM,
                    "-Xmx of the embedded run: the Java heap's ceiling. What stays live grows with every payment "
                            + "taken (about 2 KiB each, mostly the ingest door's idempotency claims for their replay "
                            + "period, status view and nonces): 365 MiB after a full collection after ten minutes at "
                            + "200 payments/s. Under load G1 commits all of it (docs/memory.md).")
            .define("metaspace.max", ConfigDef.Type.STRING, "192m", ConfigDef.Importance.LOW,
                    "-XX:MaxMetaspaceSize: ceiling of class metadata (about 85 MiB used), so that a class leak "
                            + "ends in an error rather than growth.")
            .define("code.cache.max", ConfigDef.Type.STRING, "128m", ConfigDef.Importance.LOW,
                    "-XX:ReservedCodeCacheSize: ceiling of compiled code (65 to 75 MiB used; 240 MiB by default).")
            .define("malloc.arena.max", ConfigDef.Type.INT, 2, ConfigDef.Range.between(1, 1024),
                    ConfigDef.Importance.LOW,
                    "MALLOC_ARENA_MAX of the process: glibc malloc arenas. RocksDB and the JVM allocate from some "
                            + "250 threads; glibc's default (eight per core) keeps freed memory in each arena.");

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

    /** The embedded broker's threads and buffers. */
    public EmbeddedKafkaBroker.Resources brokerResources() {
        return new EmbeddedKafkaBroker.Resources(getInt(EMBEDDED_KAFKA_IO_THREADS),
                getInt(EMBEDDED_KAFKA_NETWORK_THREADS), getInt(EMBEDDED_KAFKA_BACKGROUND_THREADS),
                getLong(EMBEDDED_KAFKA_CLEANER_BUFFER_BYTES));
    }

    public long riskRocksDbMemoryBytes() {
        return getLong(EMBEDDED_RISK_ROCKSDB_MEMORY_BYTES);
    }
}
