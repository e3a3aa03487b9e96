package dev.ngao.launcher;

import dev.ngao.console.ConsoleConfig;
import dev.ngao.console.ConsoleService;
import dev.ngao.ingest.IngestConfig;
import dev.ngao.ingest.IngestService;
import dev.ngao.launcher.bench.IngestBenchmark;
import dev.ngao.launcher.cli.ExplainCommand;
import dev.ngao.launcher.cli.TailCommand;
import dev.ngao.ledger.LedgerConfig;
import dev.ngao.ledger.LedgerService;
import dev.ngao.notifier.NotifierConfig;
import dev.ngao.notifier.NotifierService;
import dev.ngao.platform.ManagedService;
import dev.ngao.platform.config.ConfigDocs;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.InvalidConfigurationException;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.reconciler.ReconcilerConfig;
import dev.ngao.reconciler.ReconcilerService;
import dev.ngao.risk.RiskConfig;
import dev.ngao.risk.RiskStreamsService;
import org.apache.kafka.common.config.ConfigDef;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Ngao's command line. {@code embedded [--demo]} runs everything in this JVM on an embedded broker;
 * {@code service <name>} runs one service against the cluster the environment names;
 * {@code config-docs} prints the configuration tables of the README; {@code keys ...} manages API keys;
 * {@code users ...} manages people's console accounts;
 * {@code sign ...} prints the signature headers of one request.
 */
public final class Ngao {

    static final int EXIT_USAGE = 64;
    static final int EXIT_CONFIG = 78;
    static final int EXIT_IO = 74;
    static final int EXIT_SERVICE_FAILED = 1;

    private Ngao() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length == 0) {
            usage(out);
            System.exit(EXIT_USAGE);
        }
        try {
            switch (args[0]) {
                case "embedded" -> EmbeddedRun.run(LauncherConfig.fromEnvironment(System.getenv()), System.getenv(),
                        args.length > 1 && "--demo".equals(args[1]), out);
                case "service" -> runService(args.length > 1 ? args[1] : "", System.getenv());
                case "config-docs" -> out.print(configDocs());
                case "bench-ingest" -> IngestBenchmark.run(System.getenv(), out);
                case "keys" -> tool(() -> KeysCommand.run(List.of(args).subList(1, args.length), System.getenv(), out));
                case "users" -> tool(() -> UsersCommand.run(List.of(args).subList(1, args.length), System.getenv(), out));
                case "sign" -> tool(() -> SignCommand.run(List.of(args).subList(1, args.length),
                        CallerFiles.of(System.getenv()), out));
                case "tail" -> tool(() -> AnalystCommands.tail(List.of(args).subList(1, args.length), System.getenv(), out));
                case "explain" -> tool(() -> System.exit(AnalystCommands.explain(List.of(args).subList(1, args.length),
                        System.getenv(), out)));
                case "ledger-verify" -> System.exit(dev.ngao.ledger.LedgerVerify.run(
                        List.of(args).subList(1, args.length), out, System.err));
                default -> {
                    usage(out);
                    System.exit(EXIT_USAGE);
                }
            }
        } catch (InvalidConfigurationException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            System.exit(EXIT_CONFIG);
        }
    }

    private interface Tool {
        void run() throws Exception;
    }

    /**
     * Runs a command-line tool; wrong arguments (an unreadable file among them) end with their message in one
     * line (never a secret) and the usage exit code, an I/O failure with one line and {@value #EXIT_IO}.
     */
    private static void tool(Tool tool) throws Exception {
        try {
            tool.run();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_USAGE);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            System.err.println("ngao: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(EXIT_IO);
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: ngao embedded [--demo]      run every service on an embedded Kafka broker");
        out.println("       ngao service <ingest|risk|ledger|reconciler|notifier|console>  run one service against NGAO_KAFKA_BOOTSTRAP_SERVERS");
        out.println("       ngao config-docs            print every configuration key");
        out.println("       ngao bench-ingest           POST /v1/payments against a bare Vert.x endpoint, as a ratio");
        out.println("       " + KeysCommand.USAGE.replace("\n", "\n       "));
        out.println("       " + UsersCommand.USAGE.replace("\n", "\n       "));
        out.println("       " + SignCommand.USAGE);
        out.println("       " + TailCommand.USAGE);
        out.println("       " + ExplainCommand.USAGE);
        out.println("       ngao ledger-verify [data dir]    walk the ledger's hash chain and recompute its balances");
    }

    /** Every service's keys, one table each, as the README shows them. */
    public static String configDocs() {
        Map<String, ConfigDef> sections = new LinkedHashMap<>();
        sections.put("Shared by every service", KafkaSettings.DEFINITION);
        sections.put("ingest-service", without(IngestConfig.DEFINITION));
        sections.put("risk-streams", without(RiskConfig.DEFINITION));
        sections.put("ledger-service", without(LedgerConfig.DEFINITION));
        sections.put("reconciler", without(ReconcilerConfig.DEFINITION));
        sections.put("notifier", without(NotifierConfig.DEFINITION));
        sections.put("console", without(ConsoleConfig.DEFINITION));
        sections.put("Embedded mode (launcher)", LauncherConfig.DEFINITION);
        sections.put("Embedded mode, JVM (the ngao script)", LauncherConfig.JVM_DEFINITION);
        StringBuilder docs = new StringBuilder();
        sections.forEach((title, definition) -> docs.append("### ").append(title).append("\n\n")
                .append(ConfigDocs.markdownTable(definition)).append('\n'));
        return docs.toString();
    }

    /** A service's own keys, without the shared Kafka ones already listed once. */
    private static ConfigDef without(ConfigDef definition) {
        ConfigDef own = new ConfigDef();
        definition.configKeys().values().stream()
                .filter(key -> !KafkaSettings.DEFINITION.names().contains(key.name))
                .forEach(own::define);
        return own;
    }

    private static void runService(String name, Map<String, String> environment) throws Exception {
        // Every key is validated before anything connects, so bad configuration fails fast and says which.
        KafkaSettings settings = EnvironmentConfig.load(KafkaSettings.DEFINITION, environment, KafkaSettings::new);
        Function<KafkaContext, ManagedService> factory = switch (name) {
            case "ingest" -> {
                IngestConfig config = IngestConfig.fromEnvironment(environment);
                yield kafka -> new IngestService(config, kafka);
            }
            case "risk" -> {
                RiskConfig config = RiskConfig.fromEnvironment(environment);
                yield kafka -> new RiskStreamsService(config, kafka);
            }
            case "ledger" -> {
                LedgerConfig config = LedgerConfig.fromEnvironment(environment);
                yield kafka -> new LedgerService(config, kafka);
            }
            case "reconciler" -> {
                ReconcilerConfig config = ReconcilerConfig.fromEnvironment(environment);
                yield kafka -> new ReconcilerService(config, kafka);
            }
            case "notifier" -> {
                NotifierConfig config = NotifierConfig.fromEnvironment(environment);
                yield kafka -> new NotifierService(config, kafka);
            }
            case "console" -> {
                ConsoleConfig config = ConsoleConfig.fromEnvironment(environment);
                yield kafka -> new ConsoleService(config, kafka);
            }
            default -> throw new InvalidConfigurationException("unknown service '" + name
                    + "': expected ingest, risk, ledger, reconciler, notifier or console");
        };
        KafkaContext kafka = KafkaContext.connect(settings);
        ManagedService service = factory.apply(kafka);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            kafka.close();
        }, "ngao-shutdown"));
        service.start();
        // Runs until Ctrl-C or SIGTERM (the hook closes the service), or until the service fails on its
        // own: then the process exits non-zero so a supervisor restarts it.
        Throwable failure = service.failure().join();
        System.err.println(service.name() + " stopped: " + failure.getMessage());
        System.exit(EXIT_SERVICE_FAILED);
    }
}
