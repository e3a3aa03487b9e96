package dev.ngao.launcher.faults;

import dev.ngao.ingest.IngestConfig;
import dev.ngao.launcher.EmbeddedKafkaBroker;
import dev.ngao.launcher.LauncherConfig;
import dev.ngao.ledger.LedgerConfig;
import dev.ngao.notifier.NotifierConfig;
import dev.ngao.console.ConsoleConfig;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.config.ProvidersConfig;
import dev.ngao.reconciler.ReconcilerConfig;
import dev.ngao.risk.RiskConfig;
import dev.ngao.sandbox.provider.HttpWebhookTransport;
import dev.ngao.sandbox.provider.ProviderSandbox;
import dev.ngao.sandbox.provider.SandboxConfig;
import dev.ngao.schemas.registry.SchemaRegistryConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One run of the fault suite: Ngao in child processes on a fresh data directory and fixed ports, the provider
 * sandbox in this process (so it outlives every fault and counts every submission), signed idempotent payments
 * open loop through the public API ({@link PaymentDriver}) while the run's faults are injected at random moments,
 * then, once every request has its final answer and the pipeline has settled, {@link InvariantCheck} over the
 * topics, the ledger API and the provider. The three kinds of fault:
 * <ul>
 *   <li>{@link Kind#PROCESS_KILLS}: the whole embedded Ngao (broker and every service in one JVM) is killed with
 *       SIGKILL and restarted on the same data directory;</li>
 *   <li>{@link Kind#BROKER_RESTARTS}: the broker, a one-node cluster in a process of its own, is killed with
 *       SIGKILL and restarted on its log directory while the services (one other process) keep running;</li>
 *   <li>{@link Kind#CLUSTER_NODE_KILLS}: one node of a three-node cluster (replication factor 3,
 *       min.insync.replicas 2) is killed with SIGKILL, left down for a while under load, and brought back.</li>
 * </ul>
 */
final class FaultRun {

    enum Kind {
        PROCESS_KILLS("kill -9 of the whole embedded Ngao, restarted on its data"),
        BROKER_RESTARTS("kill -9 of the broker (one node, its own process), restarted on its log; services keep running"),
        CLUSTER_NODE_KILLS("kill -9 of one node of three (replication 3, min.insync.replicas 2), brought back later");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    /**
     * @param faults         how many faults to inject
     * @param ratePerSecond  payments offered per second
     * @param uptime         each fault comes a random time within this range after the target serves again
     * @param downtime       a cluster node stays down a random time within this range (the other kinds restart at once)
     * @param tail           load after the last recovery, before new requests stop
     * @param settleTimeout  longest wait for the pipeline to settle once every request has its answer
     * @param startTimeout   longest wait for a child to serve
     * @param streamsStartTimeout how long risk-streams and the reconciler may take to reach RUNNING before their
     *                       start fails ({@code risk.start.timeout.seconds}, {@code reconciler.start.timeout.seconds})
     * @param jvmOptions     the Ngao child's JVM options
     */
    record Settings(Kind kind, int faults, double ratePerSecond, long seed, Range uptime, Range downtime,
                    Duration tail, Duration settleTimeout, Duration startTimeout, Duration streamsStartTimeout,
                    List<String> jvmOptions, Path directory) {
    }

    /** A range of durations a random one is drawn from. */
    record Range(Duration min, Duration max) {
        Duration draw(SplittableRandom random) {
            long span = max.toMillis() - min.toMillis();
            return min.plusMillis(span <= 0 ? 0 : random.nextLong(span + 1));
        }
    }

    private static final List<String> NODE_JVM_OPTIONS = List.of("-Xmx512m");
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SETTLE_POLL = Duration.ofSeconds(5);
    private static final Duration SETTLE_REPORT = Duration.ofSeconds(30);
    private static final int CLUSTER_NODES = 3;
    private static final int START_ATTEMPTS = 5;

    private final Settings settings;
    private final PrintStream out;
    private final SplittableRandom random;
    private final Path dataDirectory;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final List<Duration> recoveries = new ArrayList<>();
    private final List<ChildProcess> nodes = new ArrayList<>();
    private ChildProcess ngao;
    private ProviderSandbox sandbox;
    private int failedStarts;

    FaultRun(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        this.random = new SplittableRandom(settings.seed());
        this.dataDirectory = settings.directory().resolve("data");
        for (String port : List.of("ingest", "ledger", "reconciler", "risk", "notifier", "console", "sandbox",
                "kafka", "controller")) {
            ports.put(port, EmbeddedKafkaBroker.freePort());
        }
    }

    /** What a run came to: the verdict, what the load did, and the faults injected. */
    record Result(Verdict verdict, PaymentDriver.Summary load, int faults) {
    }

    /** Runs the load and the faults, waits for the pipeline to settle, and judges it. */
    Result run() throws Exception {
        Instant started = Instant.now();
        say("%s: %d faults, %.0f payments/s, seed %d, in %s", settings.kind(), settings.faults(),
                settings.ratePerSecond(), settings.seed(), settings.directory());
        try {
            startTarget();
            startSandbox();
            RequestSigner merchant = new RequestSigner("demo", secret("demo-api-key"));
            try (PaymentDriver driver = new PaymentDriver(url("ingest"), merchant, "faults-" + settings.kind().name()
                    .toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8), settings.seed(),
                    settings.ratePerSecond())) {
                driver.start();
                for (int fault = 1; fault <= settings.faults(); fault++) {
                    Duration uptime = settings.uptime().draw(random);
                    say("fault %d of %d in %.1f s", fault, settings.faults(), uptime.toMillis() / 1000.0);
                    Thread.sleep(uptime.toMillis());
                    recoveries.add(injectFault());
                    say("recovered in %.1f s; %s", recoveries.get(recoveries.size() - 1).toMillis() / 1000.0,
                            driver.summary());
                }
                Thread.sleep(settings.tail().toMillis());
                driver.stopNewRequests();
                if (!driver.awaitFinalAnswers(ANSWER_TIMEOUT)) {
                    say("some requests still have no final answer after %s", ANSWER_TIMEOUT);
                }
                PaymentDriver.Summary load = driver.summary();
                say("load done: %s", load);
                return new Result(settleAndJudge(driver, load, started), load, recoveries.size());
            }
        } finally {
            stopAll();
        }
    }

    private Verdict settleAndJudge(PaymentDriver driver, PaymentDriver.Summary load, Instant started)
            throws Exception {
        KafkaSettings kafkaSettings = new KafkaSettings(Map.of(KafkaSettings.BOOTSTRAP_SERVERS, bootstrapServers(),
                KafkaSettings.SCHEMA_REGISTRY_URL, SchemaRegistryConfig.EMBEDDED));
        RequestSigner operator = new RequestSigner("demo-operator", secret("demo-operator-key"));
        Map<String, String> health = new TreeMap<>(Map.of("ingest", url("ingest") + "/health/ready",
                "risk-streams", url("risk") + "/health", "ledger", url("ledger") + "/health",
                "reconciler", url("reconciler") + "/health", "notifier", url("notifier") + "/health"));
        try (PipelineObserver observer = new PipelineObserver(KafkaContext.connect(kafkaSettings), url("ledger"),
                url("reconciler"), health, operator, sandbox)) {
            long deadline = System.nanoTime() + settings.settleTimeout().toNanos();
            long nextReport = System.nanoTime() + SETTLE_REPORT.toNanos();
            Verdict verdict = InvariantCheck.check(observer.observe(driver.payments(), List.of()));
            while (!verdict.settled() && System.nanoTime() < deadline) {
                if (System.nanoTime() > nextReport) {
                    say("settling: %s", verdict.violations().stream().filter(Verdict.Violation::pending)
                            .map(Verdict.Violation::what).collect(Collectors.joining("; ")));
                    nextReport = System.nanoTime() + SETTLE_REPORT.toNanos();
                }
                Thread.sleep(SETTLE_POLL.toMillis());
                verdict = InvariantCheck.check(observer.observe(driver.payments(), List.of()));
            }
            say("settled: %s", verdict.settled() ? "yes" : "no, after " + settings.settleTimeout());
            List<Observations.ReportRun> reports = observer.reconcileReports(ProviderKind.MOBILE_MONEY_HUB, started);
            verdict = InvariantCheck.check(observer.observe(driver.payments(), reports));
            return verdict.withFiguresFirst(runFigures(load, started));
        }
    }

    private Map<String, String> runFigures(PaymentDriver.Summary load, Instant started) {
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("faults injected", recoveries.size() + " (" + settings.kind().description() + ")");
        figures.put("recovery after each fault (s)", recoveries.stream()
                .map(recovery -> String.format(Locale.ROOT, "%.0f", recovery.toMillis() / 1000.0))
                .collect(Collectors.joining(" ")));
        figures.put("starts that failed (the process exited; started again)", Integer.toString(failedStarts));
        figures.put("HTTP attempts", Long.toString(load.attempts()));
        figures.put("requests retried (no answer, 5xx, 409 or 429)", Long.toString(load.retried()));
        figures.put("202s replayed (Idempotent-Replayed)", Long.toString(load.replayed()));
        figures.put("run time (s)", Long.toString(Duration.between(started, Instant.now()).toSeconds()));
        return figures;
    }

    /** Injects the run's kind of fault once; answers how long until the target served again. */
    private Duration injectFault() throws Exception {
        long start = System.nanoTime();
        switch (settings.kind()) {
            case PROCESS_KILLS -> {
                ngao.kill();
                say("killed %s (SIGKILL)", ngao.name());
                startSupervised(ngao);
            }
            case BROKER_RESTARTS -> {
                ChildProcess broker = nodes.get(0);
                broker.kill();
                say("killed %s (SIGKILL)", broker.name());
                startSupervised(broker);
                awaitCluster(1);
            }
            case CLUSTER_NODE_KILLS -> {
                ChildProcess node = nodes.get(random.nextInt(nodes.size()));
                node.kill();
                Duration down = settings.downtime().draw(random);
                say("killed %s (SIGKILL), down for %.1f s", node.name(), down.toMillis() / 1000.0);
                Thread.sleep(down.toMillis());
                startSupervised(node);
                awaitCluster(CLUSTER_NODES);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private void startTarget() throws Exception {
        Path logs = settings.directory().resolve("logs");
        switch (settings.kind()) {
            case PROCESS_KILLS -> {
                Map<String, String> environment = serviceEnvironment();
                environment.put(EnvironmentConfig.variableName(LauncherConfig.EMBEDDED_KAFKA_PORT),
                        Integer.toString(ports.get("kafka")));
                environment.put(EnvironmentConfig.variableName(LauncherConfig.EMBEDDED_CONTROLLER_PORT),
                        Integer.toString(ports.get("controller")));
                ngao = new ChildProcess("embedded Ngao", settings.jvmOptions(), List.of("ngao"), environment,
                        logs.resolve("ngao.out"));
            }
            case BROKER_RESTARTS -> startNodes(1, logs);
            case CLUSTER_NODE_KILLS -> startNodes(CLUSTER_NODES, logs);
        }
        if (ngao == null) {
            ngao = new ChildProcess("Ngao services", settings.jvmOptions(), List.of("services", bootstrapServers()),
                    serviceEnvironment(), logs.resolve("services.out"));
        }
        startSupervised(ngao);
        say("%s serves (ingest %s)", ngao.name(), url("ingest"));
    }

    /**
     * Starts {@code child} as a supervisor (systemd, Kubernetes) would: a start that ends with the process exiting
     * is counted and tried again, up to {@value #START_ATTEMPTS} times.
     */
    private void startSupervised(ChildProcess child) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                child.start(settings.startTimeout());
                return;
            } catch (ChildProcess.ExitedBeforeServing e) {
                failedStarts++;
                say("%s exited before it served (start %d): %s", child.name(), attempt,
                        ChildProcess.reason(e.getMessage()));
                if (attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void startNodes(int count, Path logs) throws Exception {
        List<Integer> clientPorts = new ArrayList<>();
        List<Integer> controllerPorts = new ArrayList<>();
        for (int node = 0; node < count; node++) {
            clientPorts.add(EmbeddedKafkaBroker.freePort());
            controllerPorts.add(EmbeddedKafkaBroker.freePort());
        }
        ports.put("kafka", clientPorts.get(0));
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        String clients = clientPorts.stream().map(String::valueOf).collect(Collectors.joining(","));
        String controllers = controllerPorts.stream().map(String::valueOf).collect(Collectors.joining(","));
        for (int node = 1; node <= count; node++) {
            nodes.add(new ChildProcess("Kafka node " + node, NODE_JVM_OPTIONS, List.of("node", Integer.toString(node),
                    clients, controllers, settings.directory().resolve("kafka-" + node).toString(), clusterId),
                    Map.of("NGAO_LOG_DIR", logs.resolve("kafka-" + node).toString()),
                    logs.resolve("kafka-" + node + ".out")));
        }
        this.clusterBootstrapServers = ClusterNode.bootstrapServers(clientPorts);
        // Together: no node serves before a majority of the controllers runs.
        for (ChildProcess node : nodes) {
            node.launch();
        }
        for (ChildProcess node : nodes) {
            node.awaitServing(settings.startTimeout());
        }
        awaitCluster(count);
        say("Kafka cluster of %d node(s) serves on %s", count, clusterBootstrapServers);
    }

    private String clusterBootstrapServers;

    private String bootstrapServers() {
        return clusterBootstrapServers != null ? clusterBootstrapServers : "localhost:" + ports.get("kafka");
    }

    /**
     * Waits until the cluster's {@code count} nodes serve and every partition has all its replicas in sync
     * again (a node brought back has caught up).
     */
    private void awaitCluster(int count) throws Exception {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            while (true) {
                try {
                    if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() == count
                            && underReplicated(admin) == 0) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka cluster not whole and in sync after "
                            + settings.startTimeout());
                }
                Thread.sleep(500);
            }
        }
    }

    private static long underReplicated(Admin admin) throws Exception {
        var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
        if (names.isEmpty()) {
            return 0;
        }
        Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
        return topics.values().stream().flatMap(topic -> topic.partitions().stream())
                .filter(partition -> partition.isr().size() < partition.replicas().size()).count();
    }

    /**
     * The services' settings: the run's data directory and fixed ports, providers at this process's sandbox, the
     * child's own sandbox idle on any port, payments whose webhook was lost in a fault chased within the run
     * (pending 20 s, then a query every 5 s), no scheduled report run (the suite reconciles the reports itself
     * at the end), and the Kafka Streams applications' start timeout of the settings.
     */
    private Map<String, String> serviceEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put(EnvironmentConfig.variableName(LauncherConfig.DATA_DIR), dataDirectory.toString());
        environment.put(EnvironmentConfig.variableName(IngestConfig.HTTP_PORT), port("ingest"));
        environment.put(EnvironmentConfig.variableName(LedgerConfig.HTTP_PORT), port("ledger"));
        environment.put(EnvironmentConfig.variableName(ReconcilerConfig.HTTP_PORT), port("reconciler"));
        environment.put(EnvironmentConfig.variableName(RiskConfig.HTTP_PORT), port("risk"));
        environment.put(EnvironmentConfig.variableName(NotifierConfig.HTTP_PORT), port("notifier"));
        environment.put(EnvironmentConfig.variableName(ConsoleConfig.HTTP_PORT), port("console"));
        environment.put(EnvironmentConfig.variableName(SandboxConfig.HTTP_PORT), "0");
        environment.put(EnvironmentConfig.variableName(SandboxConfig.REPORTS_DIR),
                dataDirectory.resolve("idle-sandbox-reports").toString());
        environment.put(EnvironmentConfig.variableName(ReconcilerConfig.REPORT_SCHEDULE_ENABLED), "false");
        String streamsStart = Long.toString(settings.streamsStartTimeout().toSeconds());
        environment.put(EnvironmentConfig.variableName(RiskConfig.START_TIMEOUT_SECONDS), streamsStart);
        environment.put(EnvironmentConfig.variableName(ReconcilerConfig.START_TIMEOUT_SECONDS), streamsStart);
        environment.put(EnvironmentConfig.variableName(ReconcilerConfig.CHASE_INTERVAL_SECONDS), "5");
        environment.put(EnvironmentConfig.variableName(ReconcilerConfig.CHASE_INITIAL_BACKOFF_SECONDS), "5");
        for (ProviderKind kind : ProviderKind.values()) {
            environment.put(EnvironmentConfig.variableName(ProvidersConfig.key(kind, "base.url")),
                    url("sandbox") + "/" + kind.id());
            environment.put(EnvironmentConfig.variableName(ProvidersConfig.key(kind, "pending.timeout.seconds")), "20");
        }
        return environment;
    }

    /**
     * The provider sandbox in this process, on the port the services were given, with the secrets the first
     * start made under the data directory; its webhooks go to the ingest door's fixed port, whoever serves it.
     */
    private void startSandbox() throws IOException {
        Map<String, String> environment = new HashMap<>();
        environment.put(EnvironmentConfig.variableName(SandboxConfig.HTTP_PORT), port("sandbox"));
        environment.put(EnvironmentConfig.variableName(SandboxConfig.SEED), Long.toString(settings.seed()));
        environment.put(EnvironmentConfig.variableName(SandboxConfig.REPORTS_DIR),
                settings.directory().resolve("sandbox-reports").toString());
        for (ProviderKind kind : ProviderKind.values()) {
            environment.put(EnvironmentConfig.variableName(SandboxConfig.key(kind, "api.secret")),
                    secret("provider-" + kind.id() + "-api-secret"));
            environment.put(EnvironmentConfig.variableName(SandboxConfig.key(kind, "webhook.secret")),
                    secret("provider-" + kind.id() + "-webhook-secret"));
        }
        String ingest = url("ingest");
        sandbox = new ProviderSandbox(SandboxConfig.fromEnvironment(environment), Clock.systemUTC(),
                new HttpWebhookTransport(() -> ingest), sent -> { });
        sandbox.start();
    }

    private String secret(String name) throws IOException {
        return Files.readString(dataDirectory.resolve("secrets").resolve(name), StandardCharsets.US_ASCII).trim();
    }

    private String port(String name) {
        return Integer.toString(ports.get(name));
    }

    private String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    private void stopAll() throws InterruptedException {
        if (ngao != null) {
            ngao.stop();
        }
        for (ChildProcess node : nodes) {
            node.stop();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private void say(String format, Object... arguments) {
        out.printf(Locale.ROOT, "[%s] " + format + "%n", prepend(Instant.now().toString().substring(11, 19), arguments));
        out.flush();
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
