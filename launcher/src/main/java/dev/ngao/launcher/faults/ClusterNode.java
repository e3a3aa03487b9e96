package dev.ngao.launcher.faults;

import dev.ngao.launcher.EmbeddedKafkaBroker;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One node (broker and controller, KRaft combined mode) of the fault suite's Kafka clusters, run in a process of
 * its own so that it can be killed: a one-node cluster for the broker restarts, or one of three with replication
 * factor 3 and min.insync.replicas 2. Node {@code i} (from 1) listens on {@code clientPorts[i-1]} and
 * {@code controllerPorts[i-1]} on localhost, with the embedded broker's settings otherwise
 * ({@link EmbeddedKafkaBroker#nodeProperties}); its log directory is formatted once, with the cluster id every node
 * of the cluster shares, and kept across restarts.
 */
final class ClusterNode implements AutoCloseable {

    private final int nodeId;
    private final List<Integer> clientPorts;
    private final List<Integer> controllerPorts;
    private final Path logDirectory;
    private final String clusterId;
    private KafkaRaftServer server;

    ClusterNode(int nodeId, List<Integer> clientPorts, List<Integer> controllerPorts, Path logDirectory,
                String clusterId) {
        if (nodeId < 1 || nodeId > clientPorts.size() || clientPorts.size() != controllerPorts.size()) {
            throw new IllegalArgumentException("node " + nodeId + " of " + clientPorts.size() + " client ports and "
                    + controllerPorts.size() + " controller ports");
        }
        this.nodeId = nodeId;
        this.clientPorts = List.copyOf(clientPorts);
        this.controllerPorts = List.copyOf(controllerPorts);
        this.logDirectory = logDirectory.toAbsolutePath();
        this.clusterId = clusterId;
    }

    /** The bootstrap list of a cluster whose nodes listen on {@code clientPorts}. */
    static String bootstrapServers(List<Integer> clientPorts) {
        return clientPorts.stream().map(port -> "localhost:" + port).collect(Collectors.joining(","));
    }

    /** Formats the log directory on first use and starts the node; returns once it runs (not once it serves). */
    void start() throws Exception {
        Files.createDirectories(logDirectory);
        if (!Files.exists(logDirectory.resolve("meta.properties"))) {
            EmbeddedKafkaBroker.format(logDirectory, nodeId, clusterId);
        }
        String voters = IntStream.rangeClosed(1, controllerPorts.size())
                .mapToObj(node -> node + "@localhost:" + controllerPorts.get(node - 1))
                .collect(Collectors.joining(","));
        server = new KafkaRaftServer(KafkaConfig.fromProps(EmbeddedKafkaBroker.nodeProperties(nodeId, voters,
                clientPorts.get(nodeId - 1), controllerPorts.get(nodeId - 1), logDirectory,
                Math.min(clientPorts.size(), 3)), false), Time.SYSTEM);
        server.startup();
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }
}
