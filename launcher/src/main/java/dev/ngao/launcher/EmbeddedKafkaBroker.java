package dev.ngao.launcher;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker in KRaft combined mode (broker and controller in one node), started from
 * Kafka's own server classes inside this JVM. Its log directory lives under the data directory and is
 * formatted only once, so a restart keeps every event.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path logDirectory;
    private final int brokerPort;
    private final int controllerPort;
    private final Resources resources;
    private KafkaRaftServer server;

    /**
     * What the node may spend on threads and buffers. Kafka's defaults size a broker for a machine of its own
     * (8 request handlers, 3 network threads per listener, 10 background threads, a 128 MiB log cleaner
     * dedupe buffer that stays on the heap for the life of the process); the embedded node shares one JVM, and
     * usually two cores, with every service, at a few hundred records a second.
     *
     * @param ioThreads                 num.io.threads: request handler threads
     * @param networkThreads            num.network.threads: network threads, per listener
     * @param backgroundThreads         background.threads: retention, deletion and other background tasks
     * @param cleanerDedupeBufferBytes  log.cleaner.dedupe.buffer.size: the compacted topics' cleaner's key map,
     *                                  allocated once on the heap
     */
    public record Resources(int ioThreads, int networkThreads, int backgroundThreads, long cleanerDedupeBufferBytes) {

        /** The launcher's defaults (see {@link LauncherConfig}). */
        public static final Resources EMBEDDED = new Resources(4, 2, 4, 16L * 1024 * 1024);

        void applyTo(Properties properties) {
            properties.put("num.io.threads", Integer.toString(ioThreads));
            properties.put("num.network.threads", Integer.toString(networkThreads));
            properties.put("background.threads", Integer.toString(backgroundThreads));
            properties.put("log.cleaner.dedupe.buffer.size", Long.toString(cleanerDedupeBufferBytes));
            // One thread recovers the log directory at start; the embedded node has one directory.
            properties.put("num.recovery.threads.per.data.dir", "1");
        }
    }

    public EmbeddedKafkaBroker(Path logDirectory, int brokerPort, int controllerPort) {
        this(logDirectory, brokerPort, controllerPort, Resources.EMBEDDED);
    }

    public EmbeddedKafkaBroker(Path logDirectory, int brokerPort, int controllerPort, Resources resources) {
        this.logDirectory = logDirectory.toAbsolutePath();
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.resources = resources;
    }

    public String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    public Path logDirectory() {
        return logDirectory;
    }

    /** Formats the log directory on first use, starts the node, and returns once it serves clients. */
    public void start() {
        Properties properties = serverProperties();
        try {
            Files.createDirectories(logDirectory);
            if (!Files.exists(logDirectory.resolve("meta.properties"))) {
                format();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot prepare Kafka log directory " + logDirectory, e);
        }
        server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        server.startup();
        awaitReady();
        LOG.info("Embedded Kafka broker serving on {} with data in {}", bootstrapServers(), logDirectory);
    }

    private Properties serverProperties() {
        Properties properties = nodeProperties(NODE_ID, NODE_ID + "@localhost:" + controllerPort, brokerPort,
                controllerPort, logDirectory, 1);
        resources.applyTo(properties);
        return properties;
    }

    /**
     * The settings of node {@code nodeId}, broker and controller in one (KRaft combined mode), of a cluster whose
     * controllers are {@code voters} ({@code id@host:port,...}), listening on localhost. Every topic, internal ones
     * included, gets {@code replicas} replicas and needs all but one of them in sync (at least one): one node of
     * a cluster of three may be down without refusing a write. Threads and buffers are {@link Resources#EMBEDDED}'s.
     */
    public static Properties nodeProperties(int nodeId, String voters, int brokerPort, int controllerPort,
                                            Path logDirectory, int replicas) {
        String replicationFactor = Integer.toString(replicas);
        String minInSync = Integer.toString(Math.max(1, replicas - 1));
        Properties properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", Integer.toString(nodeId));
        properties.put("controller.quorum.voters", voters);
        properties.put("listeners", "PLAINTEXT://localhost:" + brokerPort + "," + CONTROLLER_LISTENER
                + "://localhost:" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        properties.put("controller.listener.names", CONTROLLER_LISTENER);
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("log.dirs", logDirectory.toAbsolutePath().toString());
        // Exactly-once needs its transaction log, replicated like everything else.
        properties.put("offsets.topic.replication.factor", replicationFactor);
        properties.put("transaction.state.log.replication.factor", replicationFactor);
        properties.put("transaction.state.log.min.isr", minInSync);
        properties.put("default.replication.factor", replicationFactor);
        properties.put("min.insync.replicas", minInSync);
        properties.put("share.coordinator.state.topic.replication.factor", replicationFactor);
        properties.put("share.coordinator.state.topic.min.isr", minInSync);
        properties.put("group.initial.rebalance.delay.ms", "0");
        // Topics come only from their definitions in the schemas module.
        properties.put("auto.create.topics.enable", "false");
        properties.put("num.partitions", "1");
        Resources.EMBEDDED.applyTo(properties);
        return properties;
    }

    private void format() throws Exception {
        LOG.info("Formatted a new Kafka log directory: {}", format(logDirectory, NODE_ID, Uuid.randomUuid().toString()));
    }

    /**
     * Formats {@code logDirectory} (metadata log included) for node {@code nodeId} of cluster {@code clusterId};
     * answers what the formatter printed.
     */
    public static String format(Path logDirectory, int nodeId, String clusterId) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        new Formatter()
                .setPrintStream(new PrintStream(output, true, StandardCharsets.UTF_8))
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .setDirectories(java.util.List.of(logDirectory.toAbsolutePath().toString()))
                .setMetadataLogDirectory(logDirectory.toAbsolutePath().toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
        return output.toString(StandardCharsets.UTF_8).trim();
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("Embedded Kafka broker not ready after " + READY_TIMEOUT, e);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the embedded broker", e);
        }
    }

    @Override
    public void close() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        LOG.info("Embedded Kafka broker stopped");
    }

    /** A free local TCP port, for tests and for a second broker beside a running one. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free local port", e);
        }
    }
}
