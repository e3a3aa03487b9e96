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
    private KafkaRaftServer server;

    public EmbeddedKafkaBroker(Path logDirectory, int brokerPort, int controllerPort) {
        this.logDirectory = logDirectory.toAbsolutePath();
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
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
        Properties properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", Integer.toString(NODE_ID));
        properties.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        properties.put("listeners", "PLAINTEXT://localhost:" + brokerPort + "," + CONTROLLER_LISTENER
                + "://localhost:" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        properties.put("controller.listener.names", CONTROLLER_LISTENER);
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("log.dirs", logDirectory.toString());
        // One node: every internal topic has one replica, and exactly-once needs its transaction log.
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("default.replication.factor", "1");
        properties.put("min.insync.replicas", "1");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        // Topics come only from their definitions in the schemas module.
        properties.put("auto.create.topics.enable", "false");
        properties.put("num.partitions", "1");
        return properties;
    }

    private void format() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        new Formatter()
                .setPrintStream(new PrintStream(output, true, StandardCharsets.UTF_8))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(java.util.List.of(logDirectory.toString()))
                .setMetadataLogDirectory(logDirectory.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
        LOG.info("Formatted a new Kafka log directory: {}", output.toString(StandardCharsets.UTF_8).trim());
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
