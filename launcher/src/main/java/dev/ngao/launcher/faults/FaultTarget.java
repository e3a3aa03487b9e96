package dev.ngao.launcher.faults;

import dev.ngao.launcher.EmbeddedNgao;
import dev.ngao.launcher.LauncherConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * What the fault suite runs in its child processes, the processes it kills: {@code ngao} is the embedded Ngao
 * (its own broker and every service, configured by the environment as {@code ngao embedded} is),
 * {@code services BOOTSTRAP} the same services on a cluster of other processes, and
 * {@code node ID CLIENT_PORTS CONTROLLER_PORTS LOG_DIR CLUSTER_ID} one node of such a cluster. Each prints
 * {@value #READY} on its standard output once it serves, and stops cleanly on SIGTERM; SIGKILL is the fault.
 */
public final class FaultTarget {

    /** The line a child prints once it serves. */
    static final String READY = "fault-target-ready";
    private static final int EXIT_FAILED_START = 70;

    private FaultTarget() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        List<String> arguments = Arrays.asList(args);
        AutoCloseable target;
        try {
            target = switch (arguments.isEmpty() ? "" : arguments.get(0)) {
                case "ngao" -> ngao(null);
                case "services" -> ngao(argument(arguments, 1));
                case "node" -> node(arguments);
                default -> throw new IllegalArgumentException("usage: FaultTarget ngao | services BOOTSTRAP | node ID "
                        + "CLIENT_PORTS CONTROLLER_PORTS LOG_DIR CLUSTER_ID");
            };
        } catch (Exception e) {
            // Threads a half-started Ngao left running would keep this JVM alive: a failed start ends it.
            e.printStackTrace();
            System.exit(EXIT_FAILED_START);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                target.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }, "fault-target-shutdown"));
        out.println(READY);
        out.flush();
        stopped.await();
    }

    private static EmbeddedNgao ngao(String clusterBootstrapServers) throws Exception {
        Map<String, String> environment = System.getenv();
        LauncherConfig config = LauncherConfig.fromEnvironment(environment);
        EmbeddedNgao ngao = clusterBootstrapServers == null ? new EmbeddedNgao(config, environment)
                : EmbeddedNgao.onCluster(config, environment, clusterBootstrapServers);
        try {
            ngao.start();
        } catch (Exception e) {
            // As ./ngao embedded does: what started stops cleanly, so its consumer groups are left, not held by
            // members that a next start would wait out.
            ngao.close();
            throw e;
        }
        return ngao;
    }

    private static ClusterNode node(List<String> arguments) throws Exception {
        ClusterNode node = new ClusterNode(Integer.parseInt(argument(arguments, 1)), ports(argument(arguments, 2)),
                ports(argument(arguments, 3)), Path.of(argument(arguments, 4)), argument(arguments, 5));
        node.start();
        return node;
    }

    static List<Integer> ports(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    private static String argument(List<String> arguments, int index) {
        if (arguments.size() <= index) {
            throw new IllegalArgumentException("FaultTarget " + String.join(" ", arguments) + ": argument "
                    + index + " missing");
        }
        return arguments.get(index);
    }
}
